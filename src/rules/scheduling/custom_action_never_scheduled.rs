//! WXC109 custom-action-never-scheduled: a custom action that no sequence and no dialog runs.

use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::sequence::Output;
use rustc_hash::FxHashSet;

crate::declare_rule! {
    /// A custom action is defined but never scheduled.
    ///
    /// ## What it does
    /// Reports custom actions of the package (including those `SetProperty` and
    /// `SetDirectory` make) that no sequence table schedules and no dialog runs with
    /// `Publish Event="DoAction"`. Libraries of fragments without a package are skipped:
    /// their actions are scheduled by whoever links them.
    ///
    /// ## Why is this bad?
    /// An action that nothing runs is usually a forgotten `Custom` element, or the
    /// CustomActionData setter of a deferred action that was renamed. It is only info,
    /// because another custom action may still run it through `MsiDoAction`.
    ///
    /// ## Example
    /// ```xml
    /// <CustomAction Id="ConfigureApp" BinaryRef="Ca" DllEntry="Configure" Execute="deferred" />
    /// ```
    /// Use instead:
    /// ```xml
    /// <CustomAction Id="ConfigureApp" BinaryRef="Ca" DllEntry="Configure" Execute="deferred" />
    /// <InstallExecuteSequence>
    ///   <Custom Action="ConfigureApp" After="InstallFiles" Condition="NOT REMOVE" />
    /// </InstallExecuteSequence>
    /// ```
    ///
    /// ## References
    /// - CustomAction table: <https://learn.microsoft.com/windows/win32/msi/customaction-table>
    pub CUSTOM_ACTION_NEVER_SCHEDULED, "WXC109", "custom-action-never-scheduled", Info, Some(check)
}

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let schedule = context.schedule;
    if schedule.linked.output == Output::Library {
        return;
    }
    let actions = schedule.tables.iter().flat_map(|table| &table.actions);
    let mut scheduled = FxHashSet::default();
    scheduled.reserve(
        schedule
            .tables
            .iter()
            .map(|table| table.actions.len())
            .sum(),
    );
    scheduled.extend(actions.map(|action| action.name.as_str()));
    let run_by_dialogs: FxHashSet<&str> = context
        .linked_sections()
        .flat_map(|section| section.properties.do_actions.iter())
        .map(|called| called.value.as_str())
        .collect();
    for custom in &schedule.custom_actions {
        let id = custom.id.value.as_str();
        if scheduled.contains(id) || run_by_dialogs.contains(id) {
            continue;
        }
        diagnostics.push(
            CUSTOM_ACTION_NEVER_SCHEDULED
                .diagnostic(custom.id.span, format!("custom action `{id}` is never scheduled"))
                .with_help(format!(
                    "schedule it with <Custom Action=\"{id}\" After=\"…\" /> in a sequence, or remove it if nothing runs it"
                )),
        );
    }
}
