//! `check` must never panic on any parsed pack.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = plancheck::load::load_texts(vec![("fuzz.rules".into(), text.into())], |_| Ok("".into()));
    }
});
