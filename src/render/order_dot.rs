//! `order --format dot`: the schedule as a Graphviz graph. Each table is a cluster; solid
//! edges follow execution order, dashed edges show what each relative action is anchored to.

use crate::analysis::Analysis;
use crate::model::Table;
use std::fmt::Write;

/// Renders the tables (only `only`, if given) as one `digraph`.
pub fn render(analysis: &Analysis, only: Option<Table>) -> String {
    let schedule = &analysis.schedule;
    let mut out = String::from(
        "digraph schedule {\n  rankdir=TB;\n  node [shape=box, fontname=\"Helvetica\"];\n",
    );
    for (index, table) in schedule.tables.iter().enumerate() {
        if only.is_some_and(|only| only != table.table) {
            continue;
        }
        let name = table.name(schedule.linked.output);
        let _ = writeln!(
            out,
            "  subgraph cluster_{index} {{\n    label={};",
            quote(name)
        );
        let id = |action: &str| quote(&format!("{name}/{action}"));
        for action in &table.actions {
            let number = action
                .sequence
                .map_or_else(|| "-".to_string(), |n| n.to_string());
            let style = match action.kind {
                crate::model::ActionKind::Custom => ", style=filled, fillcolor=\"#fde7b0\"",
                crate::model::ActionKind::Dialog => ", style=filled, fillcolor=\"#d7e8fb\"",
                crate::model::ActionKind::Standard => "",
            };
            let label = quote(&format!("{number} {}", action.name));
            let _ = writeln!(out, "    {} [label={label}{style}];", id(&action.name));
        }
        let numbered: Vec<_> = table
            .actions
            .iter()
            .filter(|a| a.sequence.is_some())
            .collect();
        for pair in numbered.windows(2) {
            let _ = writeln!(
                out,
                "    {} -> {} [color=gray];",
                id(&pair[0].name),
                id(&pair[1].name)
            );
        }
        for action in &table.actions {
            if let Some(anchor) = action.anchor() {
                let side = match action.placement {
                    crate::sequence::Placement::Before => "before",
                    _ => "after",
                };
                let _ = writeln!(
                    out,
                    "    {} -> {} [style=dashed, label={}, constraint=false];",
                    id(anchor),
                    id(&action.name),
                    quote(side)
                );
            }
        }
        out.push_str("  }\n");
    }
    out.push_str("}\n");
    out
}

fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}
