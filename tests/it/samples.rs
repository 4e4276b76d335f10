//! Every shipped sample, checked by the real binary, in both languages.

use super::{plancheck, settings};

#[test]
fn every_sample_renders_in_chinese_and_english() {
    let s = settings();
    s.bind(|| {
        insta::glob!("../../seeds/samples", "*.json*", |path| {
            let rel = path
                .strip_prefix(super::root())
                .expect("inside the repo")
                .to_string_lossy()
                .into_owned();
            for lang in ["zh", "en"] {
                let run = plancheck(&["check", &rel, "--lang", lang]);
                assert!(
                    run.code == 0 || run.code == 1,
                    "exit {} for {rel}: {}",
                    run.code,
                    run.stderr
                );
                insta::assert_snapshot!(
                    format!("{lang}"),
                    format!("exit: {}\n{}", run.code, run.stdout)
                );
            }
        });
    });
}

#[test]
fn every_sample_gives_contract_json() {
    let s = settings();
    s.bind(|| {
        insta::glob!("../../seeds/samples", "*.json*", |path| {
            let rel = path
                .strip_prefix(super::root())
                .expect("inside the repo")
                .to_string_lossy()
                .into_owned();
            let run = plancheck(&["check", &rel, "--format", "json", "--lang", "en"]);
            let doc: serde_json::Value =
                serde_json::from_str(&run.stdout).expect("one JSON document on stdout");
            super::contract::assert_contract_shape(&doc);
            insta::assert_json_snapshot!("json", doc);
        });
    });
}

#[test]
fn the_main_job_runs_on_all_samples() {
    let run = plancheck(&["check", "seeds/samples"]);
    assert_eq!(run.code, 1, "some samples fail on purpose: {}", run.stderr);
    assert!(run.stdout.contains("checked "), "{}", run.stdout);
}
