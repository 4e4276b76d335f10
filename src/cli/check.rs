//! `plancheck check PATH...`

use super::args::{CheckArgs, ColorChoice, OutputFormat};
use super::{load_pack, print_pack_errors, EXIT_ERROR, EXIT_FAIL, EXIT_OK};
use crate::eval::Options;
use crate::input::{check_text, format_of, Format};
use crate::pack::{Lang, Pack};
use crate::report::{render_human, render_json, RenderOptions, RunReport, Status};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

/// A submission file to read: the name users see and the path on disk.
pub struct Target {
    /// As the user named it.
    pub shown: String,
    /// On disk.
    pub path: PathBuf,
    /// Its format.
    pub format: Format,
}

/// Problems with the paths given, reported on stderr with exit 2.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum PathError {
    /// A path that does not exist or cannot be read.
    #[error("cannot read `{path}`: {reason}")]
    #[diagnostic(code(E403), help("check the path; folders are searched recursively for .json, .jsonl files"))]
    Unreadable {
        /// The path.
        path: String,
        /// Why.
        reason: String,
    },
    /// A named file of a format plancheck does not read.
    #[error("`{path}` is not a submission file plancheck reads")]
    #[diagnostic(code(E404), help("submissions are .json (an object or an array of objects) or .jsonl (one object per line)"))]
    Unsupported {
        /// The path.
        path: String,
    },
}

/// Expands files and folders into submission files, sorted within each folder.
pub fn collect_targets(paths: &[PathBuf], verbose: bool) -> Result<Vec<Target>, PathError> {
    let mut out = Vec::new();
    for p in paths {
        let shown = p.display().to_string();
        let meta = std::fs::metadata(p).map_err(|e| PathError::Unreadable { path: shown.clone(), reason: e.to_string() })?;
        if meta.is_file() {
            let format = format_of(p).ok_or_else(|| PathError::Unsupported { path: shown.clone() })?;
            out.push(Target { shown, path: p.clone(), format });
            continue;
        }
        let mut found: Vec<Target> = Vec::new();
        let walker = ignore::WalkBuilder::new(p).hidden(true).git_ignore(true).parents(true).sort_by_file_name(|a, b| a.cmp(b)).build();
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => return Err(PathError::Unreadable { path: shown.clone(), reason: e.to_string() }),
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let path = entry.path();
            let rel = path.strip_prefix(p).unwrap_or(path);
            let shown_path = p.join(rel).display().to_string();
            match format_of(path) {
                Some(format) => found.push(Target { shown: shown_path, path: path.to_path_buf(), format }),
                None => {
                    if verbose {
                        eprintln!("skipped {shown_path}: not a submission file");
                    }
                }
            }
        }
        out.extend(found);
    }
    Ok(out)
}

/// Checks every target into one report.
pub fn check_targets(pack: &Pack, targets: &[Target], opts: &Options) -> RunReport {
    let mut report = RunReport::default();
    for t in targets {
        report.files += 1;
        match std::fs::read(&t.path) {
            Ok(bytes) => {
                let text: Arc<str> = match String::from_utf8(bytes) {
                    Ok(s) => Arc::from(s),
                    Err(e) => Arc::from(String::from_utf8_lossy(e.as_bytes()).into_owned()),
                };
                let records = check_text(pack, &mut report.sources, &t.shown, text, t.format, opts);
                report.records.extend(records);
            }
            Err(e) => {
                // A file that vanished or cannot be read is one invalid record.
                let text: Arc<str> = Arc::from("");
                let source = report.sources.add(t.shown.clone(), text);
                let message = match opts.lang {
                    Lang::Zh => format!("无法读取文件：{e}"),
                    Lang::En => format!("cannot read the file: {e}"),
                };
                let finding = crate::eval::Finding {
                    rule: "input.parse".into(),
                    outcome: crate::eval::Outcome::Invalid,
                    severity: crate::eval::Severity::Error,
                    message,
                    help: None,
                    pointer: None,
                    numbers: None,
                };
                report.records.push(crate::report::RecordReport {
                    file: t.shown.clone(),
                    source,
                    index: 0,
                    id: None,
                    kind: None,
                    status: Status::Invalid,
                    findings: vec![crate::report::LocatedFinding::unlocated(finding)],
                });
            }
        }
    }
    report
}

/// The exit status of a report.
pub fn exit_status(report: &RunReport, deny_warnings: bool) -> u8 {
    let failed = report.records.iter().any(|r| matches!(r.status, Status::Fail | Status::Invalid) || (deny_warnings && r.status == Status::Warn));
    if failed {
        EXIT_FAIL
    } else {
        EXIT_OK
    }
}

/// Runs `check`.
pub fn run(a: &CheckArgs) -> u8 {
    let started = std::time::Instant::now();
    let lang = super::args::resolve_lang(a.lang);
    let pack = match load_pack(a.rules.as_deref()) {
        Ok(p) => p,
        Err(e) => {
            print_pack_errors(&e);
            return EXIT_ERROR;
        }
    };
    for s in a.select.iter().chain(&a.ignore) {
        if !pack.rules.iter().any(|r| r.id.starts_with(s.as_str())) {
            let help = crate::diagnostics::did_you_mean_help(s, pack.rules.iter().map(|r| r.id.as_str())).unwrap_or_else(|| "see `plancheck rules list`".into());
            eprintln!("error: `{s}` matches no rule id of the pack\n  help: {help}");
            return EXIT_ERROR;
        }
    }
    let targets = match collect_targets(&a.paths, a.verbose) {
        Ok(t) => t,
        Err(e) => {
            let opts = RenderOptions { lang, color: super::stderr_color(), width: super::terminal_width(), quiet: false };
            eprint!("{}", crate::report::render_pack_errors(&[miette::Report::new(e)], &opts));
            return EXIT_ERROR;
        }
    };
    let opts = Options { lang, date: a.date, select: a.select.clone(), ignore: a.ignore.clone(), all: a.all };
    let report = check_targets(&pack, &targets, &opts);
    match a.format {
        OutputFormat::Human => {
            let color = match a.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            };
            let ropts = RenderOptions { lang, color, width: super::terminal_width(), quiet: a.quiet };
            out!("{}", render_human(&pack, &report, &ropts, Some(started.elapsed())));
        }
        OutputFormat::Json => {
            let doc = render_json(&pack, &report);
            outln!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        }
        OutputFormat::Sarif => {
            let doc = crate::report::render_sarif(&pack, &report, lang, a.quiet);
            outln!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        }
        OutputFormat::Junit => out!("{}", crate::report::render_junit(&pack, &report, lang)),
        OutputFormat::Github => out!("{}", crate::report::render_github(&pack, &report, lang, a.quiet)),
    }
    exit_status(&report, a.deny_warnings)
}

