//! Where conditions are written, and turning what is written there into [`Condition`]s.
//!
//! Sequence rows carry their own condition (`ActionRow::condition`). Every other condition —
//! launch conditions, Feature level conditions, Component conditions, Publish and Control
//! conditions — is a [`ConditionSite`] of its section. WiX v4+ writes them as attributes
//! (`Launch/@Condition`, `Level/@Condition`, `Component/@Condition`, `Publish/@Condition`,
//! `Control/@EnableCondition`…); WiX v3 as inner text (`<Condition Message="…">…</Condition>`
//! under Product or Fragment, `<Condition Level="0">` under Feature, under Component and
//! Control, and `<Publish …>…</Publish>`). Inner text in a v4 file, which WiX rejects, is
//! kept as an [`InnerTextCondition`] for WXC403.

use super::{Dialect, Section, Spanned};
use crate::condition::Condition;
use crate::preprocess::ElementView;
use crate::source::Span;

/// What a condition decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConditionKind {
    /// Whether a sequence action runs (Custom, Show, standard actions, SetProperty,
    /// SetDirectory).
    Action,
    /// A LaunchCondition: the installation stops when it is false.
    Launch,
    /// A Feature's install level is changed when it is true.
    FeatureLevel,
    /// A Component is installed only when it is true.
    Component,
    /// A control event is published when it is true.
    Publish,
    /// A control is enabled, disabled, shown, hidden or made default when it is true.
    Control,
}

/// A condition outside the sequence tables.
#[derive(Clone, Debug)]
pub struct ConditionSite {
    pub kind: ConditionKind,
    pub condition: Condition,
    /// The name of the element that writes it, in its start tag.
    pub element: Span,
}

/// Inner text where WiX v4+ expects a condition attribute (WIX0400).
#[derive(Clone, Debug)]
pub struct InnerTextCondition {
    pub kind: ConditionKind,
    /// The trimmed text and where it is written.
    pub text: Spanned<String>,
    /// The name of the element holding the text, in its start tag.
    pub element: Span,
}

/// What the inner text of an element means.
pub(super) enum TextTarget {
    /// The condition of these rows of the current section.
    Rows(Vec<usize>),
    /// A condition of this kind, written by the element at `element`.
    Site { kind: ConditionKind, element: Span },
}

/// The v4 control attributes that hold conditions.
const CONTROL_CONDITIONS: [&str; 5] = [
    "DefaultCondition",
    "EnableCondition",
    "DisableCondition",
    "HideCondition",
    "ShowCondition",
];

/// The condition written in the attribute `name` of `view`.
pub(super) fn attribute_condition(view: &ElementView<'_>, name: &str) -> Option<Condition> {
    let attribute = view.attribute(name)?;
    Some(Condition::new(
        attribute.value.to_string(),
        attribute.value_span,
        view.raw(attribute.value_span),
    ))
}

/// Records the conditions `view` writes in attributes (v4+), and says what its inner text
/// means, for elements whose inner text is a condition (v3) or would have been one (v4).
pub(super) fn record(
    section: &mut Section,
    view: &ElementView<'_>,
    parent: &str,
    dialect: Dialect,
) -> Option<TextTarget> {
    let name = view.element.name();
    let element = view.element.name_span();
    let kind = match (name, parent) {
        ("Condition", "Product" | "Package" | "Fragment" | "Module") => ConditionKind::Launch,
        ("Condition", "Feature") => ConditionKind::FeatureLevel,
        ("Condition", "Component") => ConditionKind::Component,
        ("Condition", "Control") => ConditionKind::Control,
        ("Launch", _) => ConditionKind::Launch,
        ("Level", "Feature") => ConditionKind::FeatureLevel,
        ("Component", _) => ConditionKind::Component,
        ("Publish", _) => ConditionKind::Publish,
        ("Control", _) => ConditionKind::Control,
        _ => return None,
    };
    let attributes: &[&str] = match (dialect, name) {
        (Dialect::V3, _) | (_, "Condition") => &[],
        (Dialect::V4, "Control") => &CONTROL_CONDITIONS,
        (Dialect::V4, _) => &["Condition"],
    };
    for attribute in attributes {
        if let Some(condition) = attribute_condition(view, attribute) {
            section.conditions.push(ConditionSite {
                kind,
                condition,
                element,
            });
        }
    }
    let has_text_condition = matches!(name, "Condition" | "Publish");
    has_text_condition.then_some(TextTarget::Site { kind, element })
}

/// Inner text of an element whose text is (v3) or was (v4) a condition.
pub(super) fn inner_text(
    section: &mut Section,
    target: &TextTarget,
    dialect: Dialect,
    text: Spanned<&str>,
    raw: &str,
) {
    let trimmed = text.value.trim();
    if trimmed.is_empty() {
        return;
    }
    // The span and raw text without the whitespace around the condition.
    let leading = raw.len() - raw.trim_start().len();
    let raw = raw.trim();
    let start = text.span.start as usize + leading;
    let span = Span::new(text.span.file, start, start + raw.len());
    match dialect {
        Dialect::V3 => {
            let condition = Condition::new(trimmed.to_string(), span, raw);
            match target {
                TextTarget::Rows(rows) => {
                    for &row in rows {
                        if let Some(row) = section.rows.get_mut(row) {
                            // Still being built: the row is not shared yet.
                            std::sync::Arc::make_mut(row).condition = Some(condition.clone());
                        }
                    }
                }
                &TextTarget::Site { kind, element } => section.conditions.push(ConditionSite {
                    kind,
                    condition,
                    element,
                }),
            }
        }
        Dialect::V4 => {
            let (kind, element) = match target {
                TextTarget::Rows(rows) => (
                    ConditionKind::Action,
                    rows.first()
                        .and_then(|&row| section.rows.get(row))
                        .map_or(span, |row| row.element),
                ),
                &TextTarget::Site { kind, element } => (kind, element),
            };
            section.inner_text_conditions.push(InnerTextCondition {
                kind,
                text: Spanned::new(trimmed.to_string(), span),
                element,
            });
        }
    }
}

impl Section {
    /// Every condition this section writes, sequence rows first, each with what it decides.
    /// A SetProperty scheduled in both sequences writes one condition for two rows; it is
    /// yielded once.
    pub fn every_condition(&self) -> impl Iterator<Item = (ConditionKind, &Condition)> {
        let mut previous: Option<Span> = None;
        let rows = self
            .rows
            .iter()
            .filter_map(|row| row.condition.as_ref())
            .filter(move |condition| previous.replace(condition.span) != Some(condition.span))
            .map(|condition| (ConditionKind::Action, condition));
        let sites = self
            .conditions
            .iter()
            .map(|site| (site.kind, &site.condition));
        rows.chain(sites)
    }
}
