//! WXC207 impersonation-mismatch: `Impersonate="no"` or `TerminalServerAware="yes"` on an
//! action that does not run from the script, where they mean nothing.

use crate::diagnostic::Diagnostic;
use crate::rules::Context;

crate::declare_rule! {
    /// `Impersonate="no"` or `TerminalServerAware="yes"` on an immediate custom action.
    ///
    /// ## What it does
    /// Reports custom actions that ask to run without impersonation (elevated, as
    /// LocalSystem) or to be Terminal Server aware, but are not deferred, rollback or
    /// commit actions.
    ///
    /// ## Why is this bad?
    /// Only actions that run from the installation script can run without impersonation.
    /// An immediate action always runs as the user, with the user's (under UAC, filtered)
    /// token, so whatever needed elevation fails with "access denied" on customer machines.
    /// WiX v3 writes the bit anyway and ICE68 warns after the build; WiX v4+ silently drops
    /// it, so nothing warns at all.
    ///
    /// ## Example
    /// ```xml
    /// <CustomAction Id="SetAcl" Directory="INSTALLFOLDER" ExeCommand="icacls ." Execute="immediate" Impersonate="no" />
    /// ```
    /// Use instead:
    /// ```xml
    /// <CustomAction Id="SetAcl" Directory="INSTALLFOLDER" ExeCommand="icacls ." Execute="deferred" Impersonate="no" />
    /// ```
    ///
    /// ## References
    /// - Custom action security: <https://learn.microsoft.com/windows/win32/msi/custom-action-security>
    /// - ICE68: <https://learn.microsoft.com/windows/win32/msi/ice68>
    /// - Custom action in-script execution options: <https://learn.microsoft.com/windows/win32/msi/custom-action-in-script-execution-options>
    pub IMPERSONATION_MISMATCH, "WXC207", "impersonation-mismatch", Warning, Some(check)
}

/// The attributes that only deferred actions honour, with the value that asks for them.
const SCRIPT_ONLY: [(&str, &str, &str); 2] = [
    ("Impersonate", "no", "run elevated without impersonation"),
    ("TerminalServerAware", "yes", "be Terminal Server aware"),
];

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    for custom in &context.schedule.custom_actions {
        if custom.execute.in_script() {
            continue;
        }
        for (attribute, value, meaning) in SCRIPT_ONLY {
            let Some(found) = custom
                .attribute(attribute)
                .filter(|found| found.value == value)
            else {
                continue;
            };
            let mut diagnostic = IMPERSONATION_MISMATCH
                .diagnostic(
                    found.span,
                    format!(
                        "`{}` asks to {meaning}, but it is {} and runs as the user",
                        custom.id.value,
                        custom.execute.as_str()
                    ),
                )
                .with_label(
                    found.span,
                    format!("{attribute}=\"{value}\" is ignored here"),
                );
            if let Some(execute) = custom.attribute("Execute") {
                diagnostic = diagnostic.with_label(execute.span, "not deferred");
            }
            diagnostics.push(diagnostic.with_help(
                "make it Execute=\"deferred\" (with a CustomActionData setter for any data it needs), or remove the attribute",
            ));
        }
    }
}
