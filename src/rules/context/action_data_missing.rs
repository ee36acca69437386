//! WXC203 action-data-missing: a deferred action whose code reads CustomActionData, with
//! nothing that sets it.

use super::{Setters, EXEC_ENTRIES};
use crate::diagnostic::Diagnostic;
use crate::model::CustomAction;
use crate::rules::{reads, Context};

crate::declare_rule! {
    /// A deferred custom action that reads CustomActionData has no setter for it.
    ///
    /// ## What it does
    /// Finds deferred, rollback and commit actions scheduled in an execute sequence that
    /// read CustomActionData — WiX's quiet-exec actions (`WixQuietExec`, `CAQuietExec`…),
    /// inline scripts that mention CustomActionData, and DLL actions declared with
    /// `<!-- wixcheck: reads CustomActionData -->` — with no type-51 action or `SetProperty`
    /// that sets a property named exactly like the action, and no `Property` element of that
    /// name. Other DLL actions are left alone: many need no data (WiX's own
    /// `FailWhenDeferred`), and some get it from another action's code through
    /// `MsiSetProperty`, which wixcheck cannot see.
    ///
    /// ## Why is this bad?
    /// A deferred action can read only CustomActionData, ProductCode and UserSID. Windows
    /// Installer fills CustomActionData from the property with the action's name when it
    /// writes the action to the script. Without a setter the action gets an empty string;
    /// WiX's quiet-exec action then fails with "failed to get command line data".
    ///
    /// ## Example
    /// ```xml
    /// <CustomAction Id="RegisterAddin" BinaryRef="Ca" DllEntry="RegisterAddin" Execute="deferred" />
    /// <Custom Action="RegisterAddin" After="InstallFiles" />
    /// ```
    /// Use instead:
    /// ```xml
    /// <SetProperty Id="RegisterAddin" Value="DIR=[INSTALLFOLDER]" Before="RegisterAddin" Sequence="execute" />
    /// <Custom Action="RegisterAddin" After="InstallFiles" />
    /// ```
    ///
    /// ## References
    /// - Obtaining context information for deferred execution custom actions: <https://learn.microsoft.com/windows/win32/msi/obtaining-context-information-for-deferred-execution-custom-actions>
    /// - WiX quiet execution custom action: <https://docs.firegiant.com/wix3/customactions/qtexec/>
    pub ACTION_DATA_MISSING, "WXC203", "action-data-missing", Warning, Some(check)
}

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let schedule = context.schedule;
    let all = &schedule.custom_actions;
    let setters = Setters::new(all);
    for table in schedule.tables.iter().filter(|t| t.table.is_execute()) {
        for action in &table.actions {
            let Some(custom) = schedule.custom_action(action) else {
                continue;
            };
            let Some(what) = custom
                .execute
                .in_script()
                .then(|| reads_data(custom))
                .flatten()
            else {
                continue;
            };
            let id = custom.id.value.as_str();
            if !setters.of(id).is_empty() || context.defines("Property", id) {
                continue;
            }
            let primary = action.placement_span().unwrap_or(custom.id.span);
            let mut diagnostic = ACTION_DATA_MISSING
                .diagnostic(
                    primary,
                    format!(
                        "{} action `{id}` has no CustomActionData setter; {what}",
                        custom.execute.as_str()
                    ),
                )
                .with_label(custom.id.span, "no property is set with this name");
            if let Some(near) = setters.differing_by_case(id) {
                diagnostic = diagnostic.with_label(
                    near.id.span,
                    "this sets a property whose name differs only by case; property names are case-sensitive",
                );
            }
            diagnostics.push(diagnostic.with_help(format!(
                "add <SetProperty Id=\"{id}\" Value=\"…\" Before=\"{id}\" Sequence=\"execute\" /> with the data the action needs"
            )));
        }
    }
}

/// Why `custom` reads CustomActionData, if it does as far as the sources show.
fn reads_data(custom: &CustomAction) -> Option<String> {
    const DATA: &str = "CustomActionData";
    if let Some(entry) = custom
        .attribute("DllEntry")
        .filter(|entry| EXEC_ENTRIES.contains(&entry.value.as_str()))
    {
        return Some(format!(
            "{} reads its command line from {DATA}",
            entry.value
        ));
    }
    if custom.script.iter().any(|run| run.value.contains(DATA)) {
        return Some(format!("its script reads {DATA}"));
    }
    let declared = custom
        .annotations
        .iter()
        .any(|note| reads::declared_reads(&note.value).any(|name| name == DATA));
    declared.then(|| format!("it is declared to read {DATA}"))
}
