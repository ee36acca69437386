//! Conformance with WiX's own tests.
//!
//! `../shared/wix-reference/conformance/MANIFEST.tsv` lists, for each WiX test
//! input, the facts WiX's test asserts: sequence numbers (`Table/Action=N`),
//! merge-module relative rows (`ModuleInstallExecuteSequence/X=after:T`),
//! CustomAction types (`CustomAction/Id.Type=N`) and build errors
//! (`ERROR=WIX0176:Table,A,B`, `ERROR=WIX0094:identifier`). This test runs
//! `wixcheck order --format json FILE WITH-FILES…` for every row that has facts
//! and checks each one, plus two implied facts: the outcome (exit 1 when WiX fails;
//! when WiX builds, no error that mirrors a WiX build error) and, because WiX's tests compare whole tables, that every table the row
//! mentions has no rows beyond the listed ones (unless the row says `FILTERED=` or
//! `INDIRECT=`). All mismatches are collected and reported together. As on WiX's
//! own test machines, `WIX_ROOT` is set in the environment.
//!
//! The data is third-party and is read in place; without `../shared` the test
//! prints SKIPPED and passes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{run_wixcheck_with_env, wix0094_note, wix0176_note, Report, Row};

/// One assertion taken from the manifest's `expected` column.
#[derive(Debug)]
enum Fact {
    /// `Table/Action=N`
    Sequence {
        table: String,
        action: String,
        number: i64,
    },
    /// `ModuleXxxSequence/Action=after:Target` (or `before:`): null sequence.
    Relative {
        table: String,
        action: String,
        placement: String,
        anchor: String,
    },
    /// `CustomAction/Id.Type=N`
    CustomActionType { id: String, type_: i64 },
    /// `ERROR=WIX0176:Table,A,B`
    Cycle {
        table: String,
        action: String,
        other: String,
    },
    /// `ERROR=WIX0094:identifier`
    Unresolved { identifier: String },
}

/// One manifest row that has something to check.
#[derive(Debug)]
struct Case {
    file: String,
    with: Vec<String>,
    /// Only a subset of rows is asserted (`FILTERED=` / `INDIRECT=`).
    partial: bool,
    facts: Vec<Fact>,
}

impl Case {
    fn expects_failure(&self) -> bool {
        self.facts
            .iter()
            .any(|f| matches!(f, Fact::Cycle { .. } | Fact::Unresolved { .. }))
    }

    /// Tables named by sequence facts, with the actions listed for each.
    fn listed_tables(&self) -> Vec<(String, BTreeSet<String>)> {
        let mut tables: Vec<(String, BTreeSet<String>)> = Vec::new();
        for fact in &self.facts {
            let (table, action) = match fact {
                Fact::Sequence { table, action, .. } | Fact::Relative { table, action, .. } => {
                    (table, action)
                }
                _ => continue,
            };
            match tables.iter_mut().find(|(t, _)| t == table) {
                Some((_, actions)) => {
                    actions.insert(action.clone());
                }
                None => tables.push((table.clone(), BTreeSet::from([action.clone()]))),
            }
        }
        tables
    }
}

/// Parses `MANIFEST.tsv`; rows without facts (SUPPORT files) are dropped, except
/// that a row with only a NOTE still asserts that the build succeeds.
fn parse_manifest(text: &str) -> Vec<Case> {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("empty manifest").split('\t').collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("no {name} column"))
    };
    let (file_col, expected_col) = (column("file"), column("expected"));
    let mut cases = Vec::new();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let cells: Vec<&str> = line.split('\t').collect();
        let expected = cells.get(expected_col).copied().unwrap_or("");
        if expected.starts_with("SUPPORT=") {
            continue;
        }
        let mut case = Case {
            file: cells[file_col].to_string(),
            with: Vec::new(),
            partial: false,
            facts: Vec::new(),
        };
        let mut in_prose = false;
        for item in expected.split(';').map(str::trim).filter(|i| !i.is_empty()) {
            in_prose = parse_item(item, in_prose, &mut case);
        }
        cases.push(case);
    }
    cases
}

/// Adds one `;`-separated item to `case`. Explanations (`NOTE=`, `FROM=`, …) are
/// prose that may itself contain `;`: an item without `=` right after one is more
/// of the same. Returns whether this item was prose.
fn parse_item(item: &str, after_prose: bool, case: &mut Case) -> bool {
    let Some((key, value)) = item.split_once('=') else {
        assert!(after_prose, "manifest item without '=': {item}");
        return true;
    };
    match key {
        "WITH" => case.with = value.split(',').map(str::to_string).collect(),
        "FILTERED" | "INDIRECT" => {
            case.partial = true;
            return true;
        }
        "NOTE" | "FROM" | "SUPPORT" => return true,
        "ERROR" => case.facts.push(parse_error(value)),
        _ => case.facts.push(parse_table_fact(item)),
    }
    false
}

fn parse_error(value: &str) -> Fact {
    if let Some(rest) = value.strip_prefix("WIX0176:") {
        let parts: Vec<&str> = rest.split(',').collect();
        let [table, action, other] = parts.as_slice() else {
            panic!("bad WIX0176 fact: {value}")
        };
        Fact::Cycle {
            table: table.to_string(),
            action: action.to_string(),
            other: other.to_string(),
        }
    } else if let Some(identifier) = value.strip_prefix("WIX0094:") {
        Fact::Unresolved {
            identifier: identifier.to_string(),
        }
    } else {
        panic!("unknown ERROR fact in manifest: {value}")
    }
}

/// `Table/Action=N`, `Table/Action=after:T`, `CustomAction/Id.Type=N`.
fn parse_table_fact(item: &str) -> Fact {
    let (lhs, value) = item.rsplit_once('=').expect("checked by caller");
    let (table, action) = lhs
        .split_once('/')
        .unwrap_or_else(|| panic!("bad fact: {item}"));
    let number = || {
        value
            .parse::<i64>()
            .unwrap_or_else(|_| panic!("bad number in fact: {item}"))
    };
    if table == "CustomAction" {
        let id = action
            .strip_suffix(".Type")
            .unwrap_or_else(|| panic!("only .Type is supported: {item}"));
        return Fact::CustomActionType {
            id: id.to_string(),
            type_: number(),
        };
    }
    let (table, action) = (table.to_string(), action.to_string());
    match value.split_once(':') {
        Some((placement, anchor)) => Fact::Relative {
            table,
            action,
            placement: placement.to_string(),
            anchor: anchor.to_string(),
        },
        None => Fact::Sequence {
            table,
            action,
            number: number(),
        },
    }
}

/// Checks one fact against the report; `Err` describes the mismatch.
fn check_fact(fact: &Fact, report: &Report) -> Result<(), String> {
    match fact {
        Fact::Sequence { table, action, number } => match report.row(table, action) {
            Row::Once(row) if row.sequence == Some(*number) => Ok(()),
            Row::Once(row) => Err(format!("{table}/{action}: expected {number}, got {:?}", row.sequence)),
            other => Err(format!("{table}/{action}: expected {number}, got {other:?}")),
        },
        Fact::Relative { table, action, placement, anchor } => match report.row(table, action) {
            Row::Once(row)
                if row.sequence.is_none()
                    && row.placement.as_deref() == Some(placement)
                    && row.anchor.as_deref() == Some(anchor) =>
            {
                Ok(())
            }
            Row::Once(row) => Err(format!(
                "{table}/{action}: expected sequence null, {placement} {anchor}; got sequence {:?}, placement {:?}, anchor {:?}",
                row.sequence, row.placement, row.anchor
            )),
            other => Err(format!("{table}/{action}: expected {placement}:{anchor}, got {other:?}")),
        },
        Fact::CustomActionType { id, type_ } => match report.custom_action_type(id)? {
            Some(t) if t == *type_ => Ok(()),
            got => Err(format!("CustomAction {id}: expected Type {type_}, got {got:?}")),
        },
        Fact::Cycle { table, action, other } => {
            expect_note(report, "WXC101", &wix0176_note(table, action, other))
        }
        Fact::Unresolved { identifier } => expect_note(report, "WXC102", &wix0094_note(identifier)),
    }
}

fn expect_note(report: &Report, code: &str, note: &str) -> Result<(), String> {
    if report.has_note(code, note) {
        Ok(())
    } else {
        Err(format!(
            "expected a {code} diagnostic with the note\n      {note}\n    got:\n    {}",
            report.diagnostic_summary()
        ))
    }
}

/// Rows in a whole-table-asserted table that WiX's test does not list.
fn check_no_extra_rows(
    report: &Report,
    table: &str,
    listed: &BTreeSet<String>,
) -> Result<(), String> {
    let extra: Vec<String> = report
        .rows(table)
        .iter()
        .filter(|r| !listed.contains(&r.action))
        .map(|r| format!("{}={:?}", r.action, r.sequence))
        .collect();
    if extra.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{table} has rows WiX does not produce: {}",
            extra.join(", ")
        ))
    }
}

/// Runs one case; returns (facts checked, mismatch messages).
fn run_case(dir: &Path, case: &Case) -> (usize, Vec<String>) {
    let mut args = vec!["order".to_string(), "--format".into(), "json".into()];
    args.extend(
        std::iter::once(&case.file)
            .chain(&case.with)
            .map(|f| dir.join(f).display().to_string()),
    );
    // WiX v3's test inputs name payloads via $(env.WIX_ROOT), set on WiX's test machines.
    let wix_root = dir.display().to_string();
    let run = run_wixcheck_with_env(&args, &[("WIX_ROOT", &wix_root)]);
    let outcome_facts = 1;
    let table_facts = if case.partial {
        0
    } else {
        case.listed_tables().len()
    };
    let total = case.facts.len() + outcome_facts + table_facts;
    if let Some(crash) = run.crash() {
        return (total, vec![crash]);
    }
    let want_code = if case.expects_failure() { 1 } else { 0 };
    let report = match run.report() {
        Ok(report) => report,
        Err(e) => return (total, vec![e]),
    };
    let mut failures = Vec::new();
    // wixcheck also reports mistakes WiX builds without complaint (ICE12, deferred actions
    // outside the transaction…), so a clean WiX build means no diagnostic that mirrors a
    // WiX build error — those carry WiX's message as a `WiX: WIXnnnn` note.
    let mirrors_wix_error = report.diagnostics.iter().any(|d| {
        d.severity.as_deref() == Some("error") && d.notes.iter().any(|n| n.starts_with("WiX: WIX"))
    });
    let outcome_differs = match want_code {
        0 => mirrors_wix_error,
        _ => run.code != Some(want_code),
    };
    if outcome_differs {
        failures.push(format!(
            "exit code: expected {want_code}, got {:?}; diagnostics:\n    {}",
            run.code,
            report.diagnostic_summary()
        ));
    }
    failures.extend(
        case.facts
            .iter()
            .filter_map(|f| check_fact(f, &report).err()),
    );
    if !case.partial {
        for (table, listed) in case.listed_tables() {
            failures.extend(check_no_extra_rows(&report, &table, &listed).err());
        }
    }
    (total, failures)
}

#[test]
fn wix_conformance_cases() {
    let Some(shared) = common::shared_dir("conformance") else {
        return;
    };
    let dir = shared.join("wix-reference/conformance");
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).expect("read MANIFEST.tsv");
    let cases = parse_manifest(&manifest);
    assert!(
        cases.len() >= 10,
        "only {} cases parsed from MANIFEST.tsv",
        cases.len()
    );

    let (mut total, mut failed) = (0, 0);
    let mut report = String::new();
    for case in &cases {
        let (facts, failures) = run_case(&dir, case);
        total += facts;
        failed += failures.len().min(facts);
        if !failures.is_empty() {
            report.push_str(&format!(
                "\n{} (with {:?}):\n  - {}",
                case.file,
                case.with,
                failures.join("\n  - ")
            ));
        }
    }
    eprintln!(
        "conformance: {}/{} facts matched ({} cases)",
        total - failed,
        total,
        cases.len()
    );
    assert!(report.is_empty(), "conformance mismatches:{report}");
}

#[test]
fn manifest_grammar_is_understood() {
    let text = "file\texpected\n\
                a.wxs\tWITH=b.wxs,c.wxs;InstallExecuteSequence/X=801;CustomAction/Y.1234_AB.Type=51\n\
                b.wxs\tSUPPORT=helper\n\
                m.wxs\tModuleInstallExecuteSequence/Z.G=after:InstallFiles;FILTERED=x\n\
                e.wxs\tERROR=WIX0176:InstallExecuteSequence,A,B;ERROR=WIX0094:WixAction:InstallUISequence/Q\n\
                n.wxs\tNOTE=prose; more prose\n";
    let cases = parse_manifest(text);
    assert_eq!(cases.len(), 4);
    assert!(cases[3].facts.is_empty());
    assert_eq!(cases[0].with, ["b.wxs", "c.wxs"]);
    assert!(
        matches!(&cases[0].facts[1], Fact::CustomActionType { id, type_: 51 } if id == "Y.1234_AB")
    );
    assert!(
        matches!(&cases[1].facts[0], Fact::Relative { placement, anchor, .. } if placement == "after" && anchor == "InstallFiles")
    );
    assert!(cases[1].partial);
    assert!(cases[2].expects_failure());
    assert_eq!(cases[0].listed_tables()[0].0, "InstallExecuteSequence");
}
