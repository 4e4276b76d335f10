//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it, built
//! with the `serde-sarif` types (generated from the official schema).

use super::emit::{EmitOptions, Emitter, RunEnd};
use crate::i18n::{msg, Lang};
use crate::model::{RecordReport, Reserved, Severity};
use crate::pack::{Force, Pack};
use serde_json::{json, Value};
use serde_sarif::sarif;
use std::io::{self, Write};
use std::sync::{Arc, OnceLock};

/// `--format sarif`: one SARIF log, its results written as records come
/// (millions of findings stream; nothing is held).
pub struct SarifEmitter {
    opts: EmitOptions,
    /// The log around its results, built once per pack and language.
    frame: Arc<Frame>,
    first: bool,
}

/// The parts of a log that depend only on the pack and the language: the
/// driver's rule entries (for each result's `ruleIndex`), the text before
/// the results and after them, and the indentation of a result. Kept with
/// the pack (`Pack::derived`), so a service answering in SARIF builds its
/// rule entries once, not for every request.
struct Frame {
    rules: Vec<sarif::ReportingDescriptor>,
    head: String,
    tail: String,
    indent: String,
}

/// The frames of a pack, one per language, each built at its first use.
#[derive(Default)]
struct Frames([OnceLock<Arc<Frame>>; 2]);

impl Frame {
    /// The frame of `pack` in `lang`, built once per pack and language.
    fn of(pack: &Pack, lang: Lang) -> Arc<Frame> {
        let frames = pack.derived.get_or_init(Frames::default);
        let slot = &frames.0[usize::from(lang == Lang::En)];
        slot.get_or_init(|| Arc::new(Frame::new(pack, lang)))
            .clone()
    }

    fn new(pack: &Pack, lang: Lang) -> Frame {
        let rules = rule_entries(pack, lang);
        let empty = log(pack, rules.clone(), Vec::new(), lang);
        let text = serde_json::to_string_pretty(&empty).unwrap_or_default();
        let text = crate::text::json_safe(&text);
        let at = text.find(RESULTS_HOLE).unwrap_or(text.len());
        let line_start = text
            .get(..at)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |i| i + 1);
        Frame {
            rules,
            head: text.get(..at).unwrap_or("").to_string(),
            tail: text
                .get(at + RESULTS_HOLE.len()..)
                .unwrap_or("")
                .to_string(),
            indent: " ".repeat(at - line_start + 2),
        }
    }
}

/// Where the results go in the pretty-printed log of a run without any.
const RESULTS_HOLE: &str = "\"results\": []";

impl SarifEmitter {
    /// An emitter for a run with `pack`.
    pub fn new(pack: &Pack, opts: EmitOptions) -> Self {
        SarifEmitter {
            opts,
            frame: Frame::of(pack, opts.lang),
            first: true,
        }
    }
}

impl Emitter for SarifEmitter {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(self.frame.head.as_bytes())?;
        out.write_all(b"\"results\": [")
    }

    fn records(&mut self, out: &mut dyn Write, batch: &[RecordReport]) -> io::Result<()> {
        for result in results(&self.frame.rules, batch, self.opts.errors_only()) {
            let text = serde_json::to_string_pretty(&result).unwrap_or_default();
            let text = crate::text::json_safe(&text);
            out.write_all(if self.first { b"\n" } else { b",\n" })?;
            self.first = false;
            for (i, line) in text.lines().enumerate() {
                if i > 0 {
                    out.write_all(b"\n")?;
                }
                out.write_all(self.frame.indent.as_bytes())?;
                out.write_all(line.as_bytes())?;
            }
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _end: &RunEnd) -> io::Result<()> {
        if !self.first {
            out.write_all(b"\n")?;
            out.write_all(self.frame.indent.get(2..).unwrap_or("").as_bytes())?;
        }
        out.write_all(b"]")?;
        writeln!(out, "{}", self.frame.tail)?;
        out.flush()
    }
}

/// A relative path as a URI reference: bytes outside the unreserved set and `/` percent-encoded.
pub(crate) fn uri_of(path: &str) -> String {
    // A `\` separates folders only on Windows; elsewhere it is part of a name.
    let path = if cfg!(windows) {
        path.replace('\\', "/")
    } else {
        path.to_string()
    };
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A rule entry of the tool's driver: `name` and a markdown help only for rules of the pack.
fn descriptor(
    id: &str,
    short: &str,
    full: &str,
    help: &str,
    sev: Severity,
    pack_rule: bool,
) -> sarif::ReportingDescriptor {
    let text = |t: &str| {
        sarif::MultiformatMessageString::builder()
            .text(t.to_string())
            .build()
    };
    let mut help_text = text(help);
    if pack_rule {
        help_text.markdown = Some(help.replace('\n', "\n\n"));
    }
    let mut entry = sarif::ReportingDescriptor::builder()
        .id(id.to_string())
        .short_description(text(short))
        .full_description(text(full))
        .help(help_text)
        .default_configuration(
            sarif::ReportingConfiguration::builder()
                .level(json!(level(sev)))
                .build(),
        )
        .build();
    if pack_rule {
        entry.name = Some(id.replace(['.', '-'], "_"));
    }
    entry
}

fn level(sev: Severity) -> &'static str {
    match sev {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// The rule entries of the tool's driver: the pack's rules, then the reserved ids.
fn rule_entries(pack: &Pack, lang: Lang) -> Vec<sarif::ReportingDescriptor> {
    let mut rules: Vec<sarif::ReportingDescriptor> = Vec::new();
    for r in &pack.rules {
        let quote = r
            .cites
            .iter()
            .map(|c| {
                format!(
                    "{}：「{}」",
                    c.section,
                    c.quotes
                        .iter()
                        .map(|(q, _)| q.replace('\t', " "))
                        .collect::<Vec<_>>()
                        .join(" … ")
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        let sev = if r.force == Force::Expected {
            Severity::Warning
        } else {
            Severity::Error
        };
        let help = super::citation_line(pack, &r.id, lang).unwrap_or_default();
        rules.push(descriptor(
            &r.id,
            r.title.text(lang),
            &format!(
                "{} ({}, {})\n{quote}",
                r.title.text(lang),
                r.force.as_str(),
                r.force.zh()
            ),
            &help,
            sev,
            true,
        ));
    }
    for id in Reserved::ALL {
        let text = msg::report::about_reserved(lang, id);
        rules.push(descriptor(
            id.as_str(),
            &text,
            &text,
            &text,
            id.severity(),
            false,
        ));
    }
    rules
}

/// The results of some records.
fn results(
    rules: &[sarif::ReportingDescriptor],
    records: &[RecordReport],
    errors_only: bool,
) -> Vec<sarif::Result> {
    let rule_index = |id: &str| rules.iter().position(|r| r.id == id);
    let mut results = Vec::new();
    for rec in records {
        for f in &rec.findings {
            if !f.finding.outcome.is_reported()
                || (errors_only && f.finding.severity != Severity::Error)
            {
                continue;
            }
            let sev = match f.finding.severity {
                Severity::Error => sarif::ResultLevel::Error,
                Severity::Warning => sarif::ResultLevel::Warning,
                Severity::Note => sarif::ResultLevel::Note,
            };
            // A finding with no line (a file that is no workbook, a record
            // holding nothing) has no region: SARIF 2.1.0 allows no empty one.
            let region = match (f.line, f.column) {
                (Some(l), Some(c)) => {
                    let mut region = sarif::Region::builder().build();
                    region.start_line = Some(l as i64);
                    region.start_column = Some(c as i64);
                    region.end_line = f.end_line.map(|x| x as i64);
                    region.end_column = f.end_column.map(|x| x as i64);
                    Some(region)
                }
                _ => None,
            };
            let mut physical = sarif::PhysicalLocation::builder()
                .artifact_location(
                    sarif::ArtifactLocation::builder()
                        .uri(uri_of(&rec.file))
                        .build(),
                )
                .build();
            physical.region = region;
            let id = rec.id.clone().unwrap_or_else(|| format!("#{}", rec.index));
            let mut result = sarif::Result::builder()
                .rule_id(f.finding.rule.to_string())
                .level(sev)
                .message(
                    sarif::Message::builder()
                        .text(match f.cell_ref() {
                            Some(cell) => format!("{cell}: {} [{id}]", f.finding.message),
                            None => format!("{} [{id}]", f.finding.message),
                        })
                        .build(),
                )
                .locations(vec![sarif::Location::builder()
                    .physical_location(physical)
                    .build()])
                .build();
            result.rule_index = rule_index(f.finding.rule.as_str()).map(|i| i as i64);
            results.push(result);
        }
    }
    results
}

/// The log of one run with `rules` and `results`.
fn log(
    pack: &Pack,
    rules: Vec<sarif::ReportingDescriptor>,
    results: Vec<sarif::Result>,
    lang: Lang,
) -> Value {
    let driver = sarif::ToolComponent::builder()
        .name("plancheck")
        .semantic_version(env!("CARGO_PKG_VERSION").to_string())
        .full_name(format!(
            "plancheck {} — {}",
            env!("CARGO_PKG_VERSION"),
            pack.title.text(lang)
        ))
        .rules(rules)
        .build();
    let run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .results(results)
        .column_kind(json!("unicodeCodePoints"))
        .build();
    let log = sarif::Sarif::builder()
        .schema("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json".to_string())
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    serde_json::to_value(log).unwrap_or(Value::Null)
}

/// The SARIF log of a run held in memory.
pub fn render_sarif(pack: &Pack, records: &[RecordReport], lang: Lang, errors_only: bool) -> Value {
    let rules = Frame::of(pack, lang).rules.clone();
    let results = results(&rules, records, errors_only);
    log(pack, rules, results, lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frame_is_built_once_per_pack_and_language() {
        let pack = crate::load::embedded().unwrap_or_else(|e| panic!("{:?}", e.errors));
        let zh = Frame::of(&pack, Lang::Zh);
        let en = Frame::of(&pack, Lang::En);
        assert!(Arc::ptr_eq(&zh, &Frame::of(&pack, Lang::Zh)));
        assert!(Arc::ptr_eq(&en, &Frame::of(&pack, Lang::En)));
        assert!(!Arc::ptr_eq(&zh, &en));
        // The kept frame is the one a fresh build makes, in each language.
        for (lang, kept) in [(Lang::Zh, &zh), (Lang::En, &en)] {
            let fresh = Frame::new(&pack, lang);
            assert_eq!(kept.head, fresh.head);
            assert_eq!(kept.tail, fresh.tail);
            assert_eq!(kept.indent, fresh.indent);
            assert_eq!(kept.rules, fresh.rules);
        }
        assert_ne!(zh.tail, en.tail);
        assert_eq!(en.rules.len(), pack.rules.len() + Reserved::ALL.len());
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(
            super::uri_of("a\\b.json"),
            if cfg!(windows) {
                "a/b.json"
            } else {
                "a%5Cb.json"
            }
        );
        assert_eq!(
            super::uri_of("./fail 100%, a:b.json"),
            "fail%20100%25%2C%20a%3Ab.json"
        );
        assert_eq!(
            super::uri_of("报告/冠县.json"),
            "%E6%8A%A5%E5%91%8A/%E5%86%A0%E5%8E%BF.json"
        );
    }
}
