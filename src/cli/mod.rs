//! The command line: arguments → pipeline → output and exit status.
//!
//! This is the only module that prints. It parses arguments, loads the
//! pack, asks the driver ([`crate::run`]) for reports, hands them to the
//! emitter of the chosen format and maps the outcome to an exit status.

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
mod help;
pub mod lsp;
mod rules;
#[cfg(feature = "serve")]
mod serve;
mod watch;

use crate::i18n::{msg, Lang};
use crate::load::PackErrors;
use crate::pack::Pack;
use crate::report::{render_pack_errors, RenderOptions};
use args::{Cli, Command, RulesCommand};
use clap::FromArgMatches;
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
    let args: Vec<String> = std::env::args().collect();
    let lang = help::early_lang(&args);
    args::set_default_lang(lang);
    let parsed = help::command(lang)
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            help::print_error(&e, lang);
            return ExitCode::from(code);
        }
    };
    ExitCode::from(run(cli))
}

fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Check(a) => check::run(&a),
        Command::Watch(a) => watch::run(&a),
        Command::Rules { command } => match command {
            RulesCommand::List { lang, rules } => {
                let lang = args::resolve_lang(lang);
                with_pack(rules.as_deref(), lang, |p| rules::list(p, lang))
            }
            RulesCommand::Explain { id, lang, rules } => {
                let lang = args::resolve_lang(lang);
                with_pack(rules.as_deref(), lang, |p| rules::explain(p, &id, lang))
            }
            RulesCommand::Lint { dir, lang } => {
                rules::lint(dir.as_deref(), args::resolve_lang(lang))
            }
            RulesCommand::Test { dir, lang } => {
                let lang = args::resolve_lang(lang);
                with_pack(dir.as_deref(), lang, |p| rules::test(p, lang))
            }
            RulesCommand::Fmt { paths, check, lang } => {
                rules::fmt(&paths, check, args::resolve_lang(lang))
            }
        },
        Command::Template(a) => {
            let lang = args::resolve_lang(a.lang);
            with_pack(a.rules.as_deref(), lang, |p| rules::template(p, &a, lang))
        }
        Command::Schema { kind, rules, lang } => {
            let lang = args::resolve_lang(lang);
            with_pack(rules.as_deref(), lang, |p| rules::schema(p, &kind, lang))
        }
        #[cfg(feature = "serve")]
        Command::Serve(a) => serve::run(&a),
        Command::Lsp { lang } => lsp::run(args::resolve_lang(lang)),
    }
}

/// Loads the pack (embedded, or from `dir`).
pub fn load_pack(dir: Option<&Path>) -> Result<Pack, PackErrors> {
    match dir {
        Some(d) => crate::load::from_dir(d),
        None => crate::load::embedded(),
    }
}

fn with_pack(dir: Option<&Path>, lang: Lang, f: impl FnOnce(&Pack) -> u8) -> u8 {
    match load_pack(dir) {
        Ok(p) => f(&p),
        Err(e) => {
            print_pack_errors(&e, lang);
            EXIT_ERROR
        }
    }
}

/// Prints a pack's errors to stderr.
pub fn print_pack_errors(e: &PackErrors, lang: Lang) {
    eprint!(
        "{}",
        render_pack_errors(&e.reports(lang), &stderr_options(lang))
    );
    eprintln!("{}", msg::cli::pack_problems(lang, e.errors.len()));
}

/// How diagnostics on stderr are rendered.
pub fn stderr_options(lang: Lang) -> RenderOptions {
    RenderOptions {
        lang,
        color: stderr_color(),
        width: terminal_width(),
        quiet: false,
        deny_warnings: false,
    }
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
