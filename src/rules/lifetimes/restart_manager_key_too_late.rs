//! WXC301 restart-manager-key-too-late: reading `MsiRestartManagerSessionKey` after
//! InstallValidate has cleared it.

use super::windows::Window;
use crate::diagnostic::Diagnostic;
use crate::model::{CustomAction, Table};
use crate::rules::{reads, Context};
use crate::sequence::Action;
use crate::source::Span;
use std::sync::Arc;

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
/// The util extension's custom action that joins the Restart Manager session
/// (`util:RestartResource`): `WixRegisterRestartResources` in v3 (also its DLL entry point in
/// every version), `Wix4RegisterRestartResources_X64` and its siblings in v4+.
const RESTART_RESOURCES: &str = "WixRegisterRestartResources";
const RESTART_RESOURCES_V4: &str = "Wix4RegisterRestartResources";

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let schedule = context.schedule;
    let window = Window::find(KEY);
    let clearer = window
        .and_then(|window| window.cleared_by)
        .unwrap_or("InstallValidate");
    for table in schedule.tables.iter().filter(|t| t.table.is_execute()) {
        let Some(validate) = table.find(clearer).and_then(|a| a.sequence) else {
            continue;
        };
        for action in &table.actions {
            let Some(number) = action.sequence.filter(|&number| number >= validate) else {
                continue;
            };
            let custom = schedule.custom_action(action);
            let Some(reference) = key_reference(context, action, custom) else {
                continue;
            };
            let deferred =
                custom.and_then(|custom| deferred_target(custom, &schedule.custom_actions));
            diagnostics.push(report(
                action,
                number,
                validate,
                table.table,
                reference,
                deferred,
            ));
        }
    }
}

/// Where the action needs the key: a formatted field or annotation that reads it, or the
/// action itself when it is the util extension's Restart Manager action.
fn key_reference(
    context: &Context<'_>,
    action: &Action,
    custom: Option<&CustomAction>,
) -> Option<Span> {
    let read = custom.and_then(|custom| {
        reads::of_custom_action(context, custom)
            .into_iter()
            .find(|read| read.property == KEY)
    });
    if let Some(read) = read {
        return Some(read.span);
    }
    let entry = custom.and_then(|custom| custom.attribute("DllEntry"));
    let joins_session = action.name.starts_with(RESTART_RESOURCES)
        || action.name.starts_with(RESTART_RESOURCES_V4)
        || entry.is_some_and(|entry| entry.value == RESTART_RESOURCES);
    let row = action.row.as_ref()?;
    joins_session.then_some(row.action.span)
}

/// The deferred (or rollback/commit) action whose CustomActionData this setter fills: a
/// type-51 action or SetProperty whose property is that action's id.
fn deferred_target<'a>(
    setter: &CustomAction,
    all: &'a [Arc<CustomAction>],
) -> Option<&'a CustomAction> {
    if setter.type_bits & 0x3F != 51 {
        return None;
    }
    let property = setter.attribute("Property")?;
    all.iter()
        .map(|custom| &**custom)
        .find(|custom| custom.id.value == property.value && custom.execute.in_script())
}

fn report(
    action: &Action,
    number: i32,
    validate: i32,
    table: Table,
    reference: Span,
    deferred: Option<&CustomAction>,
) -> Diagnostic {
    let primary = action.placement_span().unwrap_or(reference);
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
        .with_label(reference, "needs MsiRestartManagerSessionKey here")
        .with_note(format!(
            "InstallValidate clears MsiRestartManagerSessionKey, sequence {validate}"
        ))
        .with_help(help)
}
