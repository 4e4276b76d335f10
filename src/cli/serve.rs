//! `plancheck serve`: reads its options, starts the service (`crate::serve`)
//! and says where it listens.

use super::args::{self, ServeArgs};
use super::{print_pack_errors, EXIT_ERROR, EXIT_OK};
use crate::i18n::msg;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Runs the service until SIGINT or SIGTERM.
pub fn run(a: &ServeArgs) -> u8 {
    let lang = args::resolve_lang(a.lang);
    // Quiet unless asked: warnings (a pack reload) always, requests with -v.
    let level = if a.verbose { "info" } else { "warn" };
    let filter = tracing_subscriber::EnvFilter::try_from_env("PLANCHECK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(format!("plancheck={level}")));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(super::stderr_color())
        .try_init();
    let decision_log: Option<crate::serve::DecisionLog> = match a.decision_log.as_deref() {
        None => None,
        Some("-") => Some(Arc::new(Mutex::new(Box::new(std::io::stdout())))),
        Some(path) => match std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            Ok(f) => Some(Arc::new(Mutex::new(Box::new(f)))),
            Err(e) => {
                eprintln!(
                    "{}",
                    msg::cli::serve_cannot_start(lang, &format!("{path}: {e}"))
                );
                return EXIT_ERROR;
            }
        },
    };
    let config = crate::serve::Config {
        addr: a.addr,
        rules: a.rules.clone(),
        max_body: a.max_body,
        timeout: Duration::from_secs_f64(a.timeout),
        concurrency: a.concurrency.max(1),
        decision_log,
        log_input: a.log_input,
    };
    let started = crate::serve::run(config, |bound| {
        eprintln!(
            "{}",
            msg::cli::serve_listening(lang, &format!("http://{bound}"))
        );
    });
    match started {
        Ok(()) => {
            eprintln!("{}", msg::cli::serve_stopped(lang));
            EXIT_OK
        }
        Err(crate::serve::StartError::Pack(e)) => {
            print_pack_errors(&e, lang);
            EXIT_ERROR
        }
        Err(crate::serve::StartError::Io(e)) => {
            eprintln!("{}", msg::cli::serve_cannot_start(lang, &e.to_string()));
            EXIT_ERROR
        }
    }
}
