//! WXC205 deferred-reads-property: a deferred action that reads a session property other than
//! CustomActionData, ProductCode and UserSID.

use crate::diagnostic::Diagnostic;
use crate::model::{CustomAction, Execute, Spanned};
use crate::rules::reads::{self, ReadSource};
use crate::rules::Context;
use crate::source::Span;

crate::declare_rule! {
    /// A deferred custom action reads a property it cannot see.
    ///
    /// ## What it does
    /// Looks at what deferred, rollback and commit actions read: `Session.Property("X")` in
    /// inline VBScript or JScript, and properties declared with
    /// `<!-- wixcheck: reads X -->` (for DLL actions, whose code wixcheck cannot see). Any
    /// property other than CustomActionData, ProductCode and UserSID is reported.
    ///
    /// ## Why is this bad?
    /// Deferred actions run from the installation script, after the session that held the
    /// properties. `MsiGetProperty` there returns only CustomActionData, ProductCode and
    /// UserSID (commit actions not even ProductCode); everything else is an empty string.
    ///
    /// ## Example
    /// ```xml
    /// <CustomAction Id="WriteCfg" Script="vbscript" Execute="deferred">
    ///   folder = Session.Property("INSTALLFOLDER")
    /// </CustomAction>
    /// ```
    /// Use instead:
    /// ```xml
    /// <SetProperty Id="WriteCfg" Value="[INSTALLFOLDER]" Before="WriteCfg" Sequence="execute" />
    /// <CustomAction Id="WriteCfg" Script="vbscript" Execute="deferred">
    ///   folder = Session.Property("CustomActionData")
    /// </CustomAction>
    /// ```
    ///
    /// ## References
    /// - Obtaining context information for deferred execution custom actions: <https://learn.microsoft.com/windows/win32/msi/obtaining-context-information-for-deferred-execution-custom-actions>
    pub DEFERRED_READS_PROPERTY, "WXC205", "deferred-reads-property", Warning, Some(check)
}

/// What a deferred action can still read.
const READABLE: [&str; 3] = ["CustomActionData", "ProductCode", "UserSID"];

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    for custom in &context.schedule.custom_actions {
        if !custom.execute.in_script() {
            continue;
        }
        let declared = reads::of_custom_action(context, custom)
            .into_iter()
            .filter(|read| read.source == ReadSource::Annotation)
            .map(|read| (read.property, read.span));
        let scripted = custom
            .script
            .iter()
            .flat_map(|script| script_reads(context, script));
        for (property, span) in declared.chain(scripted) {
            let readable = READABLE.contains(&property.as_str())
                && !(property == "ProductCode" && custom.execute == Execute::Commit);
            if !readable {
                diagnostics.push(report(custom, &property, span));
            }
        }
    }
}

fn report(custom: &CustomAction, property: &str, span: Span) -> Diagnostic {
    let id = &custom.id.value;
    DEFERRED_READS_PROPERTY
        .diagnostic(
            span,
            format!("{} action `{id}` reads {property}, which is empty once the action runs from the script", custom.execute.as_str()),
        )
        .with_label(custom.id.span, format!("`{id}` is {}", custom.execute.as_str()))
        .with_help(format!(
            "pass it through CustomActionData: <SetProperty Id=\"{id}\" Value=\"[{property}]\" Before=\"{id}\" Sequence=\"execute\" />, then read CustomActionData"
        ))
}

/// `Session.Property("X")` reads in an inline script, with the span of `X`.
fn script_reads(context: &Context<'_>, script: &Spanned<String>) -> Vec<(String, Span)> {
    const CALL: &str = "session.property(";
    let text = &script.value;
    let lower = text.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find(CALL) {
        let open = from + at + CALL.len();
        from = open;
        let rest = &text[open..];
        let quoted = rest.trim_start();
        let Some(name) = quoted.strip_prefix('"') else {
            continue;
        };
        let Some(end) = name.find('"') else {
            continue;
        };
        let start = open + (rest.len() - quoted.len()) + 1;
        found.push((
            name[..end].to_string(),
            context.narrow(script, start..start + end),
        ));
    }
    found
}
