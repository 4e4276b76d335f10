//! The command line: arguments → pipeline → output and exit status.
//!
//! This is the only module that prints or reads submission files from disk.

/// Prints a line to stdout; a closed pipe (`| head`) ends output quietly instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// Prints to stdout without a newline, like [`outln`].
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut lock = std::io::stdout().lock();
        let _ = write!(lock, $($arg)*);
        let _ = lock.flush();
    }};
}

pub mod args;
mod check;
mod rules;
mod schema;
mod watch;

use crate::load::PackErrors;
use crate::pack::{Lang, Pack};
use crate::report::{render_pack_errors, RenderOptions};
use args::{Cli, Command, RulesCommand};
use clap::Parser;
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

/// Exit status: every record passed.
pub const EXIT_OK: u8 = 0;
/// Exit status: a record failed or was invalid.
pub const EXIT_FAIL: u8 = 1;
/// Exit status: the command could not do its job.
pub const EXIT_ERROR: u8 = 2;

/// Runs the command line.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    ExitCode::from(run(cli))
}

fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Check(a) => check::run(&a),
        Command::Watch(a) => {
            if !matches!(
                a.check.format,
                args::OutputFormat::Human | args::OutputFormat::Json
            ) {
                eprintln!("error: watch prints `human` or `json` (one JSON document per batch)");
                return EXIT_ERROR;
            }
            watch::run(&a)
        }
        Command::Rules { command } => match command {
            RulesCommand::List { lang, rules } => with_pack(rules.as_deref(), |p| {
                rules::list(p, args::resolve_lang(lang))
            }),
            RulesCommand::Explain { id, lang, rules } => with_pack(rules.as_deref(), |p| {
                rules::explain(p, &id, args::resolve_lang(lang))
            }),
            RulesCommand::Lint { dir } => rules::lint(dir.as_deref()),
            RulesCommand::Test { dir, lang } => {
                with_pack(dir.as_deref(), |p| rules::test(p, args::resolve_lang(lang)))
            }
        },
        Command::Schema { kind, rules } => with_pack(rules.as_deref(), |p| schema::run(p, &kind)),
    }
}

/// Loads the pack (embedded, or from `dir`).
pub fn load_pack(dir: Option<&Path>) -> Result<Pack, PackErrors> {
    match dir {
        Some(d) => crate::load::from_dir(d),
        None => crate::load::embedded(),
    }
}

fn with_pack(dir: Option<&Path>, f: impl FnOnce(&Pack) -> u8) -> u8 {
    match load_pack(dir) {
        Ok(p) => f(&p),
        Err(e) => {
            print_pack_errors(&e);
            EXIT_ERROR
        }
    }
}

/// Prints a pack's errors to stderr.
pub fn print_pack_errors(e: &PackErrors) {
    let opts = RenderOptions {
        lang: Lang::En,
        color: stderr_color(),
        width: terminal_width(),
        quiet: false,
        deny_warnings: false,
    };
    eprint!("{}", render_pack_errors(&e.errors, &opts));
    eprintln!("error: the rule pack has {} problem(s)", e.errors.len());
}

/// Whether stderr takes colour.
pub fn stderr_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// The width to render at.
pub fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}
