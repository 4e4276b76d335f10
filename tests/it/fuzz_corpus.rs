//! The fuzz targets inside `cargo test`: every committed seed of
//! `fuzz/seeds/` replayed, and a short burst of random inputs, through the
//! same entry points cargo-fuzz drives (`plancheck::fuzz`). A panic here is
//! a crash the fuzzer would report.

use proptest::prelude::*;

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let dir = super::root().join("fuzz/seeds").join(target);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        run(&std::fs::read(&path).unwrap());
        n += 1;
    }
    n
}

#[test]
fn every_seed_of_every_target_runs_clean() {
    assert!(replay("rules", plancheck::fuzz::rules) >= 10);
    assert!(replay("submission", plancheck::fuzz::submission) >= 10);
    assert!(replay("workbook", plancheck::fuzz::any_workbook) >= 5);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_bytes_run_clean_through_every_target(data in prop::collection::vec(any::<u8>(), 0..2048)) {
        plancheck::fuzz::rules(&data);
        plancheck::fuzz::submission(&data);
        plancheck::fuzz::any_workbook(&data);
        plancheck::fuzz::record(&data);
    }

    #[test]
    fn json_shaped_text_runs_clean(text in "[\\[\\]{}\",:0-9a-z .e+\\-\\\\\n]{0,300}") {
        plancheck::fuzz::submission(&[0].iter().chain(text.as_bytes()).copied().collect::<Vec<u8>>());
        plancheck::fuzz::record(text.as_bytes());
    }
}
