//! WXC102 schedule-anchor-not-found: Before/After naming an action that is not in the table.

use super::{nearest_name, quoted, span_of, table_name, wix_note};
use crate::diagnostic::Diagnostic;
use crate::model::standard_actions;
use crate::rules::{Context, LIBRARY_KINDS};
use crate::sequence::{Fact, Schedule};

crate::declare_rule! {
    /// `Before`/`After` names an action that is not scheduled in that table.
    ///
    /// ## What it does
    /// Reports anchors that are neither a standard action of the same table nor an action
    /// scheduled in it, suggests near names, and explains the SetProperty trap: SetProperty
    /// defaults to `Sequence="both"`, so its anchor must exist in the UI sequence too. When the
    /// files reference a UI, dialog, custom action or property they do not define (a WiX
    /// library or extension such as WixUI or NetFx), the anchor may come from there, and the
    /// finding is a warning instead of an error.
    ///
    /// ## Why is this bad?
    /// WiX fails with WIX0094 (unresolved reference to `WixAction:Table/Name`). A typo in an
    /// anchor is easy to make and hard to spot.
    ///
    /// ## Example
    /// ```xml
    /// <SetProperty Id="P" Value="1" Before="MyExecuteOnlyAction" />
    /// ```
    /// Use instead:
    /// ```xml
    /// <SetProperty Id="P" Value="1" Before="MyExecuteOnlyAction" Sequence="execute" />
    /// ```
    ///
    /// ## References
    /// - WiX error WIX0094 UnresolvedReference
    /// - WiX test `CannotBuildWhenSetPropertyReferencesMissingAction`
    pub SCHEDULE_ANCHOR_NOT_FOUND, "WXC102", "schedule-anchor-not-found", Error, Some(check)
}

/// How many unresolved anchors get a "did you mean" search: each compares the name with
/// every action of the table, so generated sources with thousands of them would take hours.
const MAX_SUGGESTIONS: usize = 20;

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let schedule = context.schedule;
    let mut suggested = 0;
    for fact in &schedule.facts {
        let Fact::UnresolvedAnchor {
            table,
            action,
            anchor,
            elsewhere,
        } = fact
        else {
            continue;
        };
        let table_name = table_name(*table, schedule);
        let side = action.row.as_ref().map_or("Before/After", |row| {
            if row.after.is_some() {
                "After"
            } else {
                "Before"
            }
        });
        let message = format!(
            "`{}` is scheduled {} {}, which is not scheduled in {table_name}",
            action.name,
            side.to_lowercase(),
            quoted(anchor)
        );
        let mut diagnostic =
            SCHEDULE_ANCHOR_NOT_FOUND.diagnostic(span_of(action, schedule, context), message);
        let help = if let Some(other) = elsewhere.first() {
            let sequence_hint = match other {
                crate::model::Table::InstallExecute => "Sequence=\"execute\"",
                crate::model::Table::InstallUI => "Sequence=\"ui\"",
                _ => "a Sequence attribute for one table",
            };
            format!(
                "`{anchor}` is scheduled only in {}; SetProperty and SetDirectory default to Sequence=\"both\": add {sequence_hint}, or schedule `{anchor}` in {table_name} too",
                other.msi_name()
            )
        } else if let Some(near) = (suggested < MAX_SUGGESTIONS)
            .then(|| {
                suggested += 1;
                nearest_action(anchor, *table, schedule)
            })
            .flatten()
        {
            format!("did you mean `{near}`?")
        } else {
            format!("schedule `{anchor}` in {table_name}, or anchor to an action that is scheduled there")
        };
        // Asked only here: finding it reads every symbol, and most inputs have no finding.
        if let Some(reference) = context.reference_outside_inputs(&LIBRARY_KINDS) {
            // The inputs are incomplete: the anchor may come from a library or extension.
            diagnostic.severity = crate::diagnostic::Severity::Warning;
            diagnostic = diagnostic.with_label(
                reference.span,
                format!(
                    "`{}` is not defined in these files; `{anchor}` may be scheduled by the WiX library or extension that defines it",
                    reference.symbol.id
                ),
            );
        }
        diagnostic = diagnostic.with_help(help).with_note(wix_note(
            94,
            format!(
                "The identifier 'WixAction:{}/{anchor}' could not be found. Ensure you have typed the reference correctly and that all the necessary inputs are provided to the linker.",
                table.wix_name()
            ),
        ));
        diagnostics.push(diagnostic);
    }
}

/// The closest action name in the table or among standard actions, if close enough.
fn nearest_action(name: &str, table: crate::model::Table, schedule: &Schedule) -> Option<String> {
    let scheduled = schedule
        .table(table)
        .into_iter()
        .flat_map(|t| t.actions.iter().map(|a| a.name.as_str()));
    let standard = standard_actions::names(table).map(|name| -> &str { name });
    nearest_name(name, scheduled.chain(standard)).map(str::to_string)
}
