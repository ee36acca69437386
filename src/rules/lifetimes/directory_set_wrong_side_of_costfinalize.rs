//! WXC304 directory-set-wrong-side-of-costfinalize: a directory changed on the side of
//! CostFinalize where the change does not work (ICE12).

use crate::diagnostic::Diagnostic;
use crate::rules::context::property_set_by;
use crate::rules::Context;

crate::declare_rule! {
    /// A directory is set on the wrong side of CostFinalize.
    ///
    /// ## What it does
    /// Reports type-35 custom actions (`CustomAction Directory="…" Value="…"`, what WiX v4+
    /// makes of `SetDirectory`) that run before CostFinalize, and type-51 actions
    /// (`CustomAction Property="…"`, `SetProperty`) whose property is a Directory Id and that
    /// run after CostFinalize — by their effective number in each sequence.
    ///
    /// ## Why is this bad?
    /// CostFinalize resolves the Directory table into paths. A type-35 action before it has
    /// no resolved directory to set; a property set after it no longer moves the directory,
    /// so files go where they would have gone anyway. ICE12 reports both, after the build.
    ///
    /// ## Example
    /// ```xml
    /// <CustomAction Id="SetAppDir" Property="APPDIR" Value="[DATAROOT]App" />
    /// <Custom Action="SetAppDir" After="CostFinalize" />
    /// ```
    /// Use instead:
    /// ```xml
    /// <SetDirectory Id="APPDIR" Value="[DATAROOT]App" />
    /// ```
    ///
    /// ## References
    /// - ICE12: <https://learn.microsoft.com/windows/win32/msi/ice12>
    /// - Changing the target location for a directory: <https://learn.microsoft.com/windows/win32/msi/changing-the-target-location-for-a-directory>
    pub DIRECTORY_SET_WRONG_SIDE_OF_COSTFINALIZE, "WXC304", "directory-set-wrong-side-of-costfinalize", Error, Some(check)
}

/// MSI custom action type 35: set a directory from formatted text.
const SET_DIRECTORY_TYPE: u32 = 35;

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let schedule = context.schedule;
    for table in &schedule.tables {
        let Some(costed) = table.find("CostFinalize").and_then(|a| a.sequence) else {
            continue;
        };
        for (action, number, custom) in schedule.custom_actions_in(table) {
            let sets_directory = custom.type_bits & 0x3F == SET_DIRECTORY_TYPE;
            let (problem, help) = if sets_directory && number < costed {
                (
                    format!("`{}` sets a directory at {number}, before CostFinalize ({costed}) has resolved the directories", action.name),
                    "schedule it After=\"CostFinalize\" (SetDirectory does this by default)",
                )
            } else if let Some(directory) = property_set_by(custom)
                .filter(|property| number > costed && context.defines("Directory", property))
            {
                (
                    format!("`{}` sets directory property `{directory}` at {number}, after CostFinalize ({costed}) has already resolved it", action.name),
                    "schedule it Before=\"CostFinalize\", or use <SetDirectory>, which sets the directory after costing the right way",
                )
            } else {
                continue;
            };
            let primary = action.placement_span().unwrap_or(custom.id.span);
            diagnostics.push(
                DIRECTORY_SET_WRONG_SIDE_OF_COSTFINALIZE
                    .diagnostic(primary, problem)
                    .with_label(primary, format!("this action runs at {number} in {}", table.table))
                    .with_note(format!("CostFinalize resolves the Directory table at {costed}; ICE12 reports this after the build"))
                    .with_help(help),
            );
        }
    }
}
