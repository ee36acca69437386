//! WXC201 deferred-outside-transaction: a deferred, rollback or commit action that does not
//! run strictly between InstallInitialize and InstallFinalize.

use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::sequence::{Action, ResolvedTable};
use std::collections::HashSet;

crate::declare_rule! {
    /// A deferred, rollback or commit custom action runs outside InstallInitialize..InstallFinalize.
    ///
    /// ## What it does
    /// Checks every custom action with `Execute="deferred|rollback|commit"` in an execute
    /// sequence against the effective numbers of InstallInitialize and InstallFinalize. It
    /// explains the common trap: an action placed relative to RemoveExistingProducts, which
    /// `MajorUpgrade` (and WiX v5+'s default major upgrade) puts right after InstallValidate —
    /// before the transaction opens.
    ///
    /// ## Why is this bad?
    /// Deferred actions are written into the installation script, which exists only between
    /// InstallInitialize and InstallFinalize. Anywhere else Windows Installer fails the
    /// installation with error 2762 ("Cannot write script record. Transaction not started").
    /// ICE77 reports it, but only after the MSI is built, and only on Windows.
    ///
    /// ## Example
    /// ```xml
    /// <MajorUpgrade DowngradeErrorMessage="A newer version is installed." />
    /// <CustomAction Id="StopLegacySvc" BinaryRef="Ca" DllEntry="Stop" Execute="deferred" />
    /// <Custom Action="StopLegacySvc" Before="RemoveExistingProducts" />
    /// ```
    /// Use instead:
    /// ```xml
    /// <MajorUpgrade Schedule="afterInstallInitialize" DowngradeErrorMessage="A newer version is installed." />
    /// <Custom Action="StopLegacySvc" Before="RemoveExistingProducts" />
    /// ```
    ///
    /// ## References
    /// - ICE77: <https://learn.microsoft.com/windows/win32/msi/ice77>
    /// - Deferred execution custom actions: <https://learn.microsoft.com/windows/win32/msi/deferred-execution-custom-actions>
    /// - RemoveExistingProducts action: <https://learn.microsoft.com/windows/win32/msi/removeexistingproducts-action>
    pub DEFERRED_OUTSIDE_TRANSACTION, "WXC201", "deferred-outside-transaction", Error, Some(check)
}

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let schedule = context.schedule;
    for table in schedule.tables.iter().filter(|t| t.table.is_execute()) {
        let number_of = |name: &str| table.find(name).and_then(|action| action.sequence);
        let (initialize, finalize) = (number_of("InstallInitialize"), number_of("InstallFinalize"));
        let early_removal = hanging_off_early_removal(table, initialize);
        for (action, number, custom) in schedule.custom_actions_in(table) {
            if !custom.execute.in_script() {
                continue;
            }
            let inside =
                matches!((initialize, finalize), (Some(i), Some(f)) if i < number && number < f);
            if inside {
                continue;
            }
            let mode = custom.execute.as_str();
            let primary = action.placement_span().unwrap_or(custom.id.span);
            let where_ = match (initialize, finalize) {
                (Some(i), _) if number <= i => format!("before InstallInitialize ({i})"),
                (_, Some(f)) if number >= f => format!("after InstallFinalize ({f})"),
                _ => format!(
                    "in {} which has no InstallInitialize/InstallFinalize",
                    table.table
                ),
            };
            let mut diagnostic = DEFERRED_OUTSIDE_TRANSACTION
                .diagnostic(
                    primary,
                    format!(
                        "{mode} action `{}` runs at {number}, {where_}, outside the installation script",
                        action.name
                    ),
                )
                .with_label(primary, format!("this action runs at {number}"));
            if let Some(execute) = custom.attribute("Execute") {
                diagnostic = diagnostic.with_label(execute.span, format!("{mode} here"));
            }
            let removal = early_removal
                .as_ref()
                .filter(|(_, placed)| placed.contains(action.name.as_str()))
                .map(|(removal, _)| *removal);
            diagnostic = match removal {
                Some(removal) => {
                    let removal_number = removal.sequence.unwrap_or_default();
                    let mut diagnostic = diagnostic.with_help(
                        "RemoveExistingProducts runs before InstallInitialize here; schedule the upgrade with MajorUpgrade Schedule=\"afterInstallInitialize\", or anchor this action to an action inside the transaction",
                    );
                    if let Some(span) = removal.placement_span() {
                        diagnostic = diagnostic.with_label(
                            span,
                            format!("RemoveExistingProducts is placed here, at {removal_number}, before the transaction"),
                        );
                    }
                    diagnostic.with_note(format!(
                        "this action is placed relative to RemoveExistingProducts ({removal_number})"
                    ))
                }
                None => diagnostic.with_help(
                    "schedule it after InstallInitialize and before InstallFinalize (for example After=\"InstallFiles\"), or make it immediate if it must run outside the transaction",
                ),
            };
            diagnostics.push(diagnostic.with_note(
                "error 2762 at install time: deferred actions can only be written to the script between InstallInitialize and InstallFinalize",
            ));
        }
    }
}

/// RemoveExistingProducts and the actions placed relative to it, directly or through a
/// chain, when it runs before InstallInitialize.
fn hanging_off_early_removal(
    table: &ResolvedTable,
    initialize: Option<i32>,
) -> Option<(&Action, HashSet<&str>)> {
    let removal = table.find("RemoveExistingProducts")?;
    let early = matches!((removal.sequence, initialize), (Some(r), Some(i)) if r < i);
    early.then(|| (removal, table.placed_relative_to(&removal.name)))
}
