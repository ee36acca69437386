//! The fixture harness: every `.wxs` under `tests/fixtures/rules/` is checked alone, and its
//! diagnostics must be exactly the ones its comments expect.
//!
//! An expectation is a comment `<!--~^ CODE -->`: each `^` points one line up, at the line
//! where the diagnostic's primary span starts. Files named `ok_*.wxs` must produce nothing.
//! Adding a case needs no Rust edit.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// (line, code) pairs.
type Expectations = BTreeSet<(usize, String)>;

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let mut files: Vec<PathBuf> = walk(&root);
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "wxs") {
            out.push(path);
        }
    }
    out
}

fn expected(text: &str) -> Expectations {
    let mut set = Expectations::new();
    for (index, line) in text.lines().enumerate() {
        let Some(rest) = line.trim().strip_prefix("<!--~") else {
            continue;
        };
        let carets = rest.chars().take_while(|&c| c == '^').count();
        let code = rest[carets..].trim().trim_end_matches("-->").trim();
        set.insert((index + 1 - carets, code.to_string()));
    }
    set
}

fn actual(path: &Path) -> Expectations {
    let output = Command::new(env!("CARGO_BIN_EXE_wixcheck"))
        .args(["check", "--format", "json"])
        .arg(path)
        .output()
        .unwrap();
    let code = output.status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "{}: exit {code:?}",
        path.display()
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap() as usize,
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_fixture_produces_exactly_its_expected_diagnostics() {
    let files = fixtures();
    assert!(!files.is_empty(), "no fixtures found");
    let mut failures = Vec::new();
    for path in &files {
        // Read lossily: some fixtures are deliberately not valid UTF-8.
        let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
        let want = expected(&text);
        let is_ok = path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("ok_");
        assert_eq!(
            is_ok,
            want.is_empty(),
            "{}: ok_ files have no marks, others need one",
            path.display()
        );
        let got = actual(path);
        if got != want {
            failures.push(format!(
                "{}\n  expected {want:?}\n  got      {got:?}",
                path.display()
            ));
        }
    }
    println!(
        "fixtures: {} files, {} mismatches",
        files.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "fixture mismatches:\n{}",
        failures.join("\n")
    );
}
