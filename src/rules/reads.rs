//! What an action reads: the properties its condition tests, the properties in its custom
//! action's formatted fields, and the ones the author declared with
//! `<!-- wixcheck: reads NAME -->` (for DLL actions, whose code wixcheck cannot see).
//! Property-lifetime rules judge these reads by where the action runs.

use super::Context;
use crate::model::{formatted, CustomAction};
use crate::sequence::Action;
use crate::source::Span;

/// Attributes whose values Windows Installer formats, so `[Property]` in them is read: the
/// property or directory value of types 51/35, the command line of EXE actions, and the
/// message of type 19.
pub const FORMATTED_FIELDS: [&str; 3] = ["Value", "ExeCommand", "Error"];

/// How an action reads a property.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadSource {
    /// `[Property]` in a formatted attribute.
    Field,
    /// A `wixcheck: reads` annotation.
    Annotation,
    /// A bare property in the action's condition.
    Condition,
}

/// One property an action reads, spanned where the read is written.
#[derive(Clone, Debug, PartialEq)]
pub struct PropertyRead {
    pub property: String,
    pub span: Span,
    pub source: ReadSource,
}

/// Every property a scheduled action reads: its condition's, then its custom action's.
pub fn of_action(
    context: &Context<'_>,
    action: &Action,
    custom: Option<&CustomAction>,
) -> Vec<PropertyRead> {
    let condition = action.row.iter().filter_map(|row| row.condition.as_ref());
    let mut reads: Vec<PropertyRead> = condition
        .flat_map(|condition| condition.property_references())
        .map(|(property, span)| PropertyRead {
            property: property.to_string(),
            span,
            source: ReadSource::Condition,
        })
        .collect();
    reads.extend(
        custom
            .map(|custom| of_custom_action(context, custom))
            .into_iter()
            .flatten(),
    );
    reads
}

/// Every property `custom` reads, in source order.
pub fn of_custom_action(context: &Context<'_>, custom: &CustomAction) -> Vec<PropertyRead> {
    let mut reads = Vec::new();
    for field in FORMATTED_FIELDS {
        let Some(value) = custom.attribute(field) else {
            continue;
        };
        for reference in formatted::references(&value.value) {
            if reference.kind == formatted::ReferenceKind::Property {
                reads.push(PropertyRead {
                    property: reference.name.to_string(),
                    span: context.narrow(value, reference.range),
                    source: ReadSource::Field,
                });
            }
        }
    }
    for note in &custom.annotations {
        for property in declared_reads(&note.value) {
            reads.push(PropertyRead {
                property: property.to_string(),
                span: note.span,
                source: ReadSource::Annotation,
            });
        }
    }
    reads
}

/// The properties a `reads A, B` annotation names.
pub fn declared_reads(annotation: &str) -> impl Iterator<Item = &str> {
    annotation
        .strip_prefix("reads")
        .filter(|rest| rest.starts_with(char::is_whitespace))
        .unwrap_or_default()
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|name| !name.is_empty())
}

#[cfg(test)]
mod tests {
    use super::declared_reads;

    #[test]
    fn annotations_name_properties_by_space_or_comma() {
        let names: Vec<&str> = declared_reads("reads A, B  C").collect();
        assert_eq!(names, ["A", "B", "C"]);
        assert_eq!(declared_reads("readsX").count(), 0);
        assert_eq!(declared_reads("rollback-for X").count(), 0);
    }
}
