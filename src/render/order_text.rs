//! `order` as a readable table per sequence: number, action, how it got there, condition,
//! source. InstallValidate, InstallInitialize and InstallFinalize are marked with `>>` so the
//! transaction boundaries stand out. A header says which preprocessor defines were in force.

use super::Position;
use crate::analysis::Analysis;
use crate::model::Table;
use crate::preprocess::Origin;
use crate::sequence::{Action, Output, Placement};
use std::fmt::Write;

const MILESTONES: [&str; 3] = ["InstallValidate", "InstallInitialize", "InstallFinalize"];

/// Renders the tables (only `only`, if given). `defines` are the `-d` values in force.
pub fn render(analysis: &Analysis, only: Option<Table>, defines: &[(String, String)]) -> String {
    let schedule = &analysis.schedule;
    let mut out = String::new();
    let output = match schedule.linked.output {
        Output::Package => "package",
        Output::Module => "merge module",
        Output::Library => "fragments only (numbered as if linked into a package)",
    };
    let _ = writeln!(out, "output: {output}");
    if !defines.is_empty() {
        let list: Vec<String> = defines.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let _ = writeln!(out, "defines from -d: {}", list.join(", "));
    }
    defines_in_force(analysis, &mut out);
    for table in &schedule.tables {
        if only.is_some_and(|only| only != table.table) {
            continue;
        }
        let rows: Vec<[String; 5]> = table
            .actions
            .iter()
            .map(|action| row(analysis, action))
            .collect();
        let width = |column: usize| {
            rows.iter()
                .map(|r| r[column].chars().count())
                .max()
                .unwrap_or(0)
        };
        let (w_action, w_placement, w_condition) = (width(1), width(2), width(3));
        let _ = writeln!(out, "\n{}", table.name(schedule.linked.output));
        for (action, cells) in table.actions.iter().zip(&rows) {
            let marker = if MILESTONES.contains(&action.name.as_str()) {
                ">>"
            } else {
                "  "
            };
            let line = format!(
                "{marker} {:>6}  {:<w_action$}  {:<w_placement$}  {:<w_condition$}  {}",
                cells[0], cells[1], cells[2], cells[3], cells[4]
            );
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
    out
}

/// Per entry file, the variables its `<?define?>`s (and `<?foreach?>` loops, and the files it
/// includes) left in force, sorted by name, with where each was set.
fn defines_in_force(analysis: &Analysis, out: &mut String) {
    for file in analysis.trace.defines() {
        let rows: Vec<(String, String)> = file
            .defines
            .iter()
            .filter_map(|define| {
                let (what, span) = match define.origin {
                    Origin::CommandLine => return None,
                    Origin::Define(span) => ("", span),
                    Origin::Foreach(span) => ("<?foreach?> ", span),
                };
                let at = Position::of(&analysis.db, span);
                let value = define.value.replace('\n', " ");
                let source = format!("{what}{}:{}", at.path, at.line);
                Some((format!("{} = {value}", define.name), source))
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        let path = analysis.db.file(file.file).path();
        let _ = writeln!(out, "defines in {path}:");
        let width = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
        for (define, source) in rows {
            let _ = writeln!(out, "  {define:<width$}  {source}");
        }
    }
}

fn row(analysis: &Analysis, action: &Action) -> [String; 5] {
    let number = action
        .sequence
        .map_or_else(|| "-".to_string(), |n| n.to_string());
    let anchor = action.anchor.as_deref().unwrap_or_default();
    let placement = match action.placement {
        Placement::Default => "default".to_string(),
        Placement::Sequence => format!("Sequence={number}"),
        Placement::Before => format!("Before {anchor}"),
        Placement::After => format!("After {anchor}"),
        Placement::OnExit => format!("OnExit={}", on_exit_name(action.sequence)),
    };
    let source = action.row.as_ref().map_or(String::new(), |row| {
        let at = Position::of(&analysis.db, row.element);
        format!("{}:{}:{}", at.path, at.line, at.column)
    });
    let condition = action
        .condition
        .as_deref()
        .unwrap_or_default()
        .replace('\n', " ");
    [number, action.name.clone(), placement, condition, source]
}

fn on_exit_name(number: Option<i32>) -> &'static str {
    match number {
        Some(-1) => "success",
        Some(-2) => "cancel",
        Some(-3) => "error",
        _ => "suspend",
    }
}
