//! The rule engine: rule metadata, the context rules read, and running them.
//!
//! A rule is one file: a [`declare_rule!`] carrying its code, name, default severity and
//! documentation (What it does / Why is this bad? / Example / References), then a `check`
//! function that reads the model and the resolved schedule and pushes diagnostics. Rules
//! never print and never read files. Input rules (0xx) have no check of their own: the stage
//! that reads the input reports them, and the rule carries their documentation.

pub mod conditions;
pub mod input;
pub mod lifetimes;
mod registry;
pub mod scheduling;

pub use registry::{all, find};

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::model::WixModel;
use crate::sequence::Schedule;
use crate::source::SourceDb;

/// What a rule may read.
pub struct Context<'a> {
    pub db: &'a SourceDb,
    pub model: &'a WixModel,
    pub schedule: &'a Schedule,
}

/// A rule's metadata and its check.
pub struct Rule {
    pub code: Code,
    pub severity: Severity,
    /// The doc comment: a summary line, then `## What it does`, `## Why is this bad?`,
    /// `## Example`, `## References`.
    pub docs: &'static str,
    pub check: Option<fn(&Context<'_>, &mut Vec<Diagnostic>)>,
}

impl Rule {
    /// The first line of the docs.
    pub fn summary(&self) -> &'static str {
        self.docs
            .lines()
            .map(str::trim)
            .find(|line| !line.is_empty())
            .unwrap_or_default()
    }

    /// A diagnostic of this rule at its default severity.
    pub fn diagnostic(
        &self,
        primary: crate::source::Span,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(self.code, self.severity, primary, message)
    }
}

/// Declares a rule: `declare_rule! { /// docs… pub NAME, "WXC101", "schedule-cycle", Error, check }`.
#[macro_export]
macro_rules! declare_rule {
    ($(#[doc = $doc:literal])* pub $name:ident, $code:literal, $slug:literal, $severity:ident, $check:expr) => {
        $(#[doc = $doc])*
        pub const $name: $crate::rules::Rule = $crate::rules::Rule {
            code: $crate::diagnostic::Code { code: $code, name: $slug },
            severity: $crate::diagnostic::Severity::$severity,
            docs: concat!($($doc, "\n"),*),
            check: $check,
        };
    };
}

/// A reference from the linked sections to a symbol of one of `kinds` that no input
/// defines: the link unit then depends on a WiX library, extension or other project, which
/// may define what a rule found missing, so such findings are only warnings.
pub(crate) fn reference_outside_inputs<'a>(
    context: &Context<'a>,
    kinds: &[&str],
) -> Option<&'a crate::model::Reference> {
    let model = context.model;
    let defined: std::collections::BTreeSet<_> = model
        .sections
        .iter()
        .flat_map(|section| section.definitions.iter())
        .collect();
    context
        .schedule
        .linked
        .sections
        .iter()
        .filter_map(|&index| model.sections.get(index))
        .flat_map(|section| section.references.iter())
        .find(|reference| {
            kinds.contains(&reference.symbol.kind.as_str()) && !defined.contains(&reference.symbol)
        })
}

/// Runs every rule that has a check.
pub fn run(context: &Context<'_>) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for rule in all() {
        if let Some(check) = rule.check {
            check(context, &mut diagnostics);
        }
    }
    diagnostics
}
