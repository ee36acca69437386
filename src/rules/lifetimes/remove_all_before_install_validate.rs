//! WXC303 remove-all-before-install-validate: testing `REMOVE="ALL"` before InstallValidate,
//! where REMOVE may not say ALL yet.

use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::source::Span;

crate::declare_rule! {
    /// A condition tests `REMOVE="ALL"` on an action that runs before InstallValidate.
    ///
    /// ## What it does
    /// Finds conditions that test `REMOVE="ALL"` (also `REMOVE~="all"` and `"ALL"=REMOVE`) on
    /// actions placed before InstallValidate in an execute sequence, by their effective
    /// number, and on any action of a UI sequence.
    ///
    /// ## Why is this bad?
    /// When a product is removed from its maintenance UI or by setting its top feature
    /// absent, REMOVE may not equal ALL until InstallValidate has run. An uninstall action
    /// conditioned on `REMOVE="ALL"` before that silently does nothing for those users —
    /// while it works when tested with `msiexec /x`.
    ///
    /// ## Example
    /// ```xml
    /// <SetProperty Id="PreUninstall" Value="…" After="CostFinalize" Sequence="execute" Condition='REMOVE="ALL"' />
    /// ```
    /// Use instead:
    /// ```xml
    /// <SetProperty Id="PreUninstall" Value="…" After="InstallValidate" Sequence="execute" Condition='REMOVE="ALL"' />
    /// ```
    ///
    /// ## References
    /// - REMOVE property: <https://learn.microsoft.com/windows/win32/msi/remove>
    /// - Conditioning actions to run during removal: <https://learn.microsoft.com/windows/win32/msi/conditioning-actions-to-run-during-removal>
    /// - Sequencing custom actions: <https://learn.microsoft.com/windows/win32/msi/sequencing-custom-actions>
    pub REMOVE_ALL_BEFORE_INSTALL_VALIDATE, "WXC303", "remove-all-before-install-validate", Warning, Some(check)
}

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    for table in &context.schedule.tables {
        let validate = table.find("InstallValidate").and_then(|a| a.sequence);
        for action in &table.actions {
            let Some(number) = action.sequence else {
                continue;
            };
            let Some(condition) = action.row.as_ref().and_then(|row| row.condition.as_ref()) else {
                continue;
            };
            let early = match (table.table.is_execute(), validate) {
                (false, _) => true,
                (true, Some(validate)) => number < validate,
                (true, None) => false,
            };
            if !early {
                continue;
            }
            let Some(test) = condition
                .comparisons()
                .find(|comparison| comparison.tests_property_equals("REMOVE", "ALL"))
            else {
                continue;
            };
            let primary = Span::new(
                test.left.span.file,
                test.left.span.start.min(test.right.span.start) as usize,
                test.left.span.end.max(test.right.span.end) as usize,
            );
            let when = match validate.filter(|_| table.table.is_execute()) {
                Some(validate) => format!("at {number}, before InstallValidate ({validate})"),
                None => format!("in {}, which runs before InstallValidate", table.table),
            };
            let mut diagnostic = REMOVE_ALL_BEFORE_INSTALL_VALIDATE
                .diagnostic(primary, format!("`{}` tests REMOVE=\"ALL\" {when}, where REMOVE may not say ALL yet", action.name))
                .with_note("removal from the maintenance UI or by making the top feature absent sets REMOVE to ALL only during InstallValidate");
            if let Some(span) = action.placement_span() {
                diagnostic = diagnostic.with_label(
                    span,
                    format!("this action runs at {number} in {}", table.table),
                );
            }
            diagnostics.push(diagnostic.with_help(
                "schedule the action after InstallValidate in InstallExecuteSequence (an uninstall action usually belongs between InstallInitialize and RemoveFiles)",
            ));
        }
    }
}
