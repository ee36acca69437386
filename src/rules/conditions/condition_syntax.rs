//! WXC401 condition-syntax: a condition that Windows Installer cannot parse.

use super::described;
use crate::diagnostic::Diagnostic;
use crate::model::ConditionKind;
use crate::rules::Context;

crate::declare_rule! {
    /// A condition is not valid MSI conditional-statement syntax.
    ///
    /// ## What it does
    /// Parses every condition — Custom, Show and standard-action conditions, SetProperty and
    /// SetDirectory, launch conditions, Feature level and Component conditions, Publish and
    /// Control conditions — and reports the first token that does not fit the grammar, with
    /// what was expected there: `==`, `!=`, `&&`, `||`, `[PROP]` formatted text, single
    /// quotes, arithmetic, unbalanced parentheses or quotes, a missing operand,
    /// `(expr) = value`.
    ///
    /// ## Why is this bad?
    /// WiX copies conditions into the package without checking them. At install time a
    /// sequence condition that does not parse stops the installation with `iesBadActionData`;
    /// ICE03 reports "Bad conditional string" only after the build, and only on Windows.
    ///
    /// ## Example
    /// ```xml
    /// <Custom Action="Cleanup" After="InstallFiles" Condition="REMOVE == &quot;ALL&quot;" />
    /// ```
    /// Use instead:
    /// ```xml
    /// <Custom Action="Cleanup" After="InstallFiles" Condition='REMOVE="ALL"' />
    /// ```
    ///
    /// ## References
    /// - Conditional statement syntax: <https://learn.microsoft.com/windows/win32/msi/conditional-statement-syntax>
    /// - InstallExecuteSequence table: <https://learn.microsoft.com/windows/win32/msi/installexecutesequence-table>
    /// - ICE03: <https://learn.microsoft.com/windows/win32/msi/ice03>
    pub CONDITION_SYNTAX, "WXC401", "condition-syntax", Error, Some(check)
}

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    for section in &context.model.sections {
        for (kind, condition) in section.every_condition() {
            let Some(error) = condition.syntax_error() else {
                continue;
            };
            let mut diagnostic = CONDITION_SYNTAX.diagnostic(
                error.span,
                format!("{}: {}", described(kind), error.message),
            );
            if let Some((span, message)) = &error.label {
                diagnostic = diagnostic.with_label(*span, message.clone());
            }
            diagnostic = diagnostic.with_help(error.help.clone().unwrap_or_else(|| {
                "write it as MSI condition syntax: properties, quoted literals and integers joined by comparisons (`=`, `<>`, `<`, `>=`, `><`…), AND, OR, NOT and parentheses (`wixcheck rule WXC401`)".to_string()
            }));
            let consequence = match kind {
                ConditionKind::Action => "Windows Installer stops the installation with iesBadActionData when a sequence condition does not parse",
                _ => "Windows Installer cannot evaluate a condition that does not parse; ICE03 reports it as a bad conditional string",
            };
            diagnostics.push(diagnostic.with_note(consequence));
        }
    }
}
