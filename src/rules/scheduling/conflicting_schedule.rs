//! WXC105 conflicting-schedule: a scheduling element whose attributes contradict each other,
//! or that places an action nowhere.

use super::wix_note;
use crate::diagnostic::Diagnostic;
use crate::model::{standard_actions, ActionKind, ActionRow, RowOrigin};
use crate::rules::Context;
use crate::source::Span;

crate::declare_rule! {
    /// A scheduling element has contradicting placement attributes, or none.
    ///
    /// ## What it does
    /// Reports `Custom`, `Show`, standard-action and `SetProperty` elements with both
    /// `Before` and `After`; `Sequence` together with `Before`, `After` or `OnExit`; a
    /// `Before`/`After` that names the element's own action; `Suppress="yes"` together with
    /// a placement; and a custom action, dialog or special action (RemoveExistingProducts,
    /// InstallExecute, ScheduleReboot…) with no `Sequence`, `Before`, `After` or `OnExit`.
    ///
    /// ## Why is this bad?
    /// A sequence row has exactly one place. WiX stops the build for each of these, with
    /// messages that do not always point at the attribute to change; catching them while
    /// editing is cheaper.
    ///
    /// ## Example
    /// ```xml
    /// <Custom Action="ConfigureApp" Before="InstallFiles" After="CreateFolders" />
    /// ```
    /// Use instead:
    /// ```xml
    /// <Custom Action="ConfigureApp" After="CreateFolders" />
    /// ```
    ///
    /// ## References
    /// - InstallExecuteSequence table: <https://learn.microsoft.com/windows/win32/msi/installexecutesequence-table>
    /// - WiX errors IllegalAttributeWithOtherAttribute, NeedSequenceBeforeOrAfter, ActionScheduledRelativeToItself (`Compiler_Package.cs`, `ParseSequenceElement`)
    pub CONFLICTING_SCHEDULE, "WXC105", "conflicting-schedule", Error, Some(check)
}

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    for section in &context.model.sections {
        for row in &section.rows {
            if let Some(diagnostic) = judge(row) {
                diagnostics.push(diagnostic);
            }
        }
        for suppression in &section.suppressions {
            let Some(conflict) = suppression.conflict else {
                continue;
            };
            diagnostics.push(
                CONFLICTING_SCHEDULE
                    .diagnostic(
                        conflict,
                        format!("`{}` is suppressed and placed at the same time", suppression.action.value),
                    )
                    .with_label(suppression.action.span, "Suppress=\"yes\" removes this action")
                    .with_help("remove Suppress=\"yes\" to schedule the action, or remove the placement to suppress it"),
            );
        }
    }
}

fn judge(row: &ActionRow) -> Option<Diagnostic> {
    let name = &row.action.value;
    let report = |span: Span, message: String, help: &str| {
        Some(
            CONFLICTING_SCHEDULE
                .diagnostic(span, message)
                .with_help(help.to_string()),
        )
    };
    if let (Some(before), Some(after)) = (&row.before, &row.after) {
        return report(
            after.span,
            format!(
                "`{name}` is placed both Before `{}` and After `{}`",
                before.value, after.value
            ),
            "keep one anchor; to run between two actions, anchor to one and chain the other",
        )
        .map(|d| {
            d.with_label(before.span, "Before is also set")
                .with_note(wix_note(
                35,
                "The Custom/@After attribute cannot be specified when attribute Before is present."
                    .to_string(),
            ))
        });
    }
    if let Some(sequence) = &row.sequence {
        if let Some(other) = row
            .anchor()
            .map(|anchor| anchor.span)
            .or(row.on_exit.as_ref().map(|e| e.span))
        {
            return report(
                sequence.span,
                format!("`{name}` has an absolute Sequence and a Before/After/OnExit placement"),
                "keep either the Sequence number or the relative placement",
            )
            .map(|d| d.with_label(other, "also placed here"));
        }
    }
    if let Some(anchor) = row.anchor().filter(|anchor| &anchor.value == name) {
        return report(
            anchor.span,
            format!("`{name}` is scheduled relative to itself"),
            "anchor it to the action it must follow or precede",
        );
    }
    let placed = row.sequence.is_some() || row.on_exit.is_some() || row.anchor().is_some();
    if !placed && needs_placement(row) {
        return report(
            row.element,
            format!("`{name}` has no Sequence, Before, After or OnExit, so WiX cannot place it"),
            "add After=\"…\" or Before=\"…\" naming the action it belongs next to",
        );
    }
    None
}

/// Custom actions, dialogs, SetProperty and the standard actions without a default number
/// must be placed explicitly.
fn needs_placement(row: &ActionRow) -> bool {
    match (row.origin, row.kind) {
        (RowOrigin::Authored, ActionKind::Standard) => {
            standard_actions::find(row.table, &row.action.value)
                .is_none_or(|standard| standard.sequence.is_none())
        }
        (RowOrigin::Authored | RowOrigin::SetProperty, _) => true,
        _ => false,
    }
}
