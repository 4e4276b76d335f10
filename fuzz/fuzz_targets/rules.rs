//! Fuzz target `rules`: see `plancheck::fuzz::rules`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    plancheck::fuzz::rules(data);
});
