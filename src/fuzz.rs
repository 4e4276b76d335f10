//! Entry points for fuzzing: each takes arbitrary bytes and runs one part
//! of the pipeline on them, end to end, rendering every output. They never
//! panic; anything else is a bug that the fuzzer (`fuzz/`) and the corpus
//! replay in `tests/it/fuzz_corpus.rs` exist to find.
//!
//! They live in the library (hidden from its documentation) so that the
//! cargo-fuzz targets and `cargo test` run the very same code.

use crate::input::Format;
use crate::model::{Options, RecordReport};
use crate::pack::Pack;
use crate::report::{render, EmitOptions, Format as Output, RunEnd};
use std::sync::{Arc, OnceLock};

/// The embedded pack, loaded once per process.
fn pack() -> Option<&'static Pack> {
    static PACK: OnceLock<Option<Pack>> = OnceLock::new();
    PACK.get_or_init(|| crate::load::embedded().ok()).as_ref()
}

/// The output format and language an input is rendered in, chosen by its
/// length: across a corpus every format is exercised, and each execution
/// stays cheap (ten renderings per input would cost ten times the time).
fn choose(data: &[u8]) -> (Output, crate::i18n::Lang) {
    let n = data.len();
    let format = Output::ALL
        .get(n % Output::ALL.len())
        .copied()
        .unwrap_or(Output::Human);
    let lang = if n.is_multiple_of(2) {
        crate::i18n::Lang::Zh
    } else {
        crate::i18n::Lang::En
    };
    (format, lang)
}

/// Renders some reports in the output chosen for `data`.
fn render_one(pack: &Pack, reports: &[RecordReport], data: &[u8]) {
    let (format, lang) = choose(data);
    let opts = EmitOptions {
        lang,
        color: n_is_odd(data),
        width: 100,
        quiet: false,
        deny_warnings: false,
    };
    let _ = render(format, pack, opts, reports, &RunEnd::default());
}

fn n_is_odd(data: &[u8]) -> bool {
    !data.len().is_multiple_of(2)
}

/// A text submission of `format`, checked and rendered.
fn text(data: &[u8], name: &str, format: Format) {
    let Some(pack) = pack() else { return };
    let text: Arc<str> = Arc::from(crate::input::decode_all(data));
    let opts = Options {
        all: true,
        ..Options::default()
    };
    if matches!(format, Format::Json | Format::Jsonl) {
        direct_agrees(pack, &text);
    }
    let reports = crate::run::check_text(pack, name, text, format, &opts);
    render_one(pack, &reports, data);
}

/// The direct reader answers as the general path for the whole text and
/// for each of its lines, with and without a kind from the file name.
fn direct_agrees(pack: &Pack, text: &str) {
    for part in std::iter::once(text).chain(text.lines()) {
        for hint in [None, Some("project")] {
            let settings = crate::input::Settings {
                hint,
                date: None,
                lang: crate::i18n::Lang::En,
                names: None,
                given_twice: &[],
            };
            let _ = crate::input::assert_direct_agrees(pack, part, &settings);
        }
    }
}

/// A `.json` submission.
pub fn json(data: &[u8]) {
    text(data, "fuzz.json", Format::Json);
}

/// A `.jsonl` submission.
pub fn jsonl(data: &[u8]) {
    text(data, "fuzz.jsonl", Format::Jsonl);
}

/// A `.csv` submission.
pub fn csv(data: &[u8]) {
    text(data, "fuzz.csv", Format::Csv);
}

/// A workbook (`extension`: `xlsx` or `xls`), read from a file as `check` reads it.
fn workbook(data: &[u8], extension: &str) {
    let Some(pack) = pack() else { return };
    // One file per process and thread, rewritten for every input.
    let path = std::env::temp_dir().join(format!(
        "plancheck-fuzz-{}-{:?}.{extension}",
        std::process::id(),
        std::thread::current().id()
    ));
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let mut reports = Vec::new();
    let _ = crate::run::check_file(
        pack,
        "fuzz",
        &path,
        Format::Workbook,
        &Options::default(),
        &mut |batch| reports.extend(batch),
    );
    render_one(pack, &reports, data);
}

/// An `.xlsx` workbook.
pub fn xlsx(data: &[u8]) {
    workbook(data, "xlsx");
}

/// An `.xls` workbook.
pub fn xls(data: &[u8]) {
    workbook(data, "xls");
}

/// A rules file: parsed and checked as a one-file pack citing the plan,
/// its diagnostics rendered in both languages.
pub fn rules(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let plan: Arc<str> = Arc::from(crate::load::embedded_plan());
    let loaded =
        crate::load::load_texts(vec![("fuzz.rules".to_string(), text.to_string())], |_| {
            Ok(plan.clone())
        });
    match loaded {
        Ok(pack) => {
            // A pack that loads runs its own examples.
            let _ = crate::run::run_examples(&pack, crate::i18n::Lang::En);
        }
        Err(e) => {
            let (_, lang) = choose(data);
            let opts = EmitOptions {
                lang,
                color: false,
                width: 100,
                quiet: false,
                deny_warnings: false,
            };
            let _ = crate::report::render_pack_errors(&e.reports(lang), &opts);
        }
    }
}

/// Any text submission: the first byte chooses the format (`.json`,
/// `.jsonl` or CSV), the rest is the file. One target for every text
/// reader keeps the fuzzing budget on the code, not on start-up.
pub fn submission(data: &[u8]) {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    on_one_thread(|| match first % 3 {
        0 => json(rest),
        1 => jsonl(rest),
        _ => csv(rest),
    });
}

/// Any workbook: the first byte chooses `.xlsx` or `.xls`.
pub fn any_workbook(data: &[u8]) {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    on_one_thread(|| {
        if first % 2 == 0 {
            xlsx(rest);
        } else {
            xls(rest);
        }
    });
}

/// Runs `f` inside a pool of one thread. The driver's joins and parallel
/// iterators, called from outside any pool, each woke a pool thread and
/// waited for it (a sixth of the fuzzer's time went to that hand-over);
/// inside the pool they run in place. The code run is the same.
fn on_one_thread(f: impl FnOnce() + Send) {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    let pool = POOL.get_or_init(|| rayon::ThreadPoolBuilder::new().num_threads(1).build().ok());
    match pool {
        Some(pool) => pool.install(f),
        None => f(),
    }
}

/// A record's text through the JSON reader and typing alone (the fastest
/// target: the most executions per second on the reader).
pub fn record(data: &[u8]) {
    let Some(pack) = pack() else { return };
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (_, lang) = choose(data);
    let settings = crate::input::Settings {
        hint: Some("project"),
        date: None,
        lang,
        names: None,
        given_twice: &[],
    };
    if let Ok(typed) = crate::input::type_text(pack, text, &settings) {
        if let Some(record) = &typed.record {
            let _ = crate::eval::evaluate(pack, record, &Options::default());
        }
    }
}
