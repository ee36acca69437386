//! WXC302 property-outside-window: reading a property before the action that sets it, or
//! after the one that clears it, as the availability table in [`super::windows`] says.

use super::windows::{Outside, Window};
use crate::diagnostic::Diagnostic;
use crate::rules::reads::PropertyRead;
use crate::rules::Context;
use crate::sequence::{Action, ResolvedTable};

crate::declare_rule! {
    /// An action reads a property outside the part of the sequence where it has a value.
    ///
    /// ## What it does
    /// Checks every property an action reads — in its condition, as `[Property]` in its
    /// formatted fields, or declared with a `<!-- wixcheck: reads Property -->` annotation —
    /// against the property availability
    /// table: SourceDir exists only after ResolveSource, ProductID after ValidateProductID,
    /// the costing properties (CostingComplete, OutOfDiskSpace, PrimaryVolume…) after
    /// CostFinalize, ReplacedInUseFiles after InstallExecute or InstallFinalize. The check
    /// uses the action's effective sequence number in each table it runs in.
    ///
    /// ## Why is this bad?
    /// Before the action that sets it, the property is empty, and the action silently works
    /// with an empty string. Nothing at build time notices.
    ///
    /// ## Example
    /// ```xml
    /// <CustomAction Id="CopyFromMedia" Directory="INSTALLFOLDER"
    ///               ExeCommand="xcopy &quot;[SourceDir]extras&quot; ." Execute="deferred" />
    /// <Custom Action="CopyFromMedia" After="InstallFiles" />
    /// ```
    /// Use instead:
    /// ```xml
    /// <ResolveSource After="CostInitialize" Condition="NOT Installed" />
    /// <Custom Action="CopyFromMedia" After="InstallFiles" />
    /// ```
    ///
    /// ## References
    /// - SourceDir: <https://learn.microsoft.com/windows/win32/msi/sourcedir>
    /// - ResolveSource action: <https://learn.microsoft.com/windows/win32/msi/resolvesource-action>
    /// - ProductID: <https://learn.microsoft.com/windows/win32/msi/productid>
    /// - CostingComplete: <https://learn.microsoft.com/windows/win32/msi/costingcomplete>
    /// - ReplacedInUseFiles: <https://learn.microsoft.com/windows/win32/msi/replacedinusefiles>
    pub PROPERTY_OUTSIDE_WINDOW, "WXC302", "property-outside-window", Warning, Some(check)
}

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let schedule = context.schedule;
    for table in &schedule.tables {
        for (action, reads) in table.actions.iter().zip(context.reads_in(table)) {
            let Some(number) = action.sequence else {
                continue;
            };
            for read in reads {
                let Some(window) = Window::find(&read.property) else {
                    continue;
                };
                if window.dedicated.is_some() {
                    continue;
                }
                if let Some(outside) = window.outside(table, number) {
                    diagnostics.push(report(table, action, number, read, window, outside));
                }
            }
        }
    }
}

fn report(
    table: &ResolvedTable,
    action: &Action,
    number: i32,
    read: &PropertyRead,
    window: &Window,
    outside: Outside<'_>,
) -> Diagnostic {
    let property = &read.property;
    let name = table.table;
    let setters = window.set_by.join(" or ");
    let (why, help) = match outside {
        Outside::NeverSet => (
            format!("nothing sets it there: {name} schedules no {setters}"),
            format!("schedule {setters} in {name} before this action, or read {property} where it is set"),
        ),
        Outside::BeforeSet { action: setter, number: set } => (
            format!("before {} ({set}) sets it", setter.name),
            format!("schedule this action after {}", setter.name),
        ),
        Outside::AfterCleared { action: clearer, number: cleared } => (
            format!("after {} ({cleared}) has cleared it", clearer.name),
            format!("schedule this action before {}", clearer.name),
        ),
    };
    let primary = action.placement_span().unwrap_or(read.span);
    PROPERTY_OUTSIDE_WINDOW
        .diagnostic(
            primary,
            format!(
                "`{}` reads {property} at sequence {number} in {name}, {why}",
                action.name
            ),
        )
        .with_label(primary, format!("this action runs at {number}"))
        .with_label(read.span, format!("reads {property} here"))
        .with_help(help)
        .with_note(format!("{property}: {}", window.reference))
}
