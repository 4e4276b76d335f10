//! `parse` must never panic on any text.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = plancheck::syntax::parse_file(plancheck::source::SourceId(0), text);
    }
});
