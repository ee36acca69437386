//! Inputs the fuzzer found crashing, kept in `tests/fuzz_regressions/` and run through the
//! same pipeline as the fuzz target (`fuzz/src/lib.rs`, included here): every stage and
//! every renderer must get through each of them without a panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../fuzz/src/lib.rs"]
mod fuzz_pipeline;

use std::path::Path;

#[test]
fn inputs_that_once_crashed_go_through_every_stage() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no inputs in {}", dir.display());
    for input in inputs {
        eprintln!("{}", input.display());
        fuzz_pipeline::pipeline(&std::fs::read(&input).unwrap());
    }
}
