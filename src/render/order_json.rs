//! `order --format json`: the effective tables as a contract for other tools.

use super::json::JsonDiagnostic;
use super::Position;
use crate::analysis::Analysis;
use crate::model::Table;
use crate::sequence::Action;
use serde::Serialize;

#[derive(Serialize)]
struct JsonAction {
    action: String,
    sequence: Option<i32>,
    kind: &'static str,
    placement: &'static str,
    anchor: Option<String>,
    condition: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    type_bits: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    execute: Option<&'static str>,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
}

#[derive(Serialize)]
struct JsonTable {
    table: &'static str,
    actions: Vec<JsonAction>,
}

#[derive(Serialize)]
struct JsonCustomAction {
    id: String,
    #[serde(rename = "type")]
    type_bits: u32,
    extended_type: u32,
    execute: &'static str,
    file: String,
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct Report {
    tables: Vec<JsonTable>,
    custom_actions: Vec<JsonCustomAction>,
    diagnostics: Vec<JsonDiagnostic>,
}

/// Renders the tables (only `only`, if given), the custom actions and the diagnostics.
pub fn render(analysis: &Analysis, only: Option<Table>) -> String {
    let schedule = &analysis.schedule;
    let db = &analysis.db;
    let tables = schedule
        .tables
        .iter()
        .filter(|table| only.is_none_or(|only| only == table.table))
        .map(|table| JsonTable {
            table: table.name(schedule.linked.output),
            actions: table
                .actions
                .iter()
                .map(|action| json_action(analysis, action))
                .collect(),
        })
        .collect();
    let custom_actions = schedule
        .custom_actions
        .iter()
        .map(|custom| {
            let at = Position::of(db, custom.element);
            JsonCustomAction {
                id: custom.id.value.clone(),
                type_bits: custom.type_bits,
                extended_type: custom.extended_type,
                execute: custom.execute.as_str(),
                file: at.path,
                line: at.line,
                column: at.column,
            }
        })
        .collect();
    let report = Report {
        tables,
        custom_actions,
        diagnostics: analysis
            .diagnostics
            .iter()
            .map(|d| JsonDiagnostic::new(db, d))
            .collect(),
    };
    serde_json::to_string_pretty(&report).unwrap_or_default() + "\n"
}

fn json_action(analysis: &Analysis, action: &Action) -> JsonAction {
    let custom = analysis.schedule.custom_action(action);
    let at = action
        .row
        .as_ref()
        .map(|row| Position::of(&analysis.db, row.element));
    JsonAction {
        action: action.name.clone(),
        sequence: action.sequence,
        kind: action.kind.as_str(),
        placement: action.placement.as_str(),
        anchor: action.anchor().map(str::to_string),
        condition: action.condition.clone(),
        type_bits: custom.map(|c| c.type_bits),
        execute: custom.map(|c| c.execute.as_str()),
        line: at.as_ref().map(|p| p.line),
        column: at.as_ref().map(|p| p.column),
        file: at.map(|p| p.path),
    }
}
