//! Parallel checking gives exactly the output of a sequential run.

use super::plancheck_in;

#[test]
fn parallel_and_sequential_outputs_are_identical() {
    let dir = tempfile::tempdir().unwrap();
    let samples = super::root().join("seeds/samples");
    // A large stream built from the samples' records, plus the sample files themselves.
    let mut lines = Vec::new();
    for entry in std::fs::read_dir(&samples).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".json") || name.ends_with(".jsonl") {
            std::fs::copy(&p, dir.path().join(&name)).unwrap();
        }
        if name.ends_with(".json") {
            if let Ok(v) =
                serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(&p).unwrap())
            {
                match v {
                    serde_json::Value::Array(items) => {
                        lines.extend(items.iter().map(|i| i.to_string()))
                    }
                    other => lines.push(other.to_string()),
                }
            }
        }
    }
    let mut big = String::new();
    for i in 0..40 {
        for l in &lines {
            big.push_str(l);
            big.push('\n');
        }
        if i % 10 == 0 {
            big.push_str("{broken\n\n");
        }
    }
    std::fs::write(dir.path().join("big.jsonl"), big).unwrap();
    for format in ["json", "human", "github"] {
        let one = plancheck_in(
            dir.path(),
            &[
                "check", ".", "--format", format, "--jobs", "1", "--lang", "en",
            ],
        );
        let many = plancheck_in(
            dir.path(),
            &[
                "check", ".", "--format", format, "--jobs", "4", "--lang", "en",
            ],
        );
        let strip = |s: &str| {
            s.lines()
                .filter(|l| !l.starts_with("checked "))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert!(one.stdout.len() > 10_000);
        assert_eq!(strip(&one.stdout), strip(&many.stdout), "{format}");
        assert_eq!(one.code, many.code);
    }
}
