//! `plancheck serve`: the HTTP service for approval platforms, and a page
//! for officers (feature `serve`, on by default; tokio and axum stay out of
//! the library without it).
//!
//! Every check runs the library's driver (`run::check_text`,
//! `run::check_file`) and one of its emitters, so the service's JSON is
//! byte for byte the CLI's. The pack is held behind a lock and swapped
//! whole when `--rules` changes (requests in flight finish on the pack they
//! started with); a pack that does not load leaves the last good one in use.
//!
//! - `check`: `POST /v1/check`.
//! - `api`: the rules, schemas, templates, health and metrics.
//! - `openapi`: the OpenAPI 3.1 document, built from the pack.
//! - `page`: `GET /`, the officers' page.
//! - `problem`: errors as RFC 9457 problem details.
//! - `metrics`: counters and a latency histogram, as Prometheus text.

mod api;
mod check;
mod metrics;
mod openapi;
mod page;
mod problem;

use crate::pack::Pack;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// Where the decision log is written (one JSON line per decision).
pub type DecisionLog = Arc<Mutex<Box<dyn Write + Send>>>;

/// How the service runs.
#[derive(Clone)]
pub struct Config {
    /// Where to listen.
    pub addr: SocketAddr,
    /// The rule pack's folder (`None`: the embedded pack), watched for changes.
    pub rules: Option<PathBuf>,
    /// The largest request body, in bytes.
    pub max_body: usize,
    /// The longest a check may take.
    pub timeout: Duration,
    /// Requests served at once (more wait).
    pub concurrency: usize,
    /// Where the decision log goes (the command line opens it), or nowhere.
    pub decision_log: Option<DecisionLog>,
    /// Whether the decision log holds the submissions themselves.
    pub log_input: bool,
}

/// A pack in use, with what `/health` says of it.
pub(crate) struct Loaded {
    pub(crate) pack: Pack,
    /// A hash of the rule files' texts.
    pub(crate) revision: String,
    /// When it was loaded (RFC 3339).
    pub(crate) loaded_at: String,
}

/// What every handler shares.
pub(crate) struct Shared {
    pub(crate) loaded: RwLock<Arc<Loaded>>,
    /// Why the last reload failed, until one succeeds.
    pub(crate) reload_error: RwLock<Option<String>>,
    pub(crate) metrics: metrics::Metrics,
    pub(crate) config: Config,
    pub(crate) started: Instant,
}

impl Shared {
    /// The pack in use now (a request keeps it to its end).
    pub(crate) fn current(&self) -> Arc<Loaded> {
        match self.loaded.read() {
            Ok(l) => l.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
}

/// A revision hash of a pack's rule files (FNV-1a over names and texts).
fn revision(dir: Option<&std::path::Path>) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    match dir {
        None => feed(b"embedded"),
        Some(dir) => {
            let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
                .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
                .unwrap_or_default();
            files.retain(|p| p.extension().is_some_and(|e| e == "rules"));
            files.sort();
            for f in files {
                feed(f.display().to_string().as_bytes());
                feed(&std::fs::read(&f).unwrap_or_default());
            }
        }
    }
    if dir.is_none() {
        feed(env!("CARGO_PKG_VERSION").as_bytes());
    }
    format!("{h:016x}")
}

/// Loads the pack, as `check` does.
pub(crate) fn load(dir: Option<&std::path::Path>) -> Result<Loaded, crate::load::PackErrors> {
    let pack = match dir {
        Some(d) => crate::load::from_dir(d)?,
        None => crate::load::embedded()?,
    };
    Ok(Loaded {
        pack,
        revision: revision(dir),
        loaded_at: jiff::Timestamp::now().to_string(),
    })
}

/// The pack errors of a failed load, as one line of text.
fn errors_text(e: &crate::load::PackErrors) -> String {
    e.errors
        .iter()
        .map(|d| format!("{}: {}", d.code, d.message.text(crate::i18n::Lang::En)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Records the route, status and latency of every request.
async fn track(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |m| m.as_str().to_string());
    let method = req.method().clone();
    let started = Instant::now();
    let response = next.run(req).await;
    let took = started.elapsed();
    shared
        .metrics
        .request(&route, response.status().as_u16(), took);
    tracing::info!(%method, route, status = response.status().as_u16(), micros = took.as_micros() as u64, "request");
    response
}

/// The service's routes.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let concurrency = shared.config.concurrency.max(1);
    Router::new()
        .route("/", get(page::page))
        .route("/v1/check", post(check::check))
        .route("/v1/rules", get(api::rules))
        .route("/v1/rules/{id}", get(api::rule))
        .route("/v1/schema/{kind}", get(api::schema))
        .route("/v1/template/{kind}", get(api::template))
        .route("/v1/openapi.json", get(openapi::document))
        .route("/health", get(api::health))
        .route("/metrics", get(api::metrics))
        .fallback(problem::not_found)
        .method_not_allowed_fallback(problem::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(shared.clone(), track))
        // The body limit is enforced where bodies are read (413 as a problem).
        .layer(axum::extract::DefaultBodyLimit::max(shared.config.max_body))
        .layer(tower::limit::ConcurrencyLimitLayer::new(concurrency))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            problem::panicked,
        ))
        .with_state(shared)
}

/// A watch on the pack's folder: the watcher, and a channel that receives
/// one message per change.
type RulesWatch = (
    Box<dyn notify::Watcher + Send>,
    std::sync::mpsc::Receiver<()>,
);

/// Watches the pack's folder, before the pack is first loaded: a change made
/// while the service starts is never missed (at worst it reloads once more).
/// Where the system's file events cannot be had (inotify's limits reached, a
/// network file system) the folder is polled once a second instead; where
/// even that fails, the service says so and runs on the pack it loaded.
fn watch_rules(dir: &std::path::Path) -> Option<RulesWatch> {
    use notify::{RecursiveMode, Watcher};
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let on_event = move |e: notify::Result<notify::Event>| {
        // Reading the pack is an access too: only changes count.
        if e.as_ref()
            .is_ok_and(|e| e.kind.is_access() || e.kind.is_other())
        {
            return;
        }
        let _ = tx.send(());
    };
    let native = notify::recommended_watcher(on_event.clone()).and_then(|mut w| {
        w.watch(dir, RecursiveMode::NonRecursive)?;
        Ok(Box::new(w) as Box<dyn Watcher + Send>)
    });
    let watcher = native.or_else(|native_error| {
        tracing::warn!(error = %native_error, "file events unavailable; polling the rule pack's folder");
        let config = notify::Config::default().with_poll_interval(Duration::from_secs(1));
        notify::PollWatcher::new(on_event, config).and_then(|mut w| {
            w.watch(dir, RecursiveMode::NonRecursive)?;
            Ok(Box::new(w) as Box<dyn Watcher + Send>)
        })
    });
    match watcher {
        Ok(w) => Some((w, rx)),
        Err(e) => {
            tracing::warn!(error = %e, "the rule pack's folder cannot be watched; changes are not reloaded");
            None
        }
    }
}

/// Swaps the pack in whenever the watched folder changes and it loads.
fn reload_on_change(shared: Arc<Shared>, dir: PathBuf, (watcher, rx): RulesWatch) {
    std::thread::spawn(move || {
        // The watcher lives as long as this loop.
        let _watcher = watcher;
        while rx.recv().is_ok() {
            // Let an editor finish writing: a quiet moment, then one reload.
            std::thread::sleep(Duration::from_millis(150));
            while rx.try_recv().is_ok() {}
            match load(Some(&dir)) {
                Ok(loaded) => {
                    if let Ok(mut l) = shared.loaded.write() {
                        *l = Arc::new(loaded);
                    }
                    if let Ok(mut e) = shared.reload_error.write() {
                        *e = None;
                    }
                    tracing::warn!("rule pack reloaded");
                }
                Err(e) => {
                    let text = errors_text(&e);
                    tracing::warn!(error = %text, "rule pack not reloaded; the last good pack stays in use");
                    if let Ok(mut r) = shared.reload_error.write() {
                        *r = Some(text);
                    }
                }
            }
        }
    });
}

/// Why the service could not start.
#[derive(Debug)]
pub enum StartError {
    /// The pack does not load.
    Pack(crate::load::PackErrors),
    /// The address cannot be listened on.
    Io(std::io::Error),
}

/// Runs the service until SIGINT or SIGTERM; `listening` is told the bound
/// address first (port 0 picks a free one). In-flight requests finish.
pub fn run(config: Config, listening: impl FnOnce(SocketAddr)) -> Result<(), StartError> {
    // A folder that is not there gets its own error from `load`, not a watch warning too.
    let watch = config
        .rules
        .as_deref()
        .filter(|d| d.is_dir())
        .and_then(watch_rules);
    let loaded = load(config.rules.as_deref()).map_err(StartError::Pack)?;
    let shared = Arc::new(Shared {
        loaded: RwLock::new(Arc::new(loaded)),
        reload_error: RwLock::new(None),
        metrics: metrics::Metrics::default(),
        config: config.clone(),
        started: Instant::now(),
    });
    if let (Some(dir), Some(watch)) = (&config.rules, watch) {
        reload_on_change(shared.clone(), dir.clone(), watch);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(StartError::Io)?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(StartError::Io)?;
        let bound = listener.local_addr().map_err(StartError::Io)?;
        listening(bound);
        axum::serve(listener, router(shared))
            .with_graceful_shutdown(shutdown())
            .await
            .map_err(StartError::Io)
    })
}

/// Resolves on SIGINT or SIGTERM.
async fn shutdown() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
