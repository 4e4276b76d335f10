//! Fuzz target `submission`: see `plancheck::fuzz::submission`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    plancheck::fuzz::submission(data);
});
