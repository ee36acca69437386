//! WXC301 restart-manager-key-too-late: reading `MsiRestartManagerSessionKey` after
//! InstallValidate has cleared it.

use crate::diagnostic::Diagnostic;
use crate::model::{CustomAction, Spanned, Table};
use crate::rules::Context;
use crate::sequence::Action;

crate::declare_rule! {
    /// An action that needs `MsiRestartManagerSessionKey` runs at or after InstallValidate.
    ///
    /// ## What it does
    /// Finds custom actions that read the Restart Manager session key — `[MsiRestartManagerSessionKey]`
    /// in their formatted fields, a `<!-- wixcheck: reads MsiRestartManagerSessionKey -->`
    /// annotation, or a deferred action whose CustomActionData setter copies the key — and
    /// reports those that run at or after InstallValidate, by their effective sequence number.
    /// For a deferred action, the setter is what must run early.
    ///
    /// ## Why is this bad?
    /// Windows Installer sets the key when the installation starts and clears it during
    /// InstallValidate. An action after that reads an empty string; the package builds fine
    /// and the failure shows up only on a customer's machine.
    ///
    /// ## Example
    /// ```xml
    /// <CustomAction Id="SaveRmKey" Property="RM_KEY" Value="[MsiRestartManagerSessionKey]" />
    /// <Custom Action="SaveRmKey" After="InstallValidate" />
    /// ```
    /// Use instead:
    /// ```xml
    /// <Custom Action="SaveRmKey" Before="InstallValidate" />
    /// ```
    ///
    /// ## References
    /// - MsiRestartManagerSessionKey property: <https://learn.microsoft.com/windows/win32/msi/msirestartmanagersessionkey>
    /// - InstallValidate action: <https://learn.microsoft.com/windows/win32/msi/installvalidate-action>
    pub RESTART_MANAGER_KEY_TOO_LATE, "WXC301", "restart-manager-key-too-late", Error, Some(check)
}

const KEY: &str = "MsiRestartManagerSessionKey";
/// Attributes whose values Windows Installer formats (so `[Property]` is read).
const FORMATTED: [&str; 3] = ["Value", "ExeCommand", "Error"];

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let schedule = context.schedule;
    for table in schedule.tables.iter().filter(|t| t.table.is_execute()) {
        let Some(validate) = table.find("InstallValidate").and_then(|a| a.sequence) else {
            continue;
        };
        for action in &table.actions {
            let (Some(number), Some(custom)) = (action.sequence, schedule.custom_action(action))
            else {
                continue;
            };
            if number < validate {
                continue;
            }
            let Some(reference) = key_reference(custom) else {
                continue;
            };
            let deferred = deferred_target(custom, &schedule.custom_actions);
            diagnostics.push(report(
                action,
                number,
                validate,
                table.table,
                &reference,
                deferred,
            ));
        }
    }
}

/// Where the custom action reads the key: a formatted field, or the author's annotation.
fn key_reference(custom: &CustomAction) -> Option<Spanned<String>> {
    let needle = format!("[{KEY}]");
    let field = FORMATTED
        .iter()
        .filter_map(|name| custom.attribute(name))
        .find(|value| value.value.contains(&needle));
    let annotated = custom.annotations.iter().find(|note| {
        note.value
            .strip_prefix("reads")
            .is_some_and(|rest| rest.split_whitespace().any(|p| p == KEY))
    });
    field.or(annotated).cloned()
}

/// The deferred (or rollback/commit) action whose CustomActionData this setter fills: a
/// type-51 action or SetProperty whose property is that action's id.
fn deferred_target<'a>(setter: &CustomAction, all: &'a [CustomAction]) -> Option<&'a CustomAction> {
    if setter.type_bits & 0x3F != 51 {
        return None;
    }
    let property = setter.attribute("Property")?;
    all.iter()
        .find(|custom| custom.id.value == property.value && custom.execute.in_script())
}

fn report(
    action: &Action,
    number: i32,
    validate: i32,
    table: Table,
    reference: &Spanned<String>,
    deferred: Option<&CustomAction>,
) -> Diagnostic {
    let primary = action.placement_span().unwrap_or(reference.span);
    let message = format!(
        "`{}` reads MsiRestartManagerSessionKey at sequence {number}, after InstallValidate ({validate}) has cleared it",
        action.name
    );
    let help = match deferred {
        Some(deferred) => format!("schedule this CustomActionData setter Before=\"InstallValidate\"; the deferred action `{}` then receives the key through CustomActionData", deferred.id.value),
        None => "schedule it Before=\"InstallValidate\"; a deferred action must get the key through CustomActionData from an immediate setter placed before InstallValidate".to_string(),
    };
    let mut diagnostic = RESTART_MANAGER_KEY_TOO_LATE.diagnostic(primary, message);
    if let Some(deferred) = deferred {
        diagnostic = diagnostic.with_label(
            deferred.id.span,
            "the deferred action that receives the key as CustomActionData",
        );
    }
    diagnostic
        .with_label(primary, format!("this action runs at {number} in {table}"))
        .with_label(reference.span, "reads MsiRestartManagerSessionKey here")
        .with_note(format!(
            "InstallValidate clears MsiRestartManagerSessionKey, sequence {validate}"
        ))
        .with_help(help)
}
