//! End-to-end throughput of `plancheck check` on a deterministic batch of
//! realistic project applications (JSONL), next to a baseline measured in
//! the same run: merely parsing the same file with serde_json into
//! `serde_json::Value`, line by line, on one thread.
//!
//! Run with `cargo bench --bench throughput` (1,000,000 records by default;
//! set `PLANCHECK_BENCH_RECORDS` for another size; each figure is the
//! median of `PLANCHECK_BENCH_RUNS`, 3 by default, peak memory the
//! highest). Prints records/s, MB/s, peak memory (from /proc, Linux), and
//! the ratios the README reports; beside the two-thread speed-up, what two
//! one-thread checks of the batch's halves side by side give in the same
//! run (the most two cores of this machine give to work that shares
//! nothing, so that a slow spell of a shared VM is told from a slow check).

#![expect(clippy::expect_used, reason = "a benchmark stops at its first failure")]

#[path = "support/gen.rs"]
mod gen;

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn generate(path: &Path, n: u64) -> u64 {
    let mut out = BufWriter::new(std::fs::File::create(path).expect("create"));
    let mut rng = gen::Rng::new(20_160_323);
    for i in 0..n {
        writeln!(out, "{}", gen::project(&mut rng, i)).expect("write");
    }
    out.flush().expect("flush");
    std::fs::metadata(path).expect("size").len()
}

/// The baseline: parse every line into a `serde_json::Value`.
fn baseline(path: &Path) -> (Duration, u64) {
    let start = Instant::now();
    let reader = BufReader::with_capacity(1 << 16, std::fs::File::open(path).expect("open"));
    let mut objects = 0u64;
    for line in reader.lines() {
        let line = line.expect("line");
        let v: serde_json::Value = serde_json::from_str(&line).expect("valid JSON");
        objects += u64::from(v.is_object());
    }
    (start.elapsed(), objects)
}

/// Splits the batch into its first and second halves (by records).
fn halves(path: &Path, n: u64, a: &Path, b: &Path) {
    let reader = BufReader::with_capacity(1 << 16, std::fs::File::open(path).expect("open"));
    let mut first = BufWriter::new(std::fs::File::create(a).expect("create"));
    let mut second = BufWriter::new(std::fs::File::create(b).expect("create"));
    for (i, line) in reader.lines().enumerate() {
        let out = if (i as u64) < n / 2 {
            &mut first
        } else {
            &mut second
        };
        writeln!(out, "{}", line.expect("line")).expect("write");
    }
    first.flush().expect("flush");
    second.flush().expect("flush");
}

/// Two one-thread checks, of the two halves, side by side: what this
/// machine's two cores give to work that shares nothing, in this run (a
/// shared VM's second core is sometimes slower than its first).
fn side_by_side(a: &Path, b: &Path) -> Duration {
    let start = Instant::now();
    let spawn = |p: &Path| {
        Command::new(env!("CARGO_BIN_EXE_plancheck"))
            .args([
                "check",
                p.to_str().expect("path"),
                "--format",
                "json",
                "--jobs",
                "1",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("plancheck runs")
    };
    let (mut x, mut y) = (spawn(a), spawn(b));
    x.wait().expect("wait");
    y.wait().expect("wait");
    start.elapsed()
}

/// Runs plancheck; returns wall time and peak resident memory in KiB.
fn run(path: &Path, jobs: usize) -> (Duration, u64) {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_plancheck"))
        .args([
            "check",
            path.to_str().expect("path"),
            "--format",
            "json",
            "--jobs",
            &jobs.to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("plancheck runs");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0u64;
    loop {
        // VmHWM is the high-water mark of resident memory so far.
        if let Ok(status) = std::fs::read_to_string(&status_file) {
            if let Some(kb) = status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
            {
                peak = peak.max(kb);
            }
        }
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    (start.elapsed(), peak)
}

fn main() {
    let n: u64 = std::env::var("PLANCHECK_BENCH_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let dir = tempfile::tempdir().expect("temp dir");
    let big = dir.path().join("applications.jsonl");
    let quarter = dir.path().join("applications-quarter.jsonl");
    let bytes = generate(&big, n);
    generate(&quarter, n / 4);
    let (half_a, half_b) = (dir.path().join("a.jsonl"), dir.path().join("b.jsonl"));
    halves(&big, n, &half_a, &half_b);
    let mb = bytes as f64 / 1e6;
    println!("batch: {n} project applications, {mb:.1} MB, {cores} core(s)");

    // Each figure is the median of a few runs, alternating between what is
    // compared, so that a passing disturbance of a shared machine moves
    // neither side alone.
    let runs: usize = std::env::var("PLANCHECK_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
        .max(1);
    let median = |mut times: Vec<Duration>| {
        times.sort();
        times[times.len() / 2]
    };
    let (mut bases, mut ones, mut alls) = (Vec::new(), Vec::new(), Vec::new());
    let mut pairs = Vec::new();
    let (mut peak_one, mut peak_all) = (0u64, 0u64);
    for _ in 0..runs {
        let (base, objects) = baseline(&big);
        assert_eq!(objects, n);
        bases.push(base);
        let (one, peak) = run(&big, 1);
        ones.push(one);
        peak_one = peak_one.max(peak);
        let (all, peak) = run(&big, cores);
        alls.push(all);
        peak_all = peak_all.max(peak);
        pairs.push(side_by_side(&half_a, &half_b));
    }
    let (base, one, all) = (median(bases), median(ones), median(alls));
    let pair = median(pairs);
    println!("median of {runs} run(s) each, alternating");
    let rate = |d: Duration| n as f64 / d.as_secs_f64();
    println!(
        "baseline serde_json::Value parse, 1 thread: {:>8.2} s  {:>10.0} records/s  {:>7.1} MB/s",
        base.as_secs_f64(),
        rate(base),
        mb / base.as_secs_f64()
    );
    println!("plancheck check --jobs 1:                  {:>8.2} s  {:>10.0} records/s  {:>7.1} MB/s  peak {:>6.1} MiB", one.as_secs_f64(), rate(one), mb / one.as_secs_f64(), peak_one as f64 / 1024.0);
    println!("plancheck check --jobs {cores}:                  {:>8.2} s  {:>10.0} records/s  {:>7.1} MB/s  peak {:>6.1} MiB", all.as_secs_f64(), rate(all), mb / all.as_secs_f64(), peak_all as f64 / 1024.0);
    let (_, peak_quarter) = run(&quarter, 1);
    println!(
        "plancheck check --jobs 1 on a quarter of the batch: peak {:>6.1} MiB",
        peak_quarter as f64 / 1024.0
    );
    println!();
    println!(
        "throughput ratio, check --jobs 1 / parse baseline: {:.2} (target ≥ 1.0, issue 15)",
        base.as_secs_f64() / one.as_secs_f64()
    );
    println!(
        "speed-up with {cores} threads: {:.2}× (target ≥ 1.8× with two)",
        one.as_secs_f64() / all.as_secs_f64()
    );
    println!(
        "two one-thread checks of the halves side by side: {:.2}× one check of the whole (what the machine's two cores give to work that shares nothing, this run)",
        one.as_secs_f64() / pair.as_secs_f64()
    );
    println!(
        "peak memory, full batch / quarter batch: {:.2} (flat ≈ 1.0; target < 32 MiB)",
        peak_one as f64 / peak_quarter.max(1) as f64
    );
}
