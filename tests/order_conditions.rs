//! `wixcheck order` shows each action's condition as Windows Installer will read it: in the
//! text table, and as `"condition"` (or null) in `--format json`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::run_wixcheck;
use std::path::Path;

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rules")
        .join(name)
        .display()
        .to_string()
}

/// The `"condition"` of each action of InstallExecuteSequence, by action name.
fn json_conditions(file: &str) -> Vec<(String, serde_json::Value)> {
    let run = run_wixcheck(&["order", "--format", "json", file]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let table = report["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == "InstallExecuteSequence")
        .unwrap();
    table["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["action"].as_str().unwrap().to_string(),
                a["condition"].clone(),
            )
        })
        .collect()
}

#[test]
fn json_carries_unescaped_conditions_and_null() {
    let v3 = json_conditions(&fixture("WXC401/ok_v3_inner_text.wxs"));
    let check = v3.iter().find(|(name, _)| name == "Check").unwrap();
    assert_eq!(check.1, "NOT Installed AND VersionNT < 1000");
    let cost = v3.iter().find(|(name, _)| name == "CostFinalize").unwrap();
    assert!(cost.1.is_null());
    let v4 = json_conditions(&fixture("WXC402/ok_decided_conditions_and_setters.wxs"));
    let drop = v4.iter().find(|(name, _)| name == "DropDb").unwrap();
    assert_eq!(drop.1, "REMOVE=\"ALL\" AND NOT UPGRADINGPRODUCTCODE");
}

#[test]
fn text_table_shows_the_condition_on_the_action_line() {
    let run = run_wixcheck(&["order", &fixture("WXC401/ok_v3_inner_text.wxs")]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let line = run
        .stdout
        .lines()
        .find(|line| line.contains(" Check "))
        .unwrap();
    assert!(
        line.contains("After CostFinalize  NOT Installed AND VersionNT < 1000"),
        "{line}"
    );
}
