//! WXC501 remove-existing-products-placement: RemoveExistingProducts outside the places
//! Windows Installer allows.

use crate::diagnostic::Diagnostic;
use crate::model::{ActionKind, Table};
use crate::rules::Context;
use crate::sequence::ResolvedTable;

crate::declare_rule! {
    /// RemoveExistingProducts is scheduled where a major upgrade fails.
    ///
    /// ## What it does
    /// Checks RemoveExistingProducts' effective number in InstallExecuteSequence against the
    /// places Windows Installer allows: between InstallValidate and InstallInitialize;
    /// right after InstallInitialize, before any standard action that writes to the script
    /// (deferred custom actions may come first: stopping a service before the old product is
    /// removed is the documented use of `Schedule="afterInstallInitialize"`); after
    /// InstallExecute or InstallExecuteAgain and before InstallFinalize; or after
    /// InstallFinalize. It also reports RemoveExistingProducts before FindRelatedProducts,
    /// which finds the products to remove.
    ///
    /// ## Why is this bad?
    /// Anywhere else the upgrade fails at install time with error 2613
    /// ("RemoveExistingProducts action sequenced incorrectly"), or the old product's
    /// removal cannot be rolled back together with the new installation. ICE63 checks this
    /// only after the build, on Windows.
    ///
    /// ## Example
    /// ```xml
    /// <RemoveExistingProducts After="InstallFiles" />
    /// ```
    /// Use instead:
    /// ```xml
    /// <MajorUpgrade Schedule="afterInstallInitialize" DowngradeErrorMessage="A newer version is installed." />
    /// ```
    ///
    /// ## References
    /// - RemoveExistingProducts action: <https://learn.microsoft.com/windows/win32/msi/removeexistingproducts-action>
    /// - ICE63: <https://learn.microsoft.com/windows/win32/msi/ice63>
    pub REMOVE_EXISTING_PRODUCTS_PLACEMENT, "WXC501", "remove-existing-products-placement", Error, Some(check)
}

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let schedule = context.schedule;
    let Some(table) = schedule.table(Table::InstallExecute) else {
        return;
    };
    let Some(removal) = table.find("RemoveExistingProducts") else {
        return;
    };
    let Some(at) = removal.sequence else {
        return;
    };
    let number_of = |name: &str| table.find(name).and_then(|action| action.sequence);
    let Some(span) = removal.placement_span() else {
        return;
    };
    let problem = match (number_of("FindRelatedProducts"), misplaced(table, at)) {
        (Some(find), _) if at < find => Some(format!(
            "before FindRelatedProducts ({find}), which finds the products to remove"
        )),
        (_, Some(why)) => Some(why),
        _ => None,
    };
    if let Some(problem) = problem {
        diagnostics.push(
            REMOVE_EXISTING_PRODUCTS_PLACEMENT
                .diagnostic(span, format!("RemoveExistingProducts runs at {at}, {problem}"))
                .with_label(span, format!("RemoveExistingProducts runs at {at}"))
                .with_help("use MajorUpgrade Schedule=\"afterInstallValidate\", \"afterInstallInitialize\", \"afterInstallExecute\" or \"afterInstallFinalize\"")
                .with_note("error 2613 at install time: RemoveExistingProducts action sequenced incorrectly"),
        );
    }
}

/// Why `at` is not one of the allowed places, if it is not.
fn misplaced(table: &ResolvedTable, at: i32) -> Option<String> {
    let number_of = |name: &str| table.find(name).and_then(|action| action.sequence);
    let validate = number_of("InstallValidate")?;
    let initialize = number_of("InstallInitialize")?;
    let finalize = number_of("InstallFinalize")?;
    let executed = ["InstallExecute", "InstallExecuteAgain"]
        .into_iter()
        .filter_map(number_of)
        .min();
    if at <= validate {
        return Some(format!(
            "before InstallValidate ({validate}) has checked what the new product needs"
        ));
    }
    if at < initialize || at > finalize || executed.is_some_and(|e| e < at) {
        return None;
    }
    let writer = table.actions.iter().find(|action| {
        action.kind == ActionKind::Standard
            && action.sequence.is_some_and(|n| initialize < n && n < at)
    });
    writer.map(|writer| {
        format!(
            "inside the transaction after the standard action `{}` ({}) has written to the script, and before InstallExecute",
            writer.name,
            writer.sequence.unwrap_or_default()
        )
    })
}
