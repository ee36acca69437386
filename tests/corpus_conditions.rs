//! Every condition in the real-world corpus, through the normal pipeline.
//!
//! Analyses each `.wxs` file under `../shared/corpus` alone (its includes are read as
//! usual), counts the conditions the model parsed — sequence rows, launch, feature level,
//! component, publish and control conditions — and prints each WXC401 finding with the
//! condition text, so a reviewer can judge whether the condition really is invalid. Run with
//! `cargo test --test corpus_conditions -- --nocapture` to see the list. Without `../shared`
//! the test prints SKIPPED and passes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;
use wixcheck::analysis::{analyze, Input, Settings};
use wixcheck::render::Position;

#[test]
fn every_corpus_condition_parses_or_is_reported() {
    let Some(shared) = common::shared_dir("corpus_conditions") else {
        return;
    };
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(shared.join("corpus"))
        .sort_by_file_name()
        .into_iter()
        .map(|entry| entry.unwrap().into_path())
        .filter(|path| {
            path.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("wxs"))
        })
        .collect();
    files.sort();
    let (mut conditions, mut with_conditions, mut findings) = (0, 0, Vec::new());
    for path in &files {
        let analysis = analyze(vec![Input::read(path.clone())], &Settings::default());
        let count: usize = analysis
            .model
            .sections
            .iter()
            .map(|section| section.every_condition().count())
            .sum();
        conditions += count;
        with_conditions += usize::from(count > 0);
        for diagnostic in analysis
            .diagnostics
            .iter()
            .filter(|d| d.code.code == "WXC401")
        {
            let at = Position::of(&analysis.db, diagnostic.primary);
            let condition = analysis
                .model
                .sections
                .iter()
                .flat_map(|section| section.every_condition())
                .map(|(_, condition)| condition)
                .find(|condition| {
                    condition.syntax_error().map(|e| e.span) == Some(diagnostic.primary)
                })
                .map_or(String::new(), |condition| condition.value.clone());
            findings.push(format!(
                "{}:{}:{}: {} — condition `{condition}`",
                at.path, at.line, at.column, diagnostic.message
            ));
        }
    }
    eprintln!(
        "corpus conditions: {conditions} conditions parsed in {with_conditions} of {} .wxs files; WXC401 fires {} times:",
        files.len(),
        findings.len()
    );
    for finding in &findings {
        eprintln!("  {finding}");
    }
    assert!(files.len() > 50, "only {} corpus files", files.len());
    assert!(
        conditions > 100,
        "only {conditions} conditions found in the corpus: conditions are not being read"
    );
    assert!(
        findings.len() * 20 < conditions,
        "WXC401 fires on {} of {conditions} corpus conditions; the parser is rejecting valid syntax:\n{}",
        findings.len(),
        findings.join("\n")
    );
}
