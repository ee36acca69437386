//! WXC101 schedule-cycle: Before/After links that loop back on themselves.

use super::{quoted, span_of, table_name, wix_note};
use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::sequence::Fact;

crate::declare_rule! {
    /// Actions are scheduled relative to each other in a loop.
    ///
    /// ## What it does
    /// Finds Before/After chains that come back to where they started, and reports every
    /// action in the loop (the first 20 by name and position for longer loops).
    ///
    /// ## Why is this bad?
    /// No action in a loop can be numbered. WiX v4+ fails with WIX0176; WiX v3 reports only
    /// two-action loops and silently leaves the actions of longer loops out of the table, so
    /// the package builds and the actions never run.
    ///
    /// ## Example
    /// ```xml
    /// <Custom Action="A" After="B" />
    /// <Custom Action="B" After="A" />
    /// ```
    /// Use instead:
    /// ```xml
    /// <Custom Action="A" After="InstallFiles" />
    /// <Custom Action="B" After="A" />
    /// ```
    ///
    /// ## References
    /// - WiX error WIX0176 ActionCircularDependency (`SequenceActionsCommand.cs`)
    /// - WiX v3 `Linker.SequenceActionRow`
    pub SCHEDULE_CYCLE, "WXC101", "schedule-cycle", Error, Some(check)
}

/// How many members of a cycle are named and labelled; a longer loop (generated sources can
/// make one of thousands) is summarised, so one finding stays readable and cheap to render.
const MAX_SHOWN: usize = 20;

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let schedule = context.schedule;
    for fact in &schedule.facts {
        let Fact::Cycle {
            table,
            members,
            wix_pair,
        } = fact
        else {
            continue;
        };
        // An action placed relative to itself is WXC105's finding, not a cycle.
        if members.len() < 2 {
            continue;
        }
        let Some(first) = members.first() else {
            continue;
        };
        let shown = members.len().min(MAX_SHOWN);
        let mut names: Vec<String> = members[..shown].iter().map(|m| quoted(&m.name)).collect();
        if shown < members.len() {
            names.push(format!("and {} more", members.len() - shown));
        }
        let table = table_name(*table, schedule);
        let message = format!(
            "{} are scheduled relative to each other in a cycle in {table}",
            names.join(", ")
        );
        let mut diagnostic = SCHEDULE_CYCLE.diagnostic(span_of(first, schedule, context), message);
        for (position, member) in members.iter().enumerate().take(shown) {
            let target = &members[(position + 1) % members.len()];
            let Some(span) = member.span() else {
                continue;
            };
            let side = member.row.as_ref().map_or("relative to", |row| {
                if row.after.is_some() {
                    "after"
                } else {
                    "before"
                }
            });
            diagnostic = diagnostic.with_label(
                span,
                format!("`{}` is placed {side} `{}`", member.name, target.name),
            );
        }
        diagnostic = diagnostic
            .with_help("anchor one of these actions to an action outside the cycle (a standard action such as InstallFiles, or an action with a Sequence number)")
            .with_note("none of these actions gets a sequence number");
        match wix_pair {
            Some((action, other)) => {
                diagnostic = diagnostic.with_note(wix_note(176, format!(
                    "The {table} table contains an action '{action}' that is scheduled to come before or after action '{other}', which is also scheduled to come before or after action '{action}'. Please remove this circular dependency by changing the Before or After attribute for one of the actions."
                )));
            }
            None => {
                diagnostic = diagnostic.with_note("WiX does not report this cycle (WiX v3 detects only two-action cycles, and WiX stops at the first cycle): the actions are silently left out of the table");
            }
        }
        diagnostics.push(diagnostic);
    }
}
