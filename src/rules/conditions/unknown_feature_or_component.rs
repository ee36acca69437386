//! WXC404 unknown-feature-or-component: `&F`/`!F` naming no Feature, `$C`/`?C` naming no
//! Component.

use crate::condition::Value;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::scheduling::nearest_name;
use crate::rules::Context;
use crate::sequence::Output;
use std::cell::OnceCell;
use std::collections::BTreeSet;

crate::declare_rule! {
    /// A condition names a feature or component that does not exist.
    ///
    /// ## What it does
    /// Checks every `&Feature` and `!Feature` in the conditions of the linked sections against
    /// the Feature ids of the inputs, and every `$Component` and `?Component` against the
    /// Component ids (and, since WiX v4+ names a Component without Id after its key file,
    /// the File ids), and suggests a near name. When the inputs reference features or
    /// components they do not define (a wixlib or another project), or are fragments only,
    /// the finding is a warning: the name may be defined there.
    ///
    /// ## Why is this bad?
    /// Windows Installer evaluates the state of an unknown feature or component as empty, so
    /// `&MainFeature=3` is simply false and the action never runs; ICE79 reports it only
    /// after the build, on Windows.
    ///
    /// ## Example
    /// ```xml
    /// <Feature Id="Main" Level="1" />
    /// <Custom Action="RegisterPlugin" After="InstallFiles" Condition="&amp;MainFeature=3" />
    /// ```
    /// Use instead:
    /// ```xml
    /// <Custom Action="RegisterPlugin" After="InstallFiles" Condition="&amp;Main=3" />
    /// ```
    ///
    /// ## References
    /// - ICE79: <https://learn.microsoft.com/windows/win32/msi/ice79>
    /// - Conditional statement syntax (access prefixes): <https://learn.microsoft.com/windows/win32/msi/conditional-statement-syntax>
    pub UNKNOWN_FEATURE_OR_COMPONENT, "WXC404", "unknown-feature-or-component", Error, Some(check)
}

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let model = context.model;
    let defined = |kinds: &[&str]| -> BTreeSet<&str> {
        model
            .sections
            .iter()
            .flat_map(|section| section.definitions.iter())
            .filter(|symbol| kinds.contains(&&*symbol.kind))
            .map(|symbol| &*symbol.id)
            .collect()
    };
    // Built when a condition first names a feature or component: most conditions do not,
    // and a large package defines hundreds of thousands of components and files.
    let features = OnceCell::new();
    let components = OnceCell::new();
    // Features and components the inputs reference but do not define come from elsewhere.
    let outside = OnceCell::new();
    let library = context.schedule.linked.output == Output::Library;
    for &index in &context.schedule.linked.sections {
        let Some(section) = model.sections.get(index) else {
            continue;
        };
        for (_, condition) in section.every_condition() {
            for value in condition.values() {
                let (what, known) = if value.kind.names_feature() {
                    ("feature", features.get_or_init(|| defined(&["Feature"])))
                } else if value.kind.names_component() {
                    let kinds = ["Component", "File"];
                    ("component", components.get_or_init(|| defined(&kinds)))
                } else {
                    continue;
                };
                if known.contains(value.text.as_str()) {
                    continue;
                }
                let mut diagnostic = report(value, what, known);
                let outside = outside.get_or_init(|| {
                    let kinds = ["Feature", "FeatureGroup", "Component", "ComponentGroup"];
                    context.reference_outside_inputs(&kinds)
                });
                if let Some(reference) = outside {
                    diagnostic.severity = Severity::Warning;
                    diagnostic = diagnostic.with_label(
                        reference.span,
                        format!(
                            "`{}` is not defined in these files; `{}` may be defined with it",
                            reference.symbol.id, value.text
                        ),
                    );
                } else if library {
                    diagnostic.severity = Severity::Warning;
                    diagnostic = diagnostic.with_note(format!(
                        "these files are fragments only; the package that links them may define `{}`",
                        value.text
                    ));
                }
                diagnostics.push(diagnostic);
            }
        }
    }
}

fn report(value: &Value, what: &str, known: &BTreeSet<&str>) -> Diagnostic {
    let message = format!(
        "`{}{}` names a {what} that is not defined",
        value.kind.prefix(),
        value.text
    );
    let help = match nearest(&value.text, known) {
        Some(near) => format!("did you mean `{}{near}`?", value.kind.prefix()),
        None if known.is_empty() => format!("these files define no {what} with an Id"),
        None => format!(
            "the {what}s defined are: {}",
            known
                .iter()
                .take(8)
                .map(|id| format!("`{id}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    UNKNOWN_FEATURE_OR_COMPONENT
        .diagnostic(value.name_span, message)
        .with_help(help)
        .with_note(
            "Windows Installer treats the state of an unknown name as empty, so the comparison is always false (ICE79)",
        )
}

/// The closest defined id, if close enough, or one the name starts or ends a prefix of.
fn nearest<'a>(name: &str, known: &BTreeSet<&'a str>) -> Option<&'a str> {
    nearest_name(name, known.iter().copied()).or_else(|| {
        known
            .iter()
            .find(|id| name.starts_with(**id) || id.starts_with(name))
            .copied()
    })
}
