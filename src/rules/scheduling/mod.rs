//! WXC1xx: the scheduling graph — cycles, anchors, duplicates, room between numbers.
//!
//! These rules judge the facts the sequencer recorded. Where WiX itself fails the build, the
//! diagnostic carries WiX's own message as a note (`WiX: WIX0176: …`), so users can match it
//! with what the toolset would print.

pub mod action_scheduled_twice;
pub mod conflicting_schedule;
pub mod custom_action_never_scheduled;
pub mod custom_action_not_defined;
pub mod duplicate_sequence_number;
pub mod relative_to_exit_action;
pub mod schedule_anchor_not_found;
pub mod schedule_cycle;
pub mod schedule_in_unlinked_fragment;
pub mod sequence_no_room;

use crate::sequence::{ActionRef, Output, Schedule};
use crate::source::Span;

/// A note quoting the error WiX reports for the same problem.
fn wix_note(number: u32, text: String) -> String {
    format!("WiX: WIX{number:04}: {text}")
}

/// The span to report an action at: where it is placed, or, for a built-in standard action,
/// the entry section.
fn span_of(action: &ActionRef, schedule: &Schedule, context: &super::Context<'_>) -> Span {
    action
        .span()
        .unwrap_or_else(|| entry_span(schedule, context))
}

fn entry_span(schedule: &Schedule, context: &super::Context<'_>) -> Span {
    let section = schedule
        .linked
        .entry
        .or(schedule.linked.sections.first().copied());
    section
        .and_then(|index| context.model.sections.get(index))
        .map(|section| section.span)
        .unwrap_or_else(|| Span::new(crate::source::FileId::first(), 0, 0))
}

/// The table name as WiX prints it in messages for this output.
fn table_name(table: crate::model::Table, schedule: &Schedule) -> &'static str {
    match schedule.linked.output {
        Output::Module => table.module_name(),
        _ => table.wix_name(),
    }
}

/// The candidate closest to `name` (case-insensitive edit distance within a third of its
/// length), ties broken alphabetically: the "did you mean" of typo'd names.
pub(crate) fn nearest_name<'a>(
    name: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (name.len() / 3).max(1);
    let name = name.to_lowercase();
    candidates
        .map(|candidate| (edit_distance(&name, &candidate.to_lowercase()), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, candidate)| candidate)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

/// "`A`" for messages.
fn quoted(name: &str) -> String {
    format!("`{name}`")
}
