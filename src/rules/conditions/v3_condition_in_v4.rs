//! WXC403 v3-condition-in-v4: a condition written as inner text in a WiX v4+ file.

use crate::diagnostic::Diagnostic;
use crate::model::{ConditionKind, InnerTextCondition};
use crate::rules::Context;

crate::declare_rule! {
    /// A WiX v3-style inner-text condition in a WiX v4+ file.
    ///
    /// ## What it does
    /// Reports text inside `Custom`, `Show`, standard-action elements, `SetProperty`,
    /// `SetDirectory` and `Publish`, and `Condition` elements, in files in the WiX v4+
    /// namespace, and shows the attribute or element that holds the condition in v4+.
    ///
    /// ## Why is this bad?
    /// WiX v4 moved conditions into attributes (`Condition`, and `Launch`/`Level` elements
    /// instead of `Condition` elements). The v4+ compiler rejects inner text with WIX0400
    /// ("contains inner text which is obsolete") or does not know the `Condition` element
    /// at all; a file half-converted from v3 does not build.
    ///
    /// ## Example
    /// ```xml
    /// <Custom Action="Cleanup" After="InstallFiles">REMOVE="ALL"</Custom>
    /// ```
    /// Use instead:
    /// ```xml
    /// <Custom Action="Cleanup" After="InstallFiles" Condition='REMOVE="ALL"' />
    /// ```
    ///
    /// ## References
    /// - WiX v3 to v4 conversion (`wix convert`): <https://wixtoolset.org/docs/fourthree/>
    /// - WiX error WIX0400 IllegalInnerText
    pub V3_CONDITION_IN_V4, "WXC403", "v3-condition-in-v4", Error, Some(check)
}

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    for section in &context.model.sections {
        for inner in &section.inner_text_conditions {
            let element = context.db.text(inner.element);
            let message =
                format!("`<{element}>` has its condition as inner text, which WiX v4+ rejects");
            diagnostics.push(
                V3_CONDITION_IN_V4
                    .diagnostic(inner.text.span, message)
                    .with_label(inner.element, "this element")
                    .with_help(attribute_form(inner, element)),
            );
        }
    }
}

/// The v4+ way to write the same condition.
fn attribute_form(inner: &InnerTextCondition, element: &str) -> String {
    let (advice, attribute, written) = match inner.kind {
        ConditionKind::Action | ConditionKind::Publish => (
            "move the text into an attribute",
            "Condition",
            format!("<{element} … {{}} />"),
        ),
        ConditionKind::Launch => (
            "write a launch condition as",
            "Condition",
            "<Launch {} Message=\"…\" />".to_string(),
        ),
        ConditionKind::FeatureLevel => (
            "write it inside the Feature as",
            "Condition",
            "<Level Value=\"…\" {} />".to_string(),
        ),
        ConditionKind::Component => (
            "write it as an attribute of the Component",
            "Condition",
            "{}".to_string(),
        ),
        ConditionKind::Control => (
            "write it as an attribute of the Control named after the Action (EnableCondition, DisableCondition, HideCondition, ShowCondition or DefaultCondition)",
            "EnableCondition",
            "{}".to_string(),
        ),
    };
    let condition = format!("{attribute}={}", quoted(&inner.text.value));
    format!("{advice}: `{}`", written.replacen("{}", &condition, 1))
}

/// An XML attribute value: in single quotes when the text has `"` and no `'`, else in
/// double quotes with `"` escaped; `&` and `<` always escaped.
fn quoted(text: &str) -> String {
    let escaped = text.replace('&', "&amp;").replace('<', "&lt;");
    if escaped.contains('"') && !escaped.contains('\'') {
        format!("'{escaped}'")
    } else {
        format!("\"{}\"", escaped.replace('"', "&quot;"))
    }
}

#[cfg(test)]
mod tests {
    use super::quoted;

    #[test]
    fn attribute_values_pick_quotes_and_escape() {
        assert_eq!(quoted("NOT Installed"), "\"NOT Installed\"");
        assert_eq!(quoted("REMOVE=\"ALL\""), "'REMOVE=\"ALL\"'");
        assert_eq!(quoted("A < 3 AND &F=3"), "\"A &lt; 3 AND &amp;F=3\"");
        assert_eq!(quoted("A=\"it's\""), "\"A=&quot;it's&quot;\"");
    }
}
