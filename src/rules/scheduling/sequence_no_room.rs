//! WXC106 sequence-no-room: a Before/After block does not fit between two numbers.

use super::{span_of, table_name, wix_note};
use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::sequence::Fact;

crate::declare_rule! {
    /// Relative actions do not fit between the absolute numbers around their anchor.
    ///
    /// ## What it does
    /// Reports actions whose Before/After chain needs more numbers than the gap between the
    /// anchor and its neighbouring absolutely numbered action leaves.
    ///
    /// Once the actions placed before (or after) one absolutely numbered action run out of
    /// numbers, every later one of them does too. WiX reports WIX0179 for each of them;
    /// wixcheck reports the block once, on the first action that does not fit, and says how
    /// many more do not fit and which is the last (a generated chain can leave tens of
    /// thousands without a number, and as many identical errors help nobody).
    ///
    /// ## Why is this bad?
    /// WiX fails with WIX0179; the actions would otherwise share numbers and run in an
    /// undefined order.
    ///
    /// ## Example
    /// ```xml
    /// <Custom Action="X" Sequence="100" />
    /// <Custom Action="Y" Sequence="101" />
    /// <Custom Action="A" After="X" />
    /// ```
    /// Use instead: leave a gap (`Sequence="110"` for Y), or anchor A elsewhere.
    ///
    /// ## References
    /// - WiX error WIX0179 NoUniqueActionSequenceNumber
    pub SEQUENCE_NO_ROOM, "WXC106", "sequence-no-room", Error, Some(check)
}

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let schedule = context.schedule;
    for fact in &schedule.facts {
        let Fact::NoRoom {
            table,
            action,
            more,
            last,
            absolute,
            neighbour,
        } = fact
        else {
            continue;
        };
        let table = table_name(*table, schedule);
        let number = absolute.sequence.unwrap_or_default();
        let others = match more {
            0 => String::new(),
            1 => " and 1 more action".to_string(),
            more => format!(" and {more} more actions"),
        };
        let message = format!(
            "no sequence number is free for `{}`{others} next to `{}` ({number}) in {table}",
            action.name, absolute.name
        );
        let mut diagnostic =
            SEQUENCE_NO_ROOM.diagnostic(span_of(action, schedule, context), message);
        if let Some(last) = last {
            let text = format!("`{}`, the last action that does not fit", last.name);
            match last.span() {
                Some(span) => diagnostic = diagnostic.with_label(span, text),
                None => diagnostic = diagnostic.with_note(text),
            }
            diagnostic = diagnostic.with_note(format!(
                "WiX reports WIX0179 for each of the {} actions; they are reported here once",
                more + 1
            ));
        }
        if let Some(span) = absolute.span() {
            diagnostic = diagnostic.with_label(span, format!("`{}` is at {number}", absolute.name));
        }
        if let Some(neighbour) = neighbour {
            let at = neighbour.sequence.unwrap_or_default();
            let text = format!("`{}` is at {at}, leaving no room", neighbour.name);
            if let Some(span) = neighbour.span() {
                diagnostic = diagnostic.with_label(span, text);
            } else {
                diagnostic = diagnostic.with_note(text);
            }
        }
        diagnostics.push(diagnostic.with_help("anchor the action elsewhere, or move the absolutely numbered neighbour to leave a gap").with_note(wix_note(179, format!(
            "The {table} table contains an action '{}' which cannot have a unique sequence number because it is scheduled before or after action '{}'. There is not enough room before or after this action to assign a unique sequence number. Please schedule one of the actions differently so that it will be in a position with more sequence numbers available. Please note that sequence numbers must be an integer in the range 1 - 32767 (inclusive).",
            action.name, absolute.name
        ))));
    }
}
