//! `plancheck watch` on a real temporary folder: every kind of file event,
//! read back from its newline-delimited JSON output. The operations run one
//! after another in a single test, each waiting for its result.

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

struct Watch {
    child: Child,
    lines: Receiver<Value>,
}

impl Watch {
    fn start(dir: &Path, extra: &[&str]) -> Watch {
        let mut child = Command::new(env!("CARGO_BIN_EXE_plancheck"))
            .arg("watch")
            .arg(dir)
            .args(["--format", "json", "--debounce-ms", "100"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("watch starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Ok(v) = serde_json::from_str::<Value>(&line) {
                    if tx.send(v).is_err() {
                        break;
                    }
                }
            }
        });
        Watch { child, lines: rx }
    }

    /// Reads batches until one satisfies `pred` (a generous timeout).
    fn until(&self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(v) if pred(&v) => return v,
                Ok(_) => continue,
                Err(_) => break,
            }
        }
        panic!("timed out waiting for: {what}");
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn project(id: &str, floor_area: u32) -> String {
    format!(
        r#"{{"kind": "project", "id": "{id}", "submitted": "2017-06-01", "category": "industrial", "construction": "new",
 "location": {{"county": "茌平县", "zone_level": "provincial", "chemical_park": false}},
 "industry": {{"catalog_class": "permitted", "two_highs_one_resource": false, "chemical": false, "hazardous_chemical": false}},
 "approvals": {{"energy_review": true}}, "water": {{"saving_facilities_simultaneous": true}},
 "investment": {{"total": 8000, "fixed_assets": 9000}}, "land": {{"area": 30, "floor_area": {floor_area}, "footprint": 12000}}, "tax": {{"annual": 900}}}}"#
    )
}

fn summary(v: &Value, key: &str) -> u64 {
    v["summary"][key].as_u64().unwrap_or(u64::MAX)
}

#[test]
fn watch_follows_every_kind_of_file_event() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("a.json"), project("a", 30000)).unwrap();
    std::fs::write(dir.join(".gitignore"), "ignored/\n").unwrap();
    let w = Watch::start(dir, &[]);
    let start = w.until("initial check", |v| v["trigger"] == "start");
    assert_eq!(summary(&start, "pass"), 1);

    // A file written in two steps: an error first, then a clean re-check.
    let full = project("b", 15000);
    let (head, _) = full.split_at(40);
    std::fs::write(dir.join("b.json"), head).unwrap();
    w.until("half-written file is invalid", |v| {
        summary(v, "invalid") == 1
    });
    std::fs::write(dir.join("b.json"), &full).unwrap();
    let v = w.until("completed write re-checked", |v| {
        summary(v, "invalid") == 0 && summary(v, "fail") == 1
    });
    assert!(
        v["resolved"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "input.parse"),
        "no stale parse error: {v}"
    );

    // Save by rename: write a temporary file, then rename it over the target.
    std::fs::write(dir.join(".b.json.swp"), project("b", 30000)).unwrap();
    std::fs::rename(dir.join(".b.json.swp"), dir.join("b.json")).unwrap();
    w.until("renamed-over file passes", |v| {
        summary(v, "fail") == 0 && summary(v, "pass") == 2
    });

    // Editor temporaries and ignored paths never appear.
    std::fs::write(dir.join("b.json~"), "{").unwrap();
    std::fs::create_dir(dir.join("ignored")).unwrap();
    std::fs::write(dir.join("ignored/x.json"), "{").unwrap();

    // A new sub-folder with a file in it.
    std::fs::create_dir(dir.join("sub")).unwrap();
    std::fs::write(dir.join("sub/c.json"), project("c", 15000)).unwrap();
    let v = w.until("file in a new folder", |v| summary(v, "files") == 3);
    assert_eq!(
        summary(&v, "invalid"),
        0,
        "temporary and ignored files are not checked: {v}"
    );

    // Rename within the folder, then move out of it.
    std::fs::rename(dir.join("sub/c.json"), dir.join("c2.json")).unwrap();
    w.until("renamed file re-checked under its new name", |v| {
        summary(v, "files") == 3
            && v["changed"]
                .as_array()
                .is_some_and(|c| c.iter().any(|f| f.as_str().unwrap().ends_with("c2.json")))
    });
    let outside = tempfile::tempdir().unwrap();
    std::fs::rename(dir.join("c2.json"), outside.path().join("c2.json")).unwrap();
    w.until("moved-out file forgotten", |v| {
        summary(v, "files") == 2 && summary(v, "fail") == 0
    });

    // Delete: its results disappear.
    std::fs::remove_file(dir.join("b.json")).unwrap();
    w.until("deleted file forgotten", |v| summary(v, "files") == 1);

    // A burst of many files is batched, not a storm of re-checks.
    for i in 0..200 {
        std::fs::write(
            dir.join(format!("burst-{i}.json")),
            project(&format!("p{i}"), 30000),
        )
        .unwrap();
    }
    let v = w.until("burst checked", |v| summary(v, "files") == 201);
    assert!(v["batch"].as_u64().unwrap() < 40, "a burst is batched: {v}");

    // Ctrl-C ends the watch cleanly with the last summary.
    let mut w = w;
    let pid = w.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    let last = w.until("final summary on interrupt", |v| {
        v["trigger"] == "interrupt"
    });
    assert_eq!(summary(&last, "files"), 201);
    let status = w.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn a_broken_rule_file_keeps_the_last_good_pack() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let rules = super::pack_copy(tmp.path(), str::to_string);
    std::fs::write(data.join("a.json"), project("a", 15000)).unwrap();
    let w = Watch::start(&data, &["--rules", rules.to_str().unwrap()]);
    let start = w.until("initial check", |v| v["trigger"] == "start");
    assert_eq!(summary(&start, "fail"), 1);
    let land = rules.join("20-land.rules");
    let text = std::fs::read_to_string(&land).unwrap();
    std::fs::write(&land, text.replace("force binding", "force bindng")).unwrap();
    std::thread::sleep(Duration::from_millis(600));
    // Still watching with the last good pack: a change is checked as before.
    std::fs::write(data.join("a.json"), project("a", 16000)).unwrap();
    w.until("checked with the last good pack", |v| {
        v["trigger"] == "change" && summary(v, "fail") == 1
    });
    // A fixed pack that drops the plot-ratio minimum to 0.5 re-checks everything.
    std::fs::write(
        &land,
        text.replace("require plot_ratio >= 1.0", "require plot_ratio >= 0.5"),
    )
    .unwrap();
    w.until("reloaded pack re-checks everything", |v| {
        v["trigger"] == "rules" && summary(v, "fail") == 0
    });
}
