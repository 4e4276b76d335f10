//! Reading and evaluating a submission must never panic on any bytes.
#![no_main]
use std::sync::OnceLock;

static PACK: OnceLock<Option<plancheck::pack::Pack>> = OnceLock::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some(pack) = PACK.get_or_init(|| plancheck::load::embedded().ok()) else { return };
    let text = String::from_utf8_lossy(data);
    let opts = plancheck::model::Options::default();
    for format in [plancheck::input::Format::Json, plancheck::input::Format::Jsonl, plancheck::input::Format::Csv] {
        let _ = plancheck::run::check_text(pack, "fuzz.json", text.as_ref().into(), format, &opts);
    }
});
