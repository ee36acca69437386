//! `order` as a readable table per sequence: number, action, how it got there, condition,
//! source. InstallValidate, InstallInitialize and InstallFinalize are marked with `>>` so the
//! transaction boundaries stand out. A header says which preprocessor defines were in force.

use super::Position;
use crate::analysis::Analysis;
use crate::model::Table;
use crate::preprocess::Origin;
use crate::sequence::{Action, Output, Placement};
use crate::source::FileId;
use std::collections::BTreeMap;
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

/// Per entry file, the variables its own `<?define?>`s (and `<?foreach?>` loops) left in
/// force, sorted by name, with where each was set; those set in included files are counted.
fn defines_in_force(analysis: &Analysis, out: &mut String) {
    for file in analysis.trace.defines() {
        let mut own = Vec::new();
        let mut included: BTreeMap<FileId, usize> = BTreeMap::new();
        for define in &file.defines {
            let (what, span) = match define.origin {
                Origin::CommandLine => continue,
                Origin::Define(span) => ("", span),
                Origin::Foreach(span) => ("<?foreach?> ", span),
            };
            if span.file != file.file {
                *included.entry(span.file).or_default() += 1;
                continue;
            }
            let at = Position::of(&analysis.db, span);
            let value = define.value.replace('\n', " ");
            let source = format!("{what}{}:{}", at.path, at.line);
            own.push((format!("{} = {value}", define.name), source));
        }
        if own.is_empty() && included.is_empty() {
            continue;
        }
        let path = analysis.db.file(file.file).path();
        let _ = writeln!(out, "defines in {path}:");
        let width = own.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
        for (define, source) in own {
            let _ = writeln!(out, "  {define:<width$}  {source}");
        }
        if !included.is_empty() {
            let counts: Vec<String> = included
                .iter()
                .map(|(&id, count)| format!("{count} in {}", analysis.db.file(id).path()))
                .collect();
            let _ = writeln!(out, "  and from included files: {}", counts.join(", "));
        }
    }
}

fn row(analysis: &Analysis, action: &Action) -> [String; 5] {
    let number = action
        .sequence
        .map_or_else(|| "-".to_string(), |n| n.to_string());
    let anchor = action.anchor().unwrap_or_default();
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
