//! WXC104 action-scheduled-twice: one action with two rows in one table.

use super::{span_of, table_name};
use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::sequence::Fact;

crate::declare_rule! {
    /// The same action is scheduled twice in one sequence table.
    ///
    /// ## What it does
    /// Reports a second `<Custom>`, `<Show>` or standard-action element for an action that
    /// already has a row in the same table, unless one of them is overridable (v3/v4.0) or
    /// the second is an `override` of a virtual one (v5+).
    ///
    /// ## Why is this bad?
    /// WiX fails (WIX0091 in v5+, WIX0170 in v3 and v4.0; WIX0168 for two overridable rows).
    ///
    /// ## Example
    /// ```xml
    /// <Custom Action="A" After="InstallFiles" />
    /// <Custom Action="A" Before="InstallFinalize" />
    /// ```
    /// Use instead: keep one row, or mark the default `Overridable="yes"` and write the
    /// replacement as `Action="override A"` (v5+).
    ///
    /// ## References
    /// - WiX errors WIX0091 DuplicateSymbol, WIX0168, WIX0170 ActionCollision
    pub ACTION_SCHEDULED_TWICE, "WXC104", "action-scheduled-twice", Error, Some(check)
}

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let schedule = context.schedule;
    for fact in &schedule.facts {
        let Fact::ScheduledTwice {
            table,
            first,
            second,
        } = fact
        else {
            continue;
        };
        let message = format!(
            "`{}` is scheduled twice in {}",
            second.name,
            table_name(*table, schedule)
        );
        let mut diagnostic =
            ACTION_SCHEDULED_TWICE.diagnostic(span_of(second, schedule, context), message);
        if let Some(span) = first.span() {
            diagnostic = diagnostic.with_label(span, "first scheduled here");
        }
        diagnostics.push(diagnostic.with_help(
            "remove one of the rows; to let one replace the other, mark the first Overridable=\"yes\" and prefix the replacement's action with `override ` (WiX v5+)",
        ));
    }
}
