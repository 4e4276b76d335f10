//! Fuzz target `any_workbook`: see `plancheck::fuzz::any_workbook`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    plancheck::fuzz::any_workbook(data);
});
