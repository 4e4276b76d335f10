//! Integration tests, compiled as one binary: the CLI on real files, the
//! rendered diagnostics of samples and broken rule packs, and the JSON contract.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests stop at the first failure"
)]

mod architecture;
mod chinese;
mod ci_recipes;
mod cli;
mod contract;
mod differential;
mod formats;
mod fuzz_corpus;
mod hostile;
mod html;
mod language;
mod lint;
mod lsp;
mod office;
mod pack;
mod parallel;
mod properties;
mod samples;
mod serve;
mod sheets;
mod tabular;
mod template;
mod watch;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The result of running the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// A copy of the default pack in `dir` (`dir/rules` beside `dir/seeds`, as
/// in the repository: a pack's source lies in its own tree), each rules
/// file passed through `edit`. Returns the rules folder.
pub fn pack_copy(dir: &Path, edit: impl Fn(&str) -> String) -> PathBuf {
    let rules = dir.join("rules");
    let seeds = dir.join("seeds");
    std::fs::create_dir_all(&rules).unwrap();
    std::fs::create_dir_all(&seeds).unwrap();
    std::fs::copy(
        root().join("seeds/liaocheng-13th-five-year-plan.txt"),
        seeds.join("liaocheng-13th-five-year-plan.txt"),
    )
    .unwrap();
    for entry in std::fs::read_dir(root().join("rules")).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_none_or(|x| x != "rules") {
            continue; // the pre-checked form belongs to the embedded pack only
        }
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(rules.join(p.file_name().unwrap()), edit(&text)).unwrap();
    }
    rules
}

/// Runs `plancheck` with `args` in the repository root, no colour, width 100.
/// `plancheck check PATH --format json --lang LANG`: the document and the exit code.
pub fn check_json(path: &Path, lang: &str) -> (serde_json::Value, i32) {
    let run = plancheck(&[
        "check",
        path.to_str().unwrap(),
        "--format",
        "json",
        "--lang",
        lang,
    ]);
    let doc = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    (doc, run.code)
}

pub fn plancheck(args: &[&str]) -> Run {
    plancheck_in(&root(), args)
}

/// Runs `plancheck` with `args` in the repository root with environment variables set.
pub fn plancheck_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plancheck"));
    cmd.args(args)
        .current_dir(root())
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("the binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `plancheck` with `args` in `dir`.
pub fn plancheck_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_plancheck"))
        .args(args)
        .current_dir(dir)
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .expect("the binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Insta settings shared by snapshot tests: timings and temp paths filtered.
pub fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(root().join("tests/snapshots"));
    s.set_prepend_module_to_snapshot(false);
    s.add_filter(r" in \d+\.\d+s", " in [time]");
    s.add_filter(r"，用时 \d+\.\d+s", "，用时 [time]");
    s.add_filter(r"/tmp/[^\s/:]+", "[tmp]");
    s
}
