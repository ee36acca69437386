//! Arbitrary bytes through the whole of wixcheck: decode, XML, preprocessor, model,
//! sequencing, rules and every renderer (check: human, short, msbuild, github, JSON, SARIF;
//! order: text, JSON, dot).
//!
//! The input is one source file, or several separated by a line `--8<--`, analysed as one
//! link unit like files given together on the command line. The first byte picks the WiX
//! version, the architecture and colour, so v3, v4, v5 and v6 semantics all get exercised.
//! Any panic, hang or out-of-memory is a bug: wixcheck must answer every input with
//! diagnostics. The fuzz target and the regression test (`tests/fuzz_regressions.rs`, which
//! includes this file) both run [`pipeline`].

use std::path::PathBuf;
use wixcheck::analysis::{self, Input, Settings};
use wixcheck::render;

const SEPARATOR: &[u8] = b"\n--8<--\n";

/// Runs every stage and renderer on one fuzz input.
pub fn pipeline(data: &[u8]) {
    let Some((&selector, data)) = data.split_first() else {
        return;
    };
    let mut settings = Settings::default();
    settings.preprocessor.wix_major = [None, Some(3), Some(4), Some(5)][usize::from(selector & 3)];
    settings.model.requested_version = settings.preprocessor.wix_major;
    settings.model.arch_64 = selector & 4 != 0;
    settings.preprocessor.arch = if settings.model.arch_64 { "x64" } else { "x86" }.to_string();
    let inputs: Vec<Input> = split(data)
        .into_iter()
        .enumerate()
        .map(|(index, bytes)| {
            let path = PathBuf::from(format!("fuzz{index}.wxs"));
            Input::with_bytes(path, Ok(bytes.to_vec()))
        })
        .collect();
    let result = analysis::analyze(inputs, &settings);
    let _ = render::human::render(&result.db, &result.diagnostics, selector & 8 != 0);
    let _ = render::short::render(&result.db, &result.diagnostics);
    let _ = render::msbuild::render(&result.db, &result.diagnostics);
    let _ = render::github::render(&result.db, &result.diagnostics);
    let _ = render::json::render(&result.db, &result.diagnostics, result.files);
    let _ = render::sarif::render(&result.db, &result.diagnostics, None);
    let _ = render::order_text::render(&result, None, &settings.preprocessor.defines);
    let _ = render::order_json::render(&result, None);
    let _ = render::order_dot::render(&result, None);
}

fn split(mut data: &[u8]) -> Vec<&[u8]> {
    let mut files = Vec::new();
    while let Some(at) = data.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) {
        files.push(&data[..at]);
        data = &data[at + SEPARATOR.len()..];
    }
    files.push(data);
    files
}
