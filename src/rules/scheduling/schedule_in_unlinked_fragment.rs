//! WXC110 schedule-in-unlinked-fragment: scheduling in a Fragment nothing links.

use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::sequence::Fact;

crate::declare_rule! {
    /// A Fragment schedules or defines custom actions, but nothing links it.
    ///
    /// ## What it does
    /// Reports Fragments with sequence rows or custom actions that no reference from the
    /// Package/Product/Module reaches (no `CustomActionRef`, `ComponentGroupRef`, … to
    /// anything it defines).
    ///
    /// ## Why is this bad?
    /// The linker drops unreferenced Fragments: their actions silently never run.
    ///
    /// ## Example
    /// ```xml
    /// <Fragment>
    ///   <CustomAction Id="A" ... />
    ///   <InstallExecuteSequence><Custom Action="A" After="InstallFiles" /></InstallExecuteSequence>
    /// </Fragment>
    /// ```
    /// Use instead: add `<CustomActionRef Id="A" />` to the Package (or reference anything
    /// else the Fragment defines).
    ///
    /// ## References
    /// - WiX linker: sections are included only when referenced (`ResolveReferencesCommand.cs`)
    pub SCHEDULE_IN_UNLINKED_FRAGMENT, "WXC110", "schedule-in-unlinked-fragment", Warning, Some(check)
}

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    for fact in &context.schedule.facts {
        let Fact::UnlinkedFragment { section } = fact else {
            continue;
        };
        let Some(section) = context.model.sections.get(*section) else {
            continue;
        };
        let rows = section.rows.len();
        let actions = section.custom_actions.len();
        let message = format!(
            "this Fragment is not linked: its {rows} sequence row(s) and {actions} custom action(s) are left out of the package"
        );
        let mut diagnostic = SCHEDULE_IN_UNLINKED_FRAGMENT.diagnostic(section.span, message);
        if let Some(row) = section.rows.first() {
            diagnostic = diagnostic.with_label(
                row.element,
                format!("`{}` is never scheduled", row.action.value),
            );
        }
        let reference = section
            .custom_actions
            .first()
            .map(|custom| format!("<CustomActionRef Id=\"{}\" />", custom.id.value))
            .unwrap_or_else(|| "a reference to something it defines".to_string());
        diagnostics
            .push(diagnostic.with_help(format!("link it from the Package with {reference}")));
    }
}
