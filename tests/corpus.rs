//! Robustness on real-world sources.
//!
//! Runs `wixcheck order` (text and `--format json`) on every `.wxs` file under
//! `../shared/corpus` (148 files from 37 public projects, read in place), once more on
//! all `.wxs` files of each project together as one link unit, and on the whole corpus
//! together (text and JSON). Whatever the input, wixcheck must finish with exit code
//! 0, 1 or 2 — never a panic, a signal or a hang — and when it exits 0 or 1 its JSON
//! output must parse as a report. Without `../shared` the test prints SKIPPED and passes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::run_wixcheck;

/// Every `.wxs` file under `root`, sorted, grouped by project (first path component).
fn wxs_by_project(root: &Path) -> BTreeMap<String, Vec<PathBuf>> {
    let mut projects: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.expect("walk corpus");
        let path = entry.path();
        let is_wxs = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("wxs"));
        if !entry.file_type().is_file() || !is_wxs {
            continue;
        }
        let relative = path.strip_prefix(root).expect("under root");
        let project = relative
            .components()
            .next()
            .expect("non-empty")
            .as_os_str()
            .to_string_lossy()
            .into_owned();
        projects
            .entry(project)
            .or_default()
            .push(path.to_path_buf());
    }
    projects
}

/// Tallies of exit codes, and the problems found.
#[derive(Default)]
struct Tally {
    runs: usize,
    by_code: BTreeMap<i32, usize>,
    problems: Vec<String>,
}

impl Tally {
    /// Runs `wixcheck order [--format json] FILES…` and records the outcome.
    fn run(&mut self, json: bool, files: &[PathBuf]) {
        let mut args = vec!["order".to_string()];
        if json {
            args.extend(["--format".to_string(), "json".to_string()]);
        }
        args.extend(files.iter().map(|f| f.display().to_string()));
        let run = run_wixcheck(&args);
        self.runs += 1;
        if let Some(crash) = run.crash() {
            self.problems.push(crash);
            return;
        }
        let code = run.code.expect("not a crash");
        *self.by_code.entry(code).or_default() += 1;
        if !(0..=2).contains(&code) {
            self.problems.push(format!(
                "exit code {code} (expected 0, 1 or 2): {}",
                run.command
            ));
        } else if json && code != 2 {
            if let Err(e) = run.report() {
                self.problems.push(e);
            }
        }
    }
}

#[test]
fn corpus_never_crashes() {
    let Some(shared) = common::shared_dir("corpus") else {
        return;
    };
    let projects = wxs_by_project(&shared.join("corpus"));
    let files: usize = projects.values().map(Vec::len).sum();
    assert!(
        files > 50,
        "only {files} .wxs files found under ../shared/corpus"
    );

    let mut tally = Tally::default();
    for file in projects.values().flatten() {
        tally.run(false, std::slice::from_ref(file));
        tally.run(true, std::slice::from_ref(file));
    }
    for project_files in projects.values() {
        tally.run(true, project_files);
    }
    // Everything at once, one link unit of unrelated projects: still an answer, not a crash.
    let everything: Vec<PathBuf> = projects.values().flatten().cloned().collect();
    tally.run(false, &everything);
    tally.run(true, &everything);
    eprintln!(
        "corpus: {files} .wxs files in {} projects, {} runs, exit codes {:?}, {} problems",
        projects.len(),
        tally.runs,
        tally.by_code,
        tally.problems.len()
    );
    assert!(
        tally.problems.is_empty(),
        "corpus problems:\n  - {}",
        tally.problems.join("\n  - ")
    );
}
