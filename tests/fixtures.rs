//! The fixture harness: every fixture under `tests/fixtures/` is checked, and its diagnostics
//! must be exactly the ones its comments expect.
//!
//! Fixtures live in groups: each folder `tests/fixtures/rules/<CODE>/`, and
//! `tests/fixtures/preprocessor/`. In a group, a `.wxs` file is one fixture, checked alone; a
//! folder is one fixture too, its `.wxs` files checked together as one link unit, so that it
//! can also hold the `.wxi` files they include (in any subfolder). An expectation is a
//! comment `<!--~^ CODE -->` in any `.wxs` or `.wxi` file of the fixture: each `^` points one
//! line up, at the line of that file where the diagnostic's primary span starts. Fixtures
//! named `ok_*` (files or folders) must produce nothing. Adding a case needs no Rust edit.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// (file relative to the fixture's folder, line, code).
type Expectations = BTreeSet<(String, usize, String)>;

/// One fixture: what to check, and the files whose marks say what it must report.
struct Fixture {
    /// The file, or the folder, given to `wixcheck check`.
    input: PathBuf,
    /// What reported paths are made relative to.
    root: PathBuf,
    marked: Vec<PathBuf>,
}

impl Fixture {
    fn name(&self) -> String {
        self.input
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned()
    }
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    entries
}

fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    path.extension()
        .is_some_and(|e| extensions.iter().any(|x| e == *x))
}

fn groups() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut groups: Vec<PathBuf> = sorted_entries(&root.join("rules"))
        .into_iter()
        .filter(|path| path.is_dir())
        .collect();
    groups.push(root.join("preprocessor"));
    groups
}

fn fixtures() -> Vec<Fixture> {
    let mut fixtures = Vec::new();
    for group in groups() {
        for path in sorted_entries(&group) {
            if path.is_dir() {
                fixtures.push(Fixture {
                    input: path.clone(),
                    root: path.clone(),
                    marked: sources_under(&path),
                });
            } else if has_extension(&path, &["wxs"]) {
                fixtures.push(Fixture {
                    input: path.clone(),
                    root: group.clone(),
                    marked: vec![path],
                });
            } else {
                assert!(
                    !has_extension(&path, &["wxi"]),
                    "{}: an included file belongs in a fixture folder with the files that include it",
                    path.display()
                );
            }
        }
    }
    fixtures
}

fn sources_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for path in sorted_entries(dir) {
        if path.is_dir() {
            out.extend(sources_under(&path));
        } else if has_extension(&path, &["wxs", "wxi"]) {
            out.push(path);
        }
    }
    out
}

fn relative(path: &Path, root: &Path) -> String {
    let path = std::path::absolute(path).unwrap();
    path.strip_prefix(root)
        .unwrap_or(&path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn expected(fixture: &Fixture) -> Expectations {
    let mut set = Expectations::new();
    for path in &fixture.marked {
        // Read lossily: some fixtures are deliberately not valid UTF-8.
        let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
        let file = relative(path, &fixture.root);
        for (index, line) in text.lines().enumerate() {
            let Some(rest) = line.trim().strip_prefix("<!--~") else {
                continue;
            };
            let carets = rest.chars().take_while(|&c| c == '^').count();
            let code = rest[carets..].trim().trim_end_matches("-->").trim();
            set.insert((file.clone(), index + 1 - carets, code.to_string()));
        }
    }
    set
}

fn actual(fixture: &Fixture) -> Expectations {
    let output = Command::new(env!("CARGO_BIN_EXE_wixcheck"))
        .args(["check", "--format", "json"])
        .arg(&fixture.input)
        .output()
        .unwrap();
    let code = output.status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "{}: exit {code:?}",
        fixture.input.display()
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                relative(Path::new(d["file"].as_str().unwrap()), &fixture.root),
                d["line"].as_u64().unwrap() as usize,
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_fixture_produces_exactly_its_expected_diagnostics() {
    let fixtures = fixtures();
    assert!(!fixtures.is_empty(), "no fixtures found");
    let mut failures = Vec::new();
    for fixture in &fixtures {
        let want = expected(fixture);
        let is_ok = fixture.name().starts_with("ok_");
        assert_eq!(
            is_ok,
            want.is_empty(),
            "{}: ok_ fixtures have no marks, others need one",
            fixture.input.display()
        );
        let got = actual(fixture);
        if got != want {
            failures.push(format!(
                "{}\n  expected {want:?}\n  got      {got:?}",
                fixture.input.display()
            ));
        }
    }
    let folders = fixtures.iter().filter(|f| f.input.is_dir()).count();
    println!(
        "fixtures: {} ({folders} folders), {} mismatches",
        fixtures.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "fixture mismatches:\n{}",
        failures.join("\n")
    );
}
