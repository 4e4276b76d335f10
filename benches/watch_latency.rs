//! Watch latency: the time from saving a submission to its printed result,
//! median and 90th percentile over many edits, next to the baseline of the
//! debounce window measured in the same run. Run with `cargo bench --bench watch_latency`.

#![expect(clippy::expect_used, reason = "a benchmark stops at its first failure")]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

const EDITS: usize = 60;
const DEBOUNCE_MS: u64 = 100;

fn project(floor_area: usize) -> String {
    format!(
        r#"{{"kind": "project", "id": "bench", "submitted": "2017-06-01", "category": "industrial", "construction": "new",
 "location": {{"county": "茌平县", "zone_level": "provincial", "chemical_park": false}},
 "investment": {{"total": 8000, "fixed_assets": 9000}}, "land": {{"area": 30, "floor_area": {floor_area}, "footprint": 12000}}, "tax": {{"annual": 900}}}}"#
    )
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("a.json");
    std::fs::write(&file, project(30000)).expect("write");
    // A folder of other submissions, so that a re-check of one file is measured against a realistic folder.
    for i in 0..200 {
        std::fs::write(
            dir.path().join(format!("other-{i}.json")),
            project(30000 + i),
        )
        .expect("write");
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_plancheck"))
        .args([
            "watch",
            dir.path().to_str().unwrap_or("."),
            "--format",
            "json",
            "--debounce-ms",
            &DEBOUNCE_MS.to_string(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("plancheck watch starts");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = channel::<(Instant, String)>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send((Instant::now(), line)).is_err() {
                break;
            }
        }
    });
    let _ = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("initial check");
    // Whatever else the start prints (a batch for files written just before
    // the watcher began, delivered late) is drained before the first save:
    // a line left over would be taken for the next save's result.
    let drain = || {
        std::thread::sleep(Duration::from_millis(DEBOUNCE_MS * 3));
        while rx.try_recv().is_ok() {}
    };
    drain();
    let mut latencies = Vec::new();
    for i in 0..EDITS {
        // Alternate between a failing and a passing plot ratio so every edit changes the result.
        if i > 0 {
            drain();
        }
        let saved = Instant::now();
        std::fs::write(&file, project(if i % 2 == 0 { 15000 } else { 30000 + i })).expect("write");
        loop {
            let (at, line) = rx
                .recv_timeout(Duration::from_secs(30))
                .expect("a result for every save");
            if line.contains("\"a.json") || line.contains("/a.json\"") {
                latencies.push(at.duration_since(saved));
                break;
            }
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = latencies
        .get(latencies.len() / 2)
        .copied()
        .unwrap_or_default();
    let p90 = latencies
        .get(latencies.len() * 9 / 10)
        .copied()
        .unwrap_or_default();
    let baseline = Duration::from_millis(DEBOUNCE_MS);
    println!(
        "watch latency over {EDITS} edits (debounce window {DEBOUNCE_MS} ms, 201 files watched)"
    );
    println!(
        "  median {:.1} ms, p90 {:.1} ms, max {:.1} ms",
        ms(median),
        ms(p90),
        ms(latencies.last().copied().unwrap_or_default())
    );
    println!("  ratio median / debounce window: {:.2} (1.0 would be pure debounce; the rest is event delivery and the re-check)", ms(median) / ms(baseline));
}
