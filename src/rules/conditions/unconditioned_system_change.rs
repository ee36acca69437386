//! WXC402 unconditioned-system-change: an execute-sequence custom action that changes the
//! system and has no condition, so it runs in every installation mode.

use crate::diagnostic::Diagnostic;
use crate::model::{CustomAction, CustomActionOrigin, Dialect, Execute, Table};
use crate::rules::Context;

crate::declare_rule! {
    /// A deferred, rollback, commit or program-running custom action has no condition.
    ///
    /// ## What it does
    /// Reports custom actions in InstallExecuteSequence with no condition (or an empty one)
    /// that run from the install script (deferred, rollback, commit) or run a program or a
    /// nested installation as an immediate action, and says in which modes they run.
    /// Property and directory setters (types 51 and 35: SetProperty, SetDirectory,
    /// `CustomAction Property=… Value=…`) are not reported: they change only the session.
    /// Immediate DLL and script actions are not reported either, because nothing in the
    /// source tells whether they change the system. `Condition="1"` states that the action
    /// runs every time, and is respected.
    ///
    /// ## Why is this bad?
    /// A sequence action with no condition always runs: on first install, on repair and
    /// modify, on patching, on uninstall — and, as the old product, when a newer version's
    /// major upgrade removes this one. An action written for the first install (create a
    /// database, register a service by hand) then runs again on uninstall or during an
    /// upgrade, usually with destructive effect. Each such action needs a decision.
    ///
    /// ## Example
    /// ```xml
    /// <CustomAction Id="CreateDb" BinaryRef="DbCa" DllEntry="CreateDb" Execute="deferred" Impersonate="no" />
    /// <InstallExecuteSequence>
    ///   <Custom Action="CreateDb" After="InstallFiles" />
    /// </InstallExecuteSequence>
    /// ```
    /// Use instead:
    /// ```xml
    /// <Custom Action="CreateDb" After="InstallFiles" Condition="NOT Installed" />
    /// ```
    ///
    /// ## References
    /// - Using a sequence table (an empty condition always runs): <https://learn.microsoft.com/windows/win32/msi/using-a-sequence-table>
    /// - Uninstalling custom actions: <https://learn.microsoft.com/windows/win32/msi/uninstalling-custom-actions>
    /// - Conditioning actions to run during removal: <https://learn.microsoft.com/windows/win32/msi/conditioning-actions-to-run-during-removal>
    pub UNCONDITIONED_SYSTEM_CHANGE, "WXC402", "unconditioned-system-change", Warning, Some(check)
}

/// Custom action Type kinds (`Type & 7`) that start a program or a nested installation.
const EXE: u32 = 2;
const NESTED_INSTALL: u32 = 7;

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let schedule = context.schedule;
    let Some(table) = schedule.table(Table::InstallExecute) else {
        return;
    };
    for action in &table.actions {
        let (Some(row), Some(custom)) = (&action.row, schedule.custom_action(action)) else {
            continue;
        };
        if row.condition.as_ref().is_some_and(|c| !c.is_empty()) {
            continue;
        }
        let Some(runs) = runs_in_every_mode(custom) else {
            continue;
        };
        let message = format!("`{}` {runs} and has no condition, so it runs on first install, repair, modify, patch and uninstall, and when a major upgrade removes this version", action.name);
        let dialect = context
            .model
            .sections
            .iter()
            .find(|section| section.file == row.element.file)
            .map_or(Dialect::V4, |section| section.dialect);
        let example = match dialect {
            Dialect::V4 => "Condition=\"NOT Installed\"",
            Dialect::V3 => "inner text `NOT Installed`",
        };
        diagnostics.push(
            UNCONDITIONED_SYSTEM_CHANGE
                .diagnostic(row.element, message)
                .with_label(custom.id.span, format!("defined here as {}", kind_of(custom)))
                .with_help(format!(
                    "give it a condition for the modes it is meant for, e.g. {example} (first install only) or `REMOVE=\"ALL\" AND NOT UPGRADINGPRODUCTCODE` (uninstall, not upgrade); write Condition=\"1\" if it really must run every time"
                )),
        );
    }
}

/// Why the custom action matters when unconditioned ("runs deferred", "runs a program"), or
/// `None` when it does not change the system.
fn runs_in_every_mode(custom: &CustomAction) -> Option<&'static str> {
    let setter = matches!(
        custom.origin,
        CustomActionOrigin::SetProperty | CustomActionOrigin::SetDirectory
    ) || matches!(custom.type_bits & 0x3F, 35 | 51);
    if setter {
        return None;
    }
    match custom.execute {
        Execute::Deferred => Some("runs deferred"),
        Execute::Rollback => Some("is a rollback action"),
        Execute::Commit => Some("is a commit action"),
        _ => match custom.type_bits & 0x07 {
            EXE => Some("runs a program"),
            NESTED_INSTALL => Some("runs a nested installation"),
            _ => None,
        },
    }
}

fn kind_of(custom: &CustomAction) -> String {
    format!(
        "a custom action of type {} ({})",
        custom.type_bits,
        custom.execute.as_str()
    )
}
