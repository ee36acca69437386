//! Snapshots of the human rendering: every failing rule fixture (`tests/fixtures/rules/WXCnnn/*.wxs`
//! not named `ok_*`), analysed alone and rendered without colour, is pinned with insta under
//! `tests/snapshots/`. A change to a message, label, help, note or span shows up as a reviewed
//! snapshot diff. Snapshots are never written in CI (insta's default when `CI` is set); to
//! accept a change locally, run `INSTA_UPDATE=always cargo test --test rendering` and review
//! the diff before committing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use wixcheck::analysis::{analyze, Input, Settings};
use wixcheck::render;

fn failing_fixtures() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut groups: Vec<PathBuf> = std::fs::read_dir("tests/fixtures/rules")
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    groups.sort();
    for group in groups {
        let mut members: Vec<PathBuf> = std::fs::read_dir(&group)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "wxs"))
            .filter(|path| {
                !path
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("ok_")
            })
            .collect();
        members.sort();
        files.extend(members);
    }
    files
}

fn snapshot_name(path: &Path) -> String {
    let code = path
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy();
    let stem = path.file_stem().unwrap().to_string_lossy();
    format!("human__{code}__{stem}")
}

#[test]
fn human_rendering_of_every_failing_rule_fixture() {
    // Paths are relative to the package root (cargo's working directory for tests), so the
    // rendered file names are the same on every machine.
    let fixtures = failing_fixtures();
    assert!(
        fixtures.len() > 30,
        "expected the rule fixtures, found {}",
        fixtures.len()
    );
    for path in fixtures {
        let analysis = analyze(vec![Input::read(path.clone())], &Settings::default());
        assert!(
            !analysis.diagnostics.is_empty(),
            "{}: a failing fixture must report something",
            path.display()
        );
        let rendered = render::human::render(&analysis.db, &analysis.diagnostics, false);
        insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(snapshot_name(&path), rendered);
        });
    }
}
