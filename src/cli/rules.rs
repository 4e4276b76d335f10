//! `plancheck rules list|explain|lint|test` and `plancheck schema KIND`.

use super::{load_pack, print_pack_errors, EXIT_ERROR, EXIT_FAIL, EXIT_OK};
use crate::i18n::{msg, Lang};
use crate::pack::Pack;
use crate::report::explain_text;
use crate::run::run_examples;
use std::path::Path;

/// `rules list`: one line per rule: id, force, subject, title.
pub fn list(pack: &Pack, lang: Lang) -> u8 {
    use unicode_width::UnicodeWidthStr;
    let rows: Vec<[String; 4]> = pack
        .rules
        .iter()
        .map(|r| {
            let subject = pack.records.get(r.subject.0).map_or_else(
                || "?".to_string(),
                |k| match (lang, &k.labels) {
                    (Lang::Zh, Some(l)) => l.zh.clone(),
                    _ => k.kind.clone(),
                },
            );
            [
                r.id.to_string(),
                r.force.name(lang).to_string(),
                subject,
                r.title.text(lang).to_string(),
            ]
        })
        .collect();
    let width = |i: usize| rows.iter().map(|r| r[i].width()).max().unwrap_or(0);
    let (w0, w1, w2) = (width(0), width(1), width(2));
    let pad = |s: &str, w: usize| format!("{s}{}", " ".repeat(w.saturating_sub(s.width())));
    for r in &rows {
        outln!(
            "{}  {}  {}  {}",
            pad(&r[0], w0),
            pad(&r[1], w1),
            pad(&r[2], w2),
            r[3]
        );
    }
    outln!(
        "{}",
        msg::cli::rules_in_pack(lang, pack.rules.len(), &pack.name)
    );
    EXIT_OK
}

/// `rules explain ID`
pub fn explain(pack: &Pack, id: &str, lang: Lang) -> u8 {
    let Some(r) = pack.rule(id) else {
        let help = crate::diagnostics::suggest(id, pack.rules.iter().map(|r| &*r.id))
            .map(|h| h.text(lang).to_string())
            .unwrap_or_else(|| msg::cli::see_rules_list(lang));
        eprintln!(
            "{}\n{}",
            msg::cli::unknown_rule(lang, id),
            msg::cli::help_line(lang, &help)
        );
        return EXIT_ERROR;
    };
    out!("{}", explain_text(pack, r, lang));
    EXIT_OK
}

/// `rules lint [DIR]`
pub fn lint(dir: Option<&Path>, lang: Lang) -> u8 {
    // Lint checks the embedded pack afresh, never its pre-checked form.
    let loaded = match dir {
        Some(d) => load_pack(Some(d)),
        None => crate::load::embedded_fresh(),
    };
    match loaded {
        Ok(p) => {
            let quotes: usize = p
                .rules
                .iter()
                .flat_map(|r| &r.cites)
                .map(|c| c.quotes.len())
                .sum();
            outln!(
                "{}",
                msg::cli::lint_ok(lang, &p.name, p.rules.len(), quotes)
            );
            EXIT_OK
        }
        Err(e) => {
            print_pack_errors(&e, lang);
            EXIT_FAIL
        }
    }
}

/// `rules test [DIR]`
pub fn test(pack: &Pack, lang: Lang) -> u8 {
    let results = run_examples(pack, lang);
    let mut failed = 0;
    for res in results.iter().filter(|r| !r.passed()) {
        failed += 1;
        let got = res
            .got
            .map_or_else(|| msg::cli::no_outcome(lang), |o| o.as_str().to_string());
        outln!(
            "{}",
            msg::cli::example_failed(lang, &res.rule, res.index + 1, res.expected.as_str(), &got)
        );
        if !res.message.is_empty() {
            outln!("     {}", res.message);
        }
    }
    let passed = results.len() - failed;
    outln!(
        "{}",
        msg::cli::examples_summary(lang, passed, failed, pack.rules.len())
    );
    if failed > 0 {
        EXIT_FAIL
    } else {
        EXIT_OK
    }
}

/// `schema KIND`: the JSON Schema of a record kind.
pub fn schema(pack: &Pack, kind: &str, lang: Lang) -> u8 {
    match crate::pack::json_schema(pack, kind) {
        Some(s) => {
            outln!("{}", serde_json::to_string_pretty(&s).unwrap_or_default());
            EXIT_OK
        }
        None => {
            let kinds: Vec<&str> = pack.records.iter().map(|r| r.kind.as_str()).collect();
            let listing = kinds.join(lang.list_separator());
            let help = crate::diagnostics::suggest(kind, kinds.iter().copied())
                .map(|h| h.text(lang).to_string())
                .unwrap_or_else(|| msg::input::kinds_are(lang, &listing));
            eprintln!(
                "{}\n{}",
                msg::cli::no_such_kind(lang, kind, &listing),
                msg::cli::help_line(lang, &help)
            );
            EXIT_ERROR
        }
    }
}

/// `template KIND`: a fill-in workbook or CSV.
pub fn template(pack: &Pack, a: &super::args::TemplateArgs, lang: Lang) -> u8 {
    use super::args::TemplateFormat;
    use std::io::{IsTerminal, Write};
    let made = match a.format {
        TemplateFormat::Xlsx => crate::template::workbook(pack, &a.kind, lang, &[]),
        TemplateFormat::Csv => {
            crate::template::csv(pack, &a.kind, lang, &[]).map(String::into_bytes)
        }
    };
    let bytes = match made {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{}", msg::cli::template_failed(lang, &e));
            return EXIT_ERROR;
        }
    };
    let ext = match a.format {
        TemplateFormat::Xlsx => "xlsx",
        TemplateFormat::Csv => "csv",
    };
    let target = match &a.output {
        // `-o -`: standard output, even on a terminal (asked for by name).
        Some(p) if p.as_os_str() == "-" => None,
        Some(p) => Some(p.clone()),
        None if std::io::stdout().is_terminal() => Some(std::path::PathBuf::from(format!(
            "{}-template.{ext}",
            a.kind
        ))),
        None => None,
    };
    match target {
        Some(path) => match std::fs::write(&path, &bytes) {
            Ok(()) => {
                eprintln!(
                    "{}",
                    msg::cli::template_written(lang, &path.display().to_string())
                );
                EXIT_OK
            }
            Err(e) => {
                eprintln!(
                    "{}",
                    msg::cli::cannot_write(lang, &path.display().to_string(), &e.to_string())
                );
                EXIT_ERROR
            }
        },
        None => {
            let mut out = std::io::stdout().lock();
            if out.write_all(&bytes).and_then(|()| out.flush()).is_err() {
                return EXIT_ERROR;
            }
            EXIT_OK
        }
    }
}

/// `rules fmt [--check] [PATH...]`: rewrites rule files in the canonical
/// layout (`syntax::format`), or with `--check` lists those not in it.
pub fn fmt(paths: &[std::path::PathBuf], check: bool, lang: Lang) -> u8 {
    use crate::syntax::format::{format_checked, FormatError};
    let default = [std::path::PathBuf::from("rules")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<_> = match std::fs::read_dir(p) {
                Ok(d) => d.filter_map(Result::ok).map(|e| e.path()).collect(),
                Err(e) => {
                    eprintln!(
                        "{}",
                        msg::cli::cannot_read(lang, &p.display().to_string(), &e.to_string())
                    );
                    return EXIT_ERROR;
                }
            };
            found.retain(|f| f.extension().is_some_and(|e| e == "rules") && f.is_file());
            found.sort();
            files.extend(found);
        } else {
            files.push(p.clone());
        }
    }
    let (mut changed, mut broken) = (0, 0);
    for f in &files {
        let shown = f.display().to_string();
        let text = match crate::load::read_bounded(f, crate::load::MAX_RULES_FILE_BYTES) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{}", msg::cli::cannot_read(lang, &shown, e.text(lang)));
                broken += 1;
                continue;
            }
        };
        match format_checked(&text) {
            Ok(formatted) if formatted == text => {}
            Ok(formatted) => {
                changed += 1;
                if check {
                    outln!("{}", msg::cli::fmt_would_change(lang, &shown));
                } else if let Err(e) = std::fs::write(f, formatted) {
                    eprintln!("{}", msg::cli::cannot_read(lang, &shown, &e.to_string()));
                    broken += 1;
                } else {
                    outln!("{}", msg::cli::fmt_formatted(lang, &shown));
                }
            }
            Err(FormatError::DoesNotParse) => {
                eprintln!("{}", msg::cli::fmt_does_not_parse(lang, &shown));
                broken += 1;
            }
            Err(FormatError::WouldChangeMeaning) => {
                eprintln!("{}", msg::cli::fmt_would_change_meaning(lang, &shown));
                broken += 1;
            }
        }
    }
    if check {
        eprintln!("{}", msg::cli::fmt_summary(lang, files.len(), changed));
    }
    if broken > 0 {
        EXIT_ERROR
    } else if check && changed > 0 {
        EXIT_FAIL
    } else {
        EXIT_OK
    }
}
