//! WXC107 duplicate-sequence-number: two actions share a number.

use super::{span_of, table_name};
use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::sequence::Fact;

crate::declare_rule! {
    /// Two actions in one table have the same sequence number.
    ///
    /// ## What it does
    /// Reports equal numbers: two absolute `Sequence` values (WiX warns, WIX1050), and the
    /// collision WiX misses, where a relative action lands on a number another block or
    /// action already uses (only ICE82 notices, after the build).
    ///
    /// ## Why is this bad?
    /// Windows Installer runs actions with equal numbers in an undefined order.
    ///
    /// ## Example
    /// ```xml
    /// <Custom Action="A" Sequence="1400" />   <!-- InstallValidate is 1400 -->
    /// ```
    /// Use instead:
    /// ```xml
    /// <Custom Action="A" Before="InstallValidate" />
    /// ```
    ///
    /// ## References
    /// - WiX warning WIX1050 ActionSequenceCollision
    /// - ICE82: <https://learn.microsoft.com/windows/win32/msi/ice82>
    pub DUPLICATE_SEQUENCE_NUMBER, "WXC107", "duplicate-sequence-number", Warning, Some(check)
}

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let schedule = context.schedule;
    for fact in &schedule.facts {
        let Fact::DuplicateNumber {
            table,
            number,
            first,
            second,
            reported_by_wix,
        } = fact
        else {
            continue;
        };
        let message = format!(
            "`{}` and `{}` both have sequence number {number} in {}",
            first.name,
            second.name,
            table_name(*table, schedule)
        );
        // Report at an authored action: a built-in standard action has no span of its own.
        let (reported, other) = if second.span().is_some() {
            (second, first)
        } else {
            (first, second)
        };
        let mut diagnostic =
            DUPLICATE_SEQUENCE_NUMBER.diagnostic(span_of(reported, schedule, context), message);
        let other_text = format!("`{}` is also at {number}", other.name);
        diagnostic = match other.span() {
            Some(span) => diagnostic.with_label(span, other_text),
            None => diagnostic.with_note(other_text),
        };
        let note = if *reported_by_wix {
            "WiX warns about this collision (WIX1050)"
        } else {
            "WiX does not report this collision; only ICE82 finds it after the build"
        };
        diagnostics.push(
            diagnostic
                .with_help("give one of the actions another number, or place it with Before/After")
                .with_note(note),
        );
    }
}
