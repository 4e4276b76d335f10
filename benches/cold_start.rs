//! Cold start: `plancheck check one-application.json --format json` from
//! process start to exit, median over many runs, next to the floor measured
//! in the same run: starting a process that reads the same small file
//! (`cat`). Target (issue 15): a median of at most 5 ms. Run with
//! `cargo bench --bench cold_start`.

#![expect(clippy::expect_used, reason = "a benchmark stops at its first failure")]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 101;

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time(program: &str, args: &[&str]) -> Duration {
    let mut runs = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let start = Instant::now();
        let status = Command::new(program)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("runs");
        runs.push(start.elapsed());
        assert!(status.code().is_some(), "{program} was killed");
    }
    median(runs)
}

fn main() {
    let sample = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/seeds/samples/project-low-plot-ratio.json"
    );
    let bin = env!("CARGO_BIN_EXE_plancheck");
    // Warm the page cache first.
    time(bin, &["check", sample, "--format", "json"]);
    let floor = time("cat", &[sample]);
    let check = time(bin, &["check", sample, "--format", "json"]);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("cold start, median of {RUNS} runs:");
    println!(
        "  floor: a process reading the file (cat):   {:6.2} ms",
        ms(floor)
    );
    println!(
        "  plancheck check one application (json):   {:6.2} ms",
        ms(check)
    );
    println!(
        "  ratio check / floor: {:.1}; target ≤ 5 ms: {}",
        ms(check) / ms(floor),
        if ms(check) <= 5.0 { "met" } else { "NOT met" }
    );
}
