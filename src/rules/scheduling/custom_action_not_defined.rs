//! WXC103 custom-action-not-defined: a `Custom` element names an action that no input
//! defines.

use super::{nearest_name, quoted, wix_note};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{extension_actions, standard_actions, ActionKind};
use crate::rules::Context;
use crate::sequence::Output;

crate::declare_rule! {
    /// A `Custom` element schedules an action that is not defined.
    ///
    /// ## What it does
    /// Reports `Custom/@Action` values that name no `CustomAction`, `SetProperty` or
    /// `SetDirectory` in the inputs, no standard action and no dialog, with the nearest
    /// defined name as a suggestion. Actions that a WiX extension library defines
    /// (`Wix4QuietExec_X64`, `WixCloseApplications`, …), or any action when the inputs use
    /// a library or extension they do not contain, or are fragments without a package, are
    /// reported as info: the definition may be there.
    ///
    /// ## Why is this bad?
    /// WiX fails to link (unresolved reference to the custom action), and ICE27 calls it an
    /// unknown action. Usually it is a typo, or a fragment that was left out.
    ///
    /// ## Example
    /// ```xml
    /// <CustomAction Id="SetInstallDir" Property="INSTALLDIR" Value="[ProgramFilesFolder]App" />
    /// <Custom Action="SetInstalDir" Before="CostFinalize" />
    /// ```
    /// Use instead:
    /// ```xml
    /// <Custom Action="SetInstallDir" Before="CostFinalize" />
    /// ```
    ///
    /// ## References
    /// - ICE27: <https://learn.microsoft.com/windows/win32/msi/ice27>
    /// - WiX error WIX0094 UnresolvedReference
    pub CUSTOM_ACTION_NOT_DEFINED, "WXC103", "custom-action-not-defined", Error, Some(check)
}

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let schedule = context.schedule;
    // Every undefined action is itself an undefined `CustomAction` reference: only the other
    // kinds say that a library is missing (asked only for a finding: it reads every symbol).
    let outside = || context.reference_outside_inputs(&["UI", "Dialog", "Property", "Extension"]);
    for table in &schedule.tables {
        for action in &table.actions {
            if action.kind != ActionKind::Custom || action.custom_action.is_some() {
                continue;
            }
            let Some(row) = &action.row else {
                continue;
            };
            let name = &row.action.value;
            if standard_actions::is_standard(name) || context.defines("Dialog", name) {
                continue;
            }
            let from_extension = extension_actions::is_extension_action(name);
            let mut diagnostic = CUSTOM_ACTION_NOT_DEFINED
                .diagnostic(
                    row.action.span,
                    format!(
                        "custom action {} is not defined in the inputs",
                        quoted(name)
                    ),
                )
                .with_note(wix_note(
                    94,
                    format!("Unresolved reference to symbol 'CustomAction:{name}'."),
                ));
            if from_extension {
                diagnostic.severity = Severity::Info;
                diagnostic = diagnostic
                    .with_note(format!("{} is defined by a WiX extension library; pass the extension's sources to wixcheck to check it", quoted(name)));
            } else if schedule.linked.output == Output::Library {
                diagnostic.severity = Severity::Info;
                diagnostic = diagnostic.with_note(
                    "the inputs are fragments without a package; the package that links them may define it",
                );
            } else if let Some(reference) = outside() {
                diagnostic.severity = Severity::Info;
                diagnostic = diagnostic.with_label(
                    reference.span,
                    "the inputs use a library or extension they do not contain, which may define it",
                );
            }
            let defined = schedule
                .custom_actions
                .iter()
                .map(|custom| custom.id.value.as_str());
            let help = match nearest_name(name, defined) {
                Some(near) => format!("did you mean {}?", quoted(near)),
                None => format!("define it with <CustomAction Id=\"{name}\" …/>, or add the file that defines it to the inputs"),
            };
            diagnostics.push(diagnostic.with_help(help));
        }
    }
}
