//! WXC206 rollback-after-action: a rollback action scheduled after the deferred action it
//! undoes.

use crate::diagnostic::Diagnostic;
use crate::model::{CustomAction, Execute};
use crate::rules::Context;
use crate::sequence::{Action, ResolvedTable, Schedule};

crate::declare_rule! {
    /// A rollback custom action runs after the deferred action it rolls back.
    ///
    /// ## What it does
    /// Pairs each rollback action with the deferred action it undoes — named by a
    /// `<!-- wixcheck: rollback-for NAME -->` comment before the rollback `CustomAction`, or
    /// by the naming conventions `<X>Rollback`, `Rollback<X>`, `<X>_Rollback` and `Undo<X>` —
    /// and reports the pair when the rollback action's effective number is after the
    /// deferred action's in the same execute sequence.
    ///
    /// ## Why is this bad?
    /// Windows Installer arms a rollback action when it writes it to the script. If the
    /// deferred action fails first, a rollback action placed after it was never written,
    /// so the failed change is not undone.
    ///
    /// ## Example
    /// ```xml
    /// <Custom Action="CreateDb" After="InstallFiles" />
    /// <Custom Action="CreateDbRollback" After="CreateDb" />
    /// ```
    /// Use instead:
    /// ```xml
    /// <Custom Action="CreateDbRollback" After="InstallFiles" />
    /// <Custom Action="CreateDb" After="CreateDbRollback" />
    /// ```
    ///
    /// ## References
    /// - Rollback custom actions: <https://learn.microsoft.com/windows/win32/msi/rollback-custom-actions>
    /// - Changing the system state using a custom action: <https://learn.microsoft.com/windows/win32/msi/changing-the-system-state-using-a-custom-action>
    pub ROLLBACK_AFTER_ACTION, "WXC206", "rollback-after-action", Error, Some(check)
}

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let schedule = context.schedule;
    for table in schedule.tables.iter().filter(|t| t.table.is_execute()) {
        for rollback in &table.actions {
            let (Some(undo_at), Some(custom)) =
                (rollback.sequence, schedule.custom_action(rollback))
            else {
                continue;
            };
            if custom.execute != Execute::Rollback {
                continue;
            }
            let Some((partner, how)) = partner(schedule, table, custom) else {
                continue;
            };
            let Some(done_at) = partner.sequence.filter(|&done_at| done_at < undo_at) else {
                continue;
            };
            let primary = rollback.placement_span().unwrap_or(custom.id.span);
            let mut diagnostic = ROLLBACK_AFTER_ACTION
                .diagnostic(
                    primary,
                    format!(
                        "rollback action `{}` runs at {undo_at}, after `{}` ({done_at}) which it rolls back",
                        rollback.name, partner.name
                    ),
                )
                .with_label(primary, format!("the rollback action runs at {undo_at}"));
            if let Some(span) = partner.placement_span() {
                diagnostic =
                    diagnostic.with_label(span, format!("the deferred action runs at {done_at}"));
            }
            diagnostics.push(
                diagnostic
                    .with_note(format!("paired {how}"))
                    .with_help(format!(
                    "schedule `{}` before `{}`, so it is in the script before the change it undoes",
                    rollback.name, partner.name
                )),
            );
        }
    }
}

/// The deferred action `rollback` undoes, in `table`, and how they were paired.
fn partner<'t>(
    schedule: &Schedule,
    table: &'t ResolvedTable,
    rollback: &CustomAction,
) -> Option<(&'t Action, &'static str)> {
    let deferred = |name: &str| {
        let action = table.find(name)?;
        let custom = schedule.custom_action(action)?;
        (custom.execute == Execute::Deferred).then_some(action)
    };
    let declared = rollback.annotations.iter().find_map(|note| {
        let name = note.value.strip_prefix("rollback-for")?.trim();
        table.find(name)
    });
    if let Some(action) = declared {
        return Some((action, "by its wixcheck: rollback-for comment"));
    }
    let id = rollback.id.value.as_str();
    let candidates = [
        id.strip_suffix("_Rollback"),
        id.strip_suffix("Rollback"),
        id.strip_prefix("Rollback"),
        id.strip_prefix("Undo"),
    ];
    candidates
        .into_iter()
        .flatten()
        .filter(|name| !name.is_empty())
        .find_map(deferred)
        .map(|action| (action, "by name"))
}
