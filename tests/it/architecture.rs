//! The invariants of ARCHITECTURE.md that a test can check: which modules
//! may use which, pest only in `syntax`, printing only in `cli`, and no
//! file of `src/` doing more than about 600 lines' worth of one job.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The top-level modules each module may use (`crate::NAME`). A module may
/// always use itself.
const ALLOWED: &[(&str, &[&str])] = &[
    // The service drives the library as the command line does.
    (
        "serve",
        &[
            "input",
            "model",
            "pack",
            "report",
            "run",
            "load",
            "i18n",
            "template",
            "text",
            "units",
            "diagnostics",
        ],
    ),
    // The fuzz entry points drive the whole pipeline.
    (
        "fuzz",
        &[
            "input", "model", "pack", "report", "run", "load", "i18n", "eval",
        ],
    ),
    ("source", &["text"]),
    ("text", &[]),
    ("i18n", &["units", "model", "pack"]),
    ("diagnostics", &["source", "text"]),
    ("number", &[]),
    ("units", &["number", "i18n", "text"]),
    ("ast", &["source", "i18n"]),
    // A date literal is checked to be a real day where it is written.
    ("syntax", &["ast", "source", "i18n", "diagnostics", "units"]),
    ("pack", &["units", "number", "source", "i18n", "text"]),
    (
        "check",
        &[
            "ast",
            "syntax",
            "pack",
            "model",
            "units",
            "number",
            "source",
            "diagnostics",
            "i18n",
        ],
    ),
    (
        "load",
        &[
            "check",
            "syntax",
            "ast",
            "pack",
            "source",
            "diagnostics",
            "i18n",
            "text",
        ],
    ),
    ("model", &["pack", "units", "number", "source", "i18n"]),
    (
        "input",
        &[
            "model",
            "pack",
            "units",
            "number",
            "source",
            "diagnostics",
            "i18n",
            "text",
        ],
    ),
    (
        "eval",
        &[
            "model",
            "pack",
            "units",
            "number",
            "source",
            "diagnostics",
            "i18n",
        ],
    ),
    (
        "report",
        &[
            "model",
            "pack",
            "eval",
            "units",
            "number",
            "source",
            "diagnostics",
            "i18n",
            "text",
        ],
    ),
    (
        "run",
        &[
            "input",
            "eval",
            "model",
            "pack",
            "units",
            "source",
            "diagnostics",
            "i18n",
            "load",
            "text",
        ],
    ),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Every source file with its top-level module (`src/eval/expr.rs` → `eval`).
fn files() -> Vec<(String, PathBuf, String)> {
    let src = super::root().join("src");
    let mut paths = Vec::new();
    rust_files(&src, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(&src).unwrap();
            let first = rel
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy();
            let module = first.trim_end_matches(".rs").to_string();
            let text = std::fs::read_to_string(&p).unwrap();
            (module, p, text)
        })
        .collect()
}

/// The text without `#[cfg(test)]` modules at the end and without comments.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or(text);
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn modules_use_only_what_they_may() {
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut wrong = Vec::new();
    for (module, path, text) in files() {
        let Some(may) = allowed.get(module.as_str()) else {
            continue; // lib.rs, main.rs and cli may use anything.
        };
        if path.file_name().is_some_and(|f| f == "tests.rs") {
            continue; // Unit tests may set up what they test with anything.
        }
        let code = code(&text);
        for (i, _) in code.match_indices("crate::") {
            let name: String = code[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if name != module && !may.contains(&name.as_str()) && name != "i18n" {
                wrong.push(format!("{} uses crate::{name}", path.display()));
            }
        }
        // `super::super::` would reach around the table.
        if code.contains("super::super::super") {
            wrong.push(format!("{} reaches three levels up", path.display()));
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "imports against ARCHITECTURE.md:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn only_syntax_names_pest() {
    for (module, path, text) in files() {
        if module != "syntax" {
            assert!(
                !code(&text).contains("pest::"),
                "{} names pest",
                path.display()
            );
        }
    }
}

#[test]
fn only_cli_prints() {
    for (module, path, text) in files() {
        if module == "cli" || module == "main" {
            continue;
        }
        let code = code(&text);
        for m in [
            "println!",
            "print!(",
            "eprintln!",
            "eprint!(",
            "std::io::stdout",
            "std::io::stderr",
        ] {
            assert!(!code.contains(m), "{} prints ({m})", path.display());
        }
    }
}

#[test]
fn the_library_needs_no_command_line_crate() {
    for (module, path, text) in files() {
        if module == "cli" || module == "main" {
            continue;
        }
        // The service (feature `serve`, which includes `cli`) reloads the
        // pack it serves when its folder changes.
        let text = if module == "serve" {
            text.replace("notify::", "")
        } else {
            text
        };
        let code = code(&text);
        for krate in [
            "clap::",
            "notify::",
            "notify_debouncer_full::",
            "ctrlc::",
            "indicatif::",
        ] {
            assert!(!code.contains(krate), "{} uses {krate}", path.display());
        }
    }
}

#[test]
fn only_serve_runs_an_async_runtime() {
    for (module, path, text) in files() {
        if module == "serve" {
            continue;
        }
        let code = code(&text);
        for krate in ["tokio::", "axum::", "tower::", "tower_http::", "tracing::"] {
            assert!(!code.contains(krate), "{} uses {krate}", path.display());
        }
    }
}

#[test]
fn no_source_file_is_a_house_of_many_rooms() {
    for (_, path, text) in files() {
        let code_lines = text
            .split("#[cfg(test)]")
            .next()
            .unwrap_or(&text)
            .lines()
            .count();
        assert!(
            code_lines <= 600,
            "{} has {code_lines} lines of code",
            path.display()
        );
    }
}
