//! The command line in the user's language: clap's help and usage errors
//! in Chinese where `--lang zh` (or the environment) asks for it.
//!
//! clap speaks English; for Chinese, every command's about line, every
//! option's help, value names and headings are replaced from the catalogue
//! (`i18n::msg::help`), and usage errors are said again in Chinese.

use super::args::Cli;
use crate::i18n::{msg, Bilingual, Lang};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory};

/// The language asked for before the arguments are parsed: `--lang` among
/// them, else the environment.
pub fn early_lang(args: &[String]) -> Lang {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if let Some(v) = a.strip_prefix("--lang=") {
            if let Some(l) = Lang::parse(v) {
                return l;
            }
        } else if a == "--lang" {
            if let Some(l) = it.next().and_then(|v| Lang::parse(v)) {
                return l;
            }
        }
    }
    crate::i18n::lang_from_env()
}

/// The command line's definition in `lang`.
pub fn command(lang: Lang) -> Command {
    let cmd = Cli::command();
    if lang == Lang::En {
        return cmd;
    }
    localize(cmd, &[])
}

fn localize(mut cmd: Command, path: &[&str]) -> Command {
    let lang = Lang::Zh;
    if let Some(about) = msg::help::about_zh(path) {
        cmd = cmd.about(about).long_about(None);
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        let help = msg::help::arg_zh(path, &id);
        let value_name = msg::help::value_name_zh(&id);
        cmd = cmd.mut_arg(id.as_str(), |a: Arg| {
            let heading = if a.is_positional() {
                msg::help::arguments(lang)
            } else {
                msg::help::options(lang)
            };
            let takes_values = a.get_action().takes_values();
            let mut a = a.help_heading(heading);
            if takes_values {
                a = a.hide_possible_values(true).hide_default_value(true);
            }
            if let Some(h) = help {
                a = a.help(h).long_help(None);
            }
            if let Some(v) = value_name {
                a = a.value_name(v);
            }
            a
        });
    }
    let options = msg::help::options(lang);
    cmd = cmd
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(msg::help::arg_zh(path, "help").unwrap_or_default())
                .help_heading(options.clone()),
        )
        .disable_help_subcommand(true)
        .subcommand_help_heading(msg::help::commands(lang))
        .subcommand_value_name(msg::help::commands(lang))
        .help_template(format!(
            "{{about-with-newline}}\n{}{{usage}}\n\n{{all-args}}{{after-help}}",
            msg::help::usage(lang)
        ));
    if path.is_empty() {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(msg::help::arg_zh(path, "version").unwrap_or_default())
                .help_heading(options),
        );
    }
    // Usage lines name options and commands in Chinese.
    let name = std::iter::once("plancheck")
        .chain(path.iter().copied())
        .collect::<Vec<_>>()
        .join(" ");
    let has_subcommands = cmd.get_subcommands().next().is_some();
    let positionals: Vec<String> = cmd
        .get_positionals()
        .map(|a| {
            let v = a
                .get_value_names()
                .and_then(|v| v.first())
                .map_or_else(|| a.get_id().to_string(), ToString::to_string);
            let many = matches!(a.get_action(), ArgAction::Append)
                || a.get_num_args().is_some_and(|n| n.max_values() > 1);
            let shown = if many {
                format!("<{v}>...")
            } else {
                format!("<{v}>")
            };
            if a.is_required_set() {
                shown
            } else {
                format!("[{shown}]")
            }
        })
        .collect();
    let usage = if has_subcommands {
        format!(
            "{name} [{}] <{}>",
            msg::help::options(lang),
            msg::help::commands(lang)
        )
    } else {
        format!(
            "{name} [{}] {}",
            msg::help::options(lang),
            positionals.join(" ")
        )
        .trim_end()
        .to_string()
    };
    cmd = cmd.override_usage(usage);
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for sub in subs {
        let mut inner: Vec<&str> = path.to_vec();
        inner.push(&sub);
        let owned: Vec<String> = inner.iter().map(|s| s.to_string()).collect();
        cmd = cmd.mut_subcommand(sub.as_str(), move |s| {
            let refs: Vec<&str> = owned.iter().map(String::as_str).collect();
            localize(s, &refs)
        });
    }
    cmd
}

/// A usage error said in Chinese; help and version requests as clap prints them.
pub fn print_error(e: &clap::Error, lang: Lang) {
    let passthrough = matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if passthrough {
        let _ = e.print();
        return;
    }
    // A usage error exits 2, and every exit-2 message is a miette
    // diagnostic (CONTRACT.md §2): code E400, what is wrong in the
    // catalogue's words (clap's own for a kind it has none for), and as
    // help clap's tip and usage line (English) and where to find more.
    let rendered = e.render().to_string();
    let lines: Vec<&str> = rendered
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let clap_says = lines
        .first()
        .map(|l| l.trim_start_matches("error:").trim().to_string())
        .unwrap_or_default();
    let message = Bilingual {
        zh: translated(e, Lang::Zh).unwrap_or_else(|| msg::help::usage_error(Lang::Zh)),
        en: translated(e, Lang::En).unwrap_or(clap_says),
    };
    let mut hints: Vec<String> = lines
        .iter()
        .filter(|l| l.starts_with("tip:") || l.starts_with("Usage:"))
        .map(|l| l.to_string())
        .collect();
    hints.push(msg::help::more_help(Lang::En, "plancheck"));
    let help = Bilingual {
        zh: msg::help::more_help(Lang::Zh, "plancheck"),
        en: hints.join("\n"),
    };
    let report = crate::diagnostics::Localized::plain("E400", message, Some(help)).report(lang);
    eprint!(
        "{}",
        crate::report::render_pack_errors(&[report], &super::stderr_options(lang))
    );
}

/// A usage error in the catalogue's words, for the kinds it has words for.
fn translated(e: &clap::Error, lang: Lang) -> Option<String> {
    let get = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(lang.list_separator()),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    Some(match e.kind() {
        ErrorKind::UnknownArgument => {
            msg::help::unknown_argument(lang, &get(ContextKind::InvalidArg))
        }
        ErrorKind::InvalidSubcommand => {
            msg::help::unknown_command(lang, &get(ContextKind::InvalidSubcommand))
        }
        ErrorKind::InvalidValue => msg::help::invalid_value(
            lang,
            &get(ContextKind::InvalidArg),
            &get(ContextKind::InvalidValue),
            &get(ContextKind::ValidValue),
        ),
        ErrorKind::ValueValidation => msg::help::bad_value(
            lang,
            &get(ContextKind::InvalidArg),
            &get(ContextKind::InvalidValue),
        ),
        ErrorKind::MissingRequiredArgument => {
            msg::help::missing_argument(lang, &get(ContextKind::InvalidArg))
        }
        _ => return None,
    })
}
