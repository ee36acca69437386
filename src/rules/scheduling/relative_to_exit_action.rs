//! WXC108 relative-to-exit-action: Before/After an OnExit action.

use super::{span_of, table_name, wix_note};
use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::sequence::Fact;

crate::declare_rule! {
    /// An action is scheduled before or after an OnExit action.
    ///
    /// ## What it does
    /// Reports actions whose Before/After chain leads to an action scheduled with `OnExit`
    /// (negative sequence numbers: success -1, cancel -2, error -3, suspend -4).
    ///
    /// ## Why is this bad?
    /// Exit actions run only when the installer terminates; nothing can run next to them.
    /// WiX fails with WIX0177.
    ///
    /// ## Example
    /// ```xml
    /// <Show Dialog="ExitDlg" OnExit="success" />
    /// <Custom Action="A" After="ExitDlg" />
    /// ```
    /// Use instead: schedule A relative to a normal action.
    ///
    /// ## References
    /// - WiX error WIX0177 ActionScheduledRelativeToTerminationAction
    pub RELATIVE_TO_EXIT_ACTION, "WXC108", "relative-to-exit-action", Error, Some(check)
}

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let schedule = context.schedule;
    for fact in &schedule.facts {
        let Fact::RelativeToExit {
            table,
            action,
            exit_action,
        } = fact
        else {
            continue;
        };
        let table = table_name(*table, schedule);
        let message = format!(
            "`{}` is scheduled relative to the exit action `{}` in {table}",
            action.name, exit_action.name
        );
        let mut diagnostic =
            RELATIVE_TO_EXIT_ACTION.diagnostic(span_of(action, schedule, context), message);
        if let Some(span) = exit_action.span() {
            diagnostic = diagnostic.with_label(span, "runs only when the installer exits");
        }
        diagnostics.push(diagnostic.with_help("schedule it relative to an action of the normal sequence").with_note(wix_note(177, format!(
            "The {table} table contains an action '{}' that is scheduled to come before or after action '{}', which is a special action which only occurs when the installer terminates. These special actions can be identified by their negative sequence numbers. Please schedule the action '{}' to come before or after a different action.",
            action.name, exit_action.name, action.name
        ))));
    }
}
