//! The fuzz target: see `wixcheck_fuzz::pipeline`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| wixcheck_fuzz::pipeline(data));
