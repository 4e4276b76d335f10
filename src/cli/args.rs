//! Command-line arguments (CONTRACT.md §2).

use crate::i18n::Lang;
use crate::report::Format as OutputFormat;
use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

// The library's types carry no clap derive: the command line says how they
// are spelt here.
impl ValueEnum for Lang {
    fn value_variants<'a>() -> &'a [Self] {
        &Lang::ALL
    }
    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.code()))
    }
}

impl ValueEnum for OutputFormat {
    fn value_variants<'a>() -> &'a [Self] {
        &OutputFormat::ALL
    }
    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.name()))
    }
}

/// Checks project applications and county indicator reports against the
/// binding limits of the Liaocheng 13th Five-Year Plan (or another rule pack).
#[derive(Debug, Parser)]
#[command(name = "plancheck", version, about, long_about = None)]
pub struct Cli {
    /// Message language of every command (also `--lang` after the command).
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files and folders (recursively) of submissions.
    Check(CheckArgs),
    /// Check everything once, then re-check what changes, until interrupted.
    Watch(WatchArgs),
    /// Work with the rule pack.
    Rules {
        /// What to do with it.
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Print the JSON Schema of a submission kind.
    Schema {
        /// `project` or `county` (any record kind of the pack).
        kind: String,
        /// Message language.
        #[arg(long, value_enum)]
        lang: Option<Lang>,
        /// Load the rule pack from this folder instead of the embedded one.
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
    },
    /// Write a fill-in workbook (or CSV) for a submission kind, generated from the pack.
    Template(TemplateArgs),
    /// A language server for rule files, over standard input and output.
    Lsp {
        /// Message language of the diagnostics and hovers.
        #[arg(long, value_enum)]
        lang: Option<Lang>,
    },
    /// Serve checks over HTTP, with a page for officers, until SIGINT or SIGTERM.
    #[cfg(feature = "serve")]
    Serve(ServeArgs),
}

/// Options of `serve`.
#[cfg(feature = "serve")]
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on (port 0 picks a free one).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
    /// Load the rule pack from this folder instead of the embedded one (reloaded when it changes).
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// The largest request body, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 16 * 1024 * 1024)]
    pub max_body: usize,
    /// Seconds a check may take before the request is answered 503 (fractions allowed).
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0, value_parser = parse_seconds)]
    pub timeout: f64,
    /// Requests served at once (more wait their turn).
    #[arg(long, value_name = "N", default_value_t = 64)]
    pub concurrency: usize,
    /// Append one JSON line per decision to this file (`-` for standard output).
    #[arg(long, value_name = "FILE")]
    pub decision_log: Option<String>,
    /// Keep the submitted texts in the decision log too.
    #[arg(long)]
    pub log_input: bool,
    /// Log every request to standard error.
    #[arg(long, short)]
    pub verbose: bool,
    /// Message language of the service's own messages on standard error.
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
}

/// Options of `template`.
#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// `project` or `county` (any record kind of the pack).
    pub kind: String,
    /// `xlsx` (a workbook with lists, formats and a sheet of instructions) or `csv`.
    #[arg(long, value_enum, default_value = "xlsx")]
    pub format: TemplateFormat,
    /// Language of the titles and instructions (default from the environment).
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Where to write it (`-` for standard output; default: standard output
    /// when it is not a terminal, else `<kind>-template.<format>` in the
    /// current folder).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Load the rule pack from this folder instead of the embedded one.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

/// Formats of a template.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TemplateFormat {
    /// An Excel workbook.
    Xlsx,
    /// A CSV file (UTF-8 with a byte-order mark).
    Csv,
}

/// `plancheck rules …`
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List the rules: id, force, subject, title.
    List {
        /// Message language.
        #[arg(long, value_enum)]
        lang: Option<Lang>,
        /// Load the rule pack from this folder instead of the embedded one.
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
    },
    /// Show a rule's full text.
    Explain {
        /// The rule id.
        id: String,
        /// Message language.
        #[arg(long, value_enum)]
        lang: Option<Lang>,
        /// Load the rule pack from this folder instead of the embedded one.
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
    },
    /// Parse and statically check a rule pack (the embedded one by default).
    Lint {
        /// The pack's folder.
        dir: Option<PathBuf>,
        /// Message language.
        #[arg(long, value_enum)]
        lang: Option<Lang>,
    },
    /// Run the examples written inside the rule files.
    Test {
        /// The pack's folder.
        dir: Option<PathBuf>,
        /// Message language.
        #[arg(long, value_enum)]
        lang: Option<Lang>,
    },
    /// Format rule files in the one canonical layout.
    Fmt {
        /// Rule files or folders of them (default: `rules/`).
        paths: Vec<PathBuf>,
        /// Only check: list the files that are not formatted and exit 1 if any.
        #[arg(long)]
        check: bool,
        /// Message language.
        #[arg(long, value_enum)]
        lang: Option<Lang>,
    },
}

/// When to colour human output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When stdout is a terminal and NO_COLOR is unset.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether to colour what goes to stdout.
    pub fn for_stdout(self) -> bool {
        use std::io::IsTerminal;
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        }
    }
}

/// Options of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files and folders of submissions.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Load the rule pack from this folder instead of the embedded one.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: OutputFormat,
    /// Message language (default: zh when LANG starts with zh, else en).
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Evaluate as of this date instead of each record's own.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date_arg)]
    pub date: Option<crate::units::Date>,
    /// Only rules with this id or id prefix (repeatable; a rule's full id
    /// names that rule alone).
    #[arg(long, value_name = "ID|PREFIX")]
    pub select: Vec<String>,
    /// Not rules with this id or id prefix (repeatable; a rule's full id
    /// names that rule alone).
    #[arg(long, value_name = "ID|PREFIX")]
    pub ignore: Vec<String>,
    /// Also list passing and not-applicable outcomes.
    #[arg(long)]
    pub all: bool,
    /// Only failures: records that fail and their errors (human, sarif, github).
    #[arg(long, short)]
    pub quiet: bool,
    /// Also list files that were skipped, and why.
    #[arg(long, short)]
    pub verbose: bool,
    /// Do not check files or folders matching this glob (relative path or name; repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Worker threads (default: one per core; 1 checks sequentially, with the same output).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Colour in human output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Write the output to this file instead of standard output (e.g. the HTML review report; `-` is standard output).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Options of `watch`: those of `check` (formats `human` and `json`) and the debounce window.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// As for `check`; PATH names folders to watch.
    #[command(flatten)]
    pub check: CheckArgs,
    /// Milliseconds of quiet after a change before re-checking (events within it are batched).
    #[arg(long, value_name = "MS", default_value_t = 200)]
    pub debounce_ms: u64,
}

#[cfg(feature = "serve")]
fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 86_400.0 => Ok(v),
        _ => Err(format!(
            "`{s}` is not a number of seconds between 0 and 86400"
        )),
    }
}

fn parse_date_arg(s: &str) -> Result<crate::units::Date, String> {
    crate::units::parse_date(s).ok_or_else(|| format!("`{s}` is not a date YYYY-MM-DD"))
}

/// The language of the run where a command's own `--lang` is not given:
/// `--lang` before the command, else the environment.
static DEFAULT_LANG: std::sync::OnceLock<Lang> = std::sync::OnceLock::new();

/// Sets the language of the run where a command gives none.
pub fn set_default_lang(lang: Lang) {
    let _ = DEFAULT_LANG.set(lang);
}

/// The language from `--lang`, else from `--lang` before the command, else
/// from the environment (`LC_ALL`, `LC_MESSAGES`, `LANG`, then the system locale).
pub fn resolve_lang(lang: Option<Lang>) -> Lang {
    lang.or_else(|| DEFAULT_LANG.get().copied())
        .unwrap_or_else(crate::i18n::lang_from_env)
}
