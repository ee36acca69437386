//! WXC204 action-data-set-too-late: a CustomActionData setter that does not run before its
//! deferred action in the same execute sequence.

use super::Setters;
use crate::diagnostic::Diagnostic;
use crate::model::CustomAction;
use crate::rules::Context;
use crate::sequence::{Action, ResolvedTable, Schedule};
use crate::source::Span;

crate::declare_rule! {
    /// A CustomActionData setter runs after its deferred action, or in another sequence.
    ///
    /// ## What it does
    /// Pairs every deferred, rollback and commit action with the type-51 actions and
    /// `SetProperty` elements that set the property of the same name, and reports setters
    /// that run at or after the deferred action, that are not scheduled in the deferred
    /// action's execute sequence (only in the UI sequence, or in another execute table), or
    /// that are themselves deferred.
    ///
    /// ## Why is this bad?
    /// Windows Installer copies the property into CustomActionData at the moment it writes
    /// the deferred action to the script. A setter that runs later, or in a sequence that
    /// does not run (the UI sequence is skipped in silent installs), leaves the action with
    /// empty data.
    ///
    /// ## Example
    /// ```xml
    /// <SetProperty Id="RegisterAddin" Value="[INSTALLFOLDER]" After="RegisterAddin" Sequence="execute" />
    /// ```
    /// Use instead:
    /// ```xml
    /// <SetProperty Id="RegisterAddin" Value="[INSTALLFOLDER]" Before="RegisterAddin" Sequence="execute" />
    /// ```
    ///
    /// ## References
    /// - Obtaining context information for deferred execution custom actions: <https://learn.microsoft.com/windows/win32/msi/obtaining-context-information-for-deferred-execution-custom-actions>
    /// - Custom action type 51: <https://learn.microsoft.com/windows/win32/msi/custom-action-type-51>
    pub ACTION_DATA_SET_TOO_LATE, "WXC204", "action-data-set-too-late", Error, Some(check)
}

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let schedule = context.schedule;
    let setters = Setters::new(&schedule.custom_actions);
    for table in schedule.tables.iter().filter(|t| t.table.is_execute()) {
        for (action, number, custom) in schedule.custom_actions_in(table) {
            if !custom.execute.in_script() {
                continue;
            }
            for setter in setters.of(&custom.id.value) {
                if let Some(diagnostic) = judge(schedule, table, action, number, setter) {
                    diagnostics.push(diagnostic);
                }
            }
        }
    }
}

fn judge(
    schedule: &Schedule,
    table: &ResolvedTable,
    deferred: &Action,
    number: i32,
    setter: &CustomAction,
) -> Option<Diagnostic> {
    let name = &deferred.name;
    let deferred_span = deferred.placement_span().unwrap_or(setter.id.span);
    let help = format!(
        "schedule it Before=\"{name}\" in {} (SetProperty: Sequence=\"execute\")",
        table.table
    );
    if setter.execute.in_script() {
        let span = setter
            .attribute("Execute")
            .map_or(setter.id.span, |e| e.span);
        return Some(
            ACTION_DATA_SET_TOO_LATE
                .diagnostic(span, format!("CustomActionData setter `{}` of `{name}` is itself {}", setter.id.value, setter.execute.as_str()))
                .with_label(deferred_span, format!("`{name}` runs at {number}"))
                .with_help("make the setter immediate (remove Execute); a property setter cannot run from the script"),
        );
    }
    match table.find(&setter.id.value) {
        Some(row) => {
            let set_at = row.sequence?;
            (set_at >= number).then(|| {
                let span = row.placement_span().unwrap_or(setter.id.span);
                ACTION_DATA_SET_TOO_LATE
                    .diagnostic(span, format!("`{}` sets the CustomActionData of `{name}` at {set_at}, after `{name}` runs at {number}", setter.id.value))
                    .with_label(span, format!("the setter runs at {set_at}"))
                    .with_label(deferred_span, format!("`{name}` is written to the script at {number}"))
                    .with_help(help)
            })
        }
        None => {
            let elsewhere: Vec<String> = schedule
                .tables
                .iter()
                .filter(|other| other.find(&setter.id.value).is_some())
                .map(|other| other.table.to_string())
                .collect();
            let span = sequence_span(schedule, setter);
            let where_ = if elsewhere.is_empty() {
                "is not scheduled anywhere".to_string()
            } else {
                format!("runs only in {}", elsewhere.join(", "))
            };
            Some(
                ACTION_DATA_SET_TOO_LATE
                    .diagnostic(
                        span,
                        format!(
                            "CustomActionData setter `{}` of `{name}` {where_}, not in {}",
                            setter.id.value, table.table
                        ),
                    )
                    .with_label(
                        deferred_span,
                        format!("`{name}` runs at {number} in {}", table.table),
                    )
                    .with_help(help),
            )
        }
    }
}

/// Where the setter's sequences are chosen: `SetProperty/@Sequence`, else where it is placed,
/// else its Id.
fn sequence_span(schedule: &Schedule, setter: &CustomAction) -> Span {
    if let Some(sequence) = setter.attribute("Sequence") {
        return sequence.span;
    }
    schedule
        .tables
        .iter()
        .filter_map(|table| table.find(&setter.id.value))
        .find_map(Action::placement_span)
        .unwrap_or(setter.id.span)
}
