//! WXC202 deferred-in-ui-sequence: a deferred, rollback or commit action scheduled in a UI
//! sequence or run from a dialog with `DoAction`.

use crate::diagnostic::Diagnostic;
use crate::model::CustomAction;
use crate::rules::Context;
use crate::source::Span;

crate::declare_rule! {
    /// A deferred, rollback or commit custom action is scheduled in a UI sequence or run by a dialog.
    ///
    /// ## What it does
    /// Reports custom actions with `Execute="deferred|rollback|commit"` that appear in
    /// InstallUISequence or AdminUISequence, or that a `Publish Event="DoAction"` runs.
    ///
    /// ## Why is this bad?
    /// Deferred actions must be written into the installation script, which only the execute
    /// sequence builds, between InstallInitialize and InstallFinalize. In the UI there is no
    /// script. ICE77 looks only at execute tables, so nothing reports this before a user
    /// clicks through the dialog.
    ///
    /// ## Example
    /// ```xml
    /// <InstallUISequence>
    ///   <Custom Action="DeferredConfig" After="CostFinalize" />
    /// </InstallUISequence>
    /// ```
    /// Use instead:
    /// ```xml
    /// <InstallExecuteSequence>
    ///   <Custom Action="DeferredConfig" After="InstallFiles" />
    /// </InstallExecuteSequence>
    /// ```
    ///
    /// ## References
    /// - Deferred execution custom actions: <https://learn.microsoft.com/windows/win32/msi/deferred-execution-custom-actions>
    /// - DoAction ControlEvent: <https://learn.microsoft.com/windows/win32/msi/doaction-controlevent>
    pub DEFERRED_IN_UI_SEQUENCE, "WXC202", "deferred-in-ui-sequence", Error, Some(check)
}

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let schedule = context.schedule;
    for table in schedule.tables.iter().filter(|t| !t.table.is_execute()) {
        for action in &table.actions {
            let Some(custom) = schedule.custom_action(action) else {
                continue;
            };
            if custom.execute.in_script() {
                let primary = action.placement_span().unwrap_or(custom.id.span);
                diagnostics.push(report(
                    custom,
                    primary,
                    format!(
                        "{} action `{}` is scheduled in {}",
                        custom.execute.as_str(),
                        action.name,
                        table.table
                    ),
                ));
            }
        }
    }
    for section in context.linked_sections() {
        for called in &section.properties.do_actions {
            let custom = schedule
                .custom_actions
                .iter()
                .find(|custom| custom.id.value == called.value && custom.execute.in_script());
            if let Some(custom) = custom {
                diagnostics.push(report(
                    custom,
                    called.span,
                    format!(
                        "{} action `{}` is run by a dialog's DoAction event",
                        custom.execute.as_str(),
                        called.value
                    ),
                ));
            }
        }
    }
}

fn report(custom: &CustomAction, primary: Span, message: String) -> Diagnostic {
    let mut diagnostic = DEFERRED_IN_UI_SEQUENCE.diagnostic(primary, message);
    if let Some(execute) = custom.attribute("Execute") {
        diagnostic =
            diagnostic.with_label(execute.span, format!("{} here", custom.execute.as_str()));
    }
    diagnostic
        .with_help("schedule it in InstallExecuteSequence between InstallInitialize and InstallFinalize; in the UI, use an immediate action")
        .with_note("the UI sequence has no installation script for deferred actions to be written to")
}
