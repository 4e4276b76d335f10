//! Where a record's time goes: each phase of `check`, and each rule of the
//! embedded pack, measured in-process with divan next to the floor the
//! throughput target is set against (issue 15): parsing the same records
//! into `serde_json::Value`.
//!
//! Run with `cargo bench --bench phases` (a filter narrows it:
//! `cargo bench --bench phases -- rule`). Every phase reports bytes per
//! second of the same batch's text (whatever it works on), so its figure
//! reads against the floor's; a rule reports records per second:
//!
//! - `floor`: `serde_json::from_str::<Value>` on every line of the batch;
//! - `read::parse`: plancheck's own JSON reader (exact numbers, every
//!   value's place) on the same lines; `read::parse_and_type`: that, and
//!   typing against the pack's record declarations;
//! - `evaluate::all_rules`: every rule in force, on the typed records;
//! - `write::json`: the JSON output of the reports (§5 of the contract);
//! - `end_to_end`: `run::check_text` on the whole batch as JSONL on one
//!   thread, then the JSON output: what `check --format json --jobs 1`
//!   does once the file is in memory (`benches/throughput.rs` measures the
//!   binary on a file);
//! - `rule`: one rule at a time (`Options::select`), on the records of its
//!   subject: the generated applications, or the county and city reports
//!   of `seeds/samples`. `rule::none` is the same call selecting no rule:
//!   what every `rule` figure includes besides the rule itself.

#![expect(clippy::expect_used, reason = "a benchmark stops at its first failure")]

#[path = "support/gen.rs"]
mod gen;

use divan::counter::{BytesCount, ItemsCount};
use divan::{black_box, Bencher};
use plancheck::input::{self, Format, Settings};
use plancheck::model::{Options, Record, RecordReport};
use plancheck::pack::Pack;
use std::sync::{Arc, LazyLock};

/// Applications in the batch: enough that a pass takes milliseconds.
const RECORDS: u64 = 2_000;

fn main() {
    divan::main();
}

static PACK: LazyLock<Pack> =
    LazyLock::new(|| plancheck::load::embedded().expect("the embedded pack loads"));

/// The batch, as lines and as the records and reports `check` makes of them.
struct Batch {
    lines: Vec<String>,
    jsonl: Arc<str>,
    bytes: usize,
    /// Typed records, by kind name: the generated applications, and every
    /// record of the shipped samples.
    records: Vec<(String, Arc<Record>)>,
    reports: Vec<RecordReport>,
}

static BATCH: LazyLock<Batch> = LazyLock::new(|| {
    let mut rng = gen::Rng::new(20_160_323);
    let lines: Vec<String> = (0..RECORDS).map(|i| gen::project(&mut rng, i)).collect();
    let jsonl: Arc<str> = Arc::from(lines.join("\n"));
    let bytes = lines.iter().map(String::len).sum();
    let keep = Options {
        keep_records: true,
        ..Options::default()
    };
    let mut records: Vec<(String, Arc<Record>)> = Vec::new();
    let mut keep_all = |reports: Vec<RecordReport>| {
        for r in reports {
            if let (Some(kind), Some(record)) = (r.kind, r.record) {
                records.push((kind, record));
            }
        }
    };
    keep_all(plancheck::run::check_text(
        &PACK,
        "batch.jsonl",
        jsonl.clone(),
        Format::Jsonl,
        &keep,
    ));
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/samples");
    let mut files: Vec<_> = std::fs::read_dir(samples)
        .expect("seeds/samples")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("a sample");
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("x.json");
        keep_all(plancheck::run::check_text(
            &PACK,
            name,
            Arc::from(text),
            Format::Json,
            &keep,
        ));
    }
    let reports = plancheck::run::check_text(
        &PACK,
        "batch.jsonl",
        jsonl.clone(),
        Format::Jsonl,
        &Options::default(),
    );
    Batch {
        lines,
        jsonl,
        bytes,
        records,
        reports,
    }
});

fn settings() -> Settings<'static> {
    Settings {
        hint: None,
        date: None,
        lang: plancheck::i18n::Lang::Zh,
        names: None,
        given_twice: &[],
    }
}

#[divan::bench]
fn floor(b: Bencher) {
    let batch = &*BATCH;
    b.counter(BytesCount::new(batch.bytes)).bench(|| {
        for line in &batch.lines {
            let v: serde_json::Value = serde_json::from_str(line).expect("valid JSON");
            black_box(v);
        }
    });
}

mod read {
    use super::*;

    #[divan::bench]
    fn parse(b: Bencher) {
        let batch = &*BATCH;
        let mut nodes = Vec::new();
        b.counter(BytesCount::new(batch.bytes)).bench_local(|| {
            for line in &batch.lines {
                input::json::parse(line, &mut nodes).expect("valid JSON");
                black_box(&nodes);
            }
        });
    }

    #[divan::bench]
    fn parse_and_type(b: Bencher) {
        let batch = &*BATCH;
        let cx = settings();
        b.counter(BytesCount::new(batch.bytes)).bench(|| {
            for line in &batch.lines {
                black_box(input::type_text(&PACK, line, &cx).expect("valid JSON"));
            }
        });
    }
}

mod evaluate {
    use super::*;

    #[divan::bench]
    fn all_rules(b: Bencher) {
        let batch = &*BATCH;
        let opts = Options::default();
        let projects: Vec<&Record> = batch
            .records
            .iter()
            .filter(|(k, _)| k == "project")
            .map(|(_, r)| r.as_ref())
            .collect();
        // Bytes of the lines these records were read from: a share of the floor.
        b.counter(BytesCount::new(batch.bytes)).bench(|| {
            for r in &projects {
                black_box(plancheck::eval::evaluate(&PACK, r, &opts));
            }
        });
    }
}

mod write {
    use super::*;

    #[divan::bench]
    fn json(b: Bencher) {
        let batch = &*BATCH;
        let mut buf = Vec::with_capacity(1 << 20);
        b.counter(BytesCount::new(batch.bytes)).bench_local(|| {
            buf.clear();
            for r in &batch.reports {
                plancheck::report::write_json_record(&mut buf, &PACK, r).expect("writes");
            }
            black_box(buf.len());
        });
    }
}

/// On one thread, as `--jobs 1` (`check_text` checks in parallel on
/// rayon's pool; this pool has one thread).
#[divan::bench]
fn end_to_end(b: Bencher) {
    let batch = &*BATCH;
    let opts = Options::default();
    let mut buf = Vec::with_capacity(1 << 20);
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a thread pool");
    b.counter(BytesCount::new(batch.bytes)).bench_local(|| {
        let reports = one.install(|| {
            plancheck::run::check_text(
                &PACK,
                "batch.jsonl",
                batch.jsonl.clone(),
                Format::Jsonl,
                &opts,
            )
        });
        buf.clear();
        for r in &reports {
            plancheck::report::write_json_record(&mut buf, &PACK, r).expect("writes");
        }
        black_box(buf.len());
    });
}

/// Every rule id of the embedded pack, and `none` (no rule).
fn rule_ids() -> Vec<&'static str> {
    let mut ids = vec!["none"];
    ids.extend(PACK.rules.iter().map(|r| &*r.id));
    ids
}

/// One rule on the records of its subject (`none`: the applications).
#[divan::bench(args = rule_ids())]
fn rule(b: Bencher, id: &str) {
    let pack = &*PACK;
    let subject = pack
        .rules
        .iter()
        .find(|r| &*r.id == id)
        .and_then(|r| pack.records.get(r.subject.0))
        .map_or("project", |d| d.kind.as_str());
    let records: Vec<&Record> = BATCH
        .records
        .iter()
        .filter(|(k, _)| k == subject)
        .map(|(_, r)| r.as_ref())
        .collect();
    // `select` matches id prefixes: a rule whose id begins another's is
    // measured with that one; `none` begins no id.
    let opts = Options {
        select: vec![if id == "none" {
            "\u{0}".to_string()
        } else {
            id.to_string()
        }],
        ..Options::default()
    };
    b.counter(ItemsCount::new(records.len())).bench(|| {
        for r in &records {
            black_box(plancheck::eval::evaluate(pack, r, &opts));
        }
    });
}
