//! WXC208 setproperty-missing-in-sequence: a property set only in the UI sequence but read in
//! the execute sequence, or the other way round.

use super::Setters;
use crate::diagnostic::Diagnostic;
use crate::model::CustomAction;
use crate::rules::reads::PropertyRead;
use crate::rules::Context;
use crate::sequence::{Action, ResolvedTable, Schedule};
use std::collections::BTreeSet;

crate::declare_rule! {
    /// A property is set only in one sequence but read in the other.
    ///
    /// ## What it does
    /// For every property an action reads (in its condition, as `[Property]` in its
    /// formatted fields, or declared with a `wixcheck: reads` annotation), finds the `SetProperty` and type-51 actions that set
    /// it. When all of them are scheduled only in UI sequences and the reader runs in an
    /// execute sequence — or only in execute sequences and the reader runs in a UI sequence
    /// — and no `Property` element gives it a default value, the setter is reported.
    ///
    /// ## Why is this bad?
    /// The UI sequence runs only in full and reduced UI installs: in a silent install
    /// (`msiexec /qn`, or any deployment tool), a property set there is never set, and the
    /// execute sequence reads an empty string. The execute sequence runs after the UI
    /// sequence, so a UI action never sees what it sets. `SetProperty Sequence="ui"` and
    /// `Sequence="execute"` make this easy to get wrong.
    ///
    /// ## Example
    /// ```xml
    /// <SetProperty Id="CONFIGDIR" Value="[INSTALLFOLDER]conf" After="CostFinalize" Sequence="ui" />
    /// <CustomAction Id="WriteConfig" Directory="INSTALLFOLDER" ExeCommand="tool.exe &quot;[CONFIGDIR]&quot;" />
    /// <InstallExecuteSequence><Custom Action="WriteConfig" After="InstallFinalize" /></InstallExecuteSequence>
    /// ```
    /// Use instead:
    /// ```xml
    /// <SetProperty Id="CONFIGDIR" Value="[INSTALLFOLDER]conf" After="CostFinalize" />
    /// ```
    ///
    /// ## References
    /// - Using a sequence table: <https://learn.microsoft.com/windows/win32/msi/using-a-sequence-table>
    /// - Custom action type 51: <https://learn.microsoft.com/windows/win32/msi/custom-action-type-51>
    pub SETPROPERTY_MISSING_IN_SEQUENCE, "WXC208", "setproperty-missing-in-sequence", Warning, Some(check)
}

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let schedule = context.schedule;
    let setters = Setters::new(&schedule.custom_actions);
    let mut reported = BTreeSet::new();
    for table in &schedule.tables {
        for (action, reads) in table.actions.iter().zip(context.reads_in(table)) {
            for read in reads {
                let found = setters.of(&read.property);
                if found.is_empty() || has_default(context, &read.property) {
                    continue;
                }
                let Some(setter) = only_elsewhere(schedule, table, found) else {
                    continue;
                };
                if reported.insert((setter.id.value.clone(), table.table)) {
                    diagnostics.push(report(table, action, read, setter));
                }
            }
        }
    }
}

fn has_default(context: &Context<'_>, property: &str) -> bool {
    context.linked_sections().any(|section| {
        section
            .properties
            .definitions
            .iter()
            .any(|definition| definition.id.value == property && definition.value.is_some())
    })
}

/// A setter scheduled in some table, when none of them is scheduled in a table of the
/// reader's kind (UI or execute).
fn only_elsewhere<'a>(
    schedule: &Schedule,
    reader: &ResolvedTable,
    setters: &[&'a CustomAction],
) -> Option<&'a CustomAction> {
    let mut elsewhere = None;
    for &setter in setters {
        for table in &schedule.tables {
            if table.find(&setter.id.value).is_none() {
                continue;
            }
            if table.table.is_execute() == reader.table.is_execute() {
                return None;
            }
            elsewhere.get_or_insert(setter);
        }
    }
    elsewhere
}

fn report(
    table: &ResolvedTable,
    reader: &Action,
    read: &PropertyRead,
    setter: &CustomAction,
) -> Diagnostic {
    let property = &read.property;
    let span = setter
        .attribute("Sequence")
        .map_or(setter.id.span, |sequence| sequence.span);
    let (set_in, why) = if table.table.is_execute() {
        (
            "UI sequence",
            "the UI sequence does not run in silent installs, so the property is empty there",
        )
    } else {
        (
            "execute sequence",
            "the execute sequence runs after the UI sequence, so the UI never sees the value",
        )
    };
    SETPROPERTY_MISSING_IN_SEQUENCE
        .diagnostic(
            span,
            format!(
                "`{property}` is set only in the {set_in}, but `{}` reads it in {}",
                reader.name, table.table
            ),
        )
        .with_label(read.span, format!("reads {property} in {}", table.table))
        .with_note(why)
        .with_help(format!(
            "schedule `{}` in {} as well (SetProperty: remove Sequence, or use Sequence=\"both\"), or give {property} a default with a Property element",
            setter.id.value, table.table
        ))
}
