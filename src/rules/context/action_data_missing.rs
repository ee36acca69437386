//! WXC203 action-data-missing: a deferred action whose code reads CustomActionData, with
//! nothing that sets it.

use super::{Setters, EXEC_ENTRIES};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::CustomAction;
use crate::rules::Context;

crate::declare_rule! {
    /// A deferred DLL or script custom action has no CustomActionData setter.
    ///
    /// ## What it does
    /// Finds deferred, rollback and commit actions whose code reads its data from the session
    /// — DLL actions, script actions, and WiX's quiet-exec actions — scheduled in an execute
    /// sequence, with no type-51 action or `SetProperty` that sets a property named exactly
    /// like the action, and no `Property` element of that name. Inline scripts that never
    /// mention CustomActionData are left alone; EXE actions are too, because their command
    /// line is formatted into the script. WiX's exec actions and scripts that read
    /// CustomActionData certainly need a setter (warning); other DLL actions may not, or may
    /// get one from another action's code, so for them the finding is info.
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
            if !custom.execute.in_script() || !reads_session_data(custom) {
                continue;
            }
            let id = custom.id.value.as_str();
            if !setters.of(id).is_empty() || context.defines("Property", id) {
                continue;
            }
            let entry = custom.attribute("DllEntry").map(|e| e.value.as_str());
            let (what, certain) = match entry {
                Some(entry) if EXEC_ENTRIES.contains(&entry) => (
                    format!("{entry} reads its command line from CustomActionData"),
                    true,
                ),
                _ if !custom.script.is_empty() => {
                    ("its script reads CustomActionData".to_string(), true)
                }
                _ => ("its code can read only CustomActionData".to_string(), false),
            };
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
            if !certain {
                diagnostic.severity = Severity::Info;
                diagnostic = diagnostic.with_note(
                    "info: a DLL action may need no data, or get it from another action's code (MsiSetProperty); declare such a setter with a SetProperty, or suppress this finding",
                );
            }
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

/// DLL and script actions read data from the session; EXE actions get theirs on the command
/// line. An inline script that never mentions CustomActionData does not need it.
fn reads_session_data(custom: &CustomAction) -> bool {
    const DLL: u32 = 1;
    const JSCRIPT: u32 = 5;
    const VBSCRIPT: u32 = 6;
    let reads = matches!(custom.type_bits & 0x07, DLL | JSCRIPT | VBSCRIPT);
    let script_ignores_data = !custom.script.is_empty()
        && !custom
            .script
            .iter()
            .any(|run| run.value.contains("CustomActionData"));
    reads && !script_ignores_data
}
