//! MSI formatted text: the `[Property]` references inside CustomAction targets, SetProperty
//! values and command lines.
//!
//! Windows Installer expands `[Name]` to a property's value, `[%Name]` to an environment
//! variable, `[#Key]`/`[!Key]` to a file's path, `[$Key]` to a component's directory, `[\c]`
//! to a literal character and `[~]` to a null. Brackets nest (`[[P]]` reads P, then the
//! property P names), so the innermost reference is the one read first. Property names are
//! case-sensitive. Source: the "Formatted" page of the Windows Installer SDK
//! (<https://learn.microsoft.com/windows/win32/msi/formatted>).

use std::ops::Range;

/// What a bracketed reference expands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReferenceKind {
    Property,
    Environment,
    /// `[#Key]` or `[!Key]`.
    File,
    /// `[$Key]`.
    Component,
}

/// One `[…]` reference: what it names and the byte range of the name in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference<'a> {
    pub kind: ReferenceKind,
    pub name: &'a str,
    pub range: Range<usize>,
}

/// The references in `text`, in order. Escapes (`[\x]`), nulls (`[~]`) and text that does
/// not form a reference are skipped; malformed text never fails.
pub fn references(text: &str) -> Vec<Reference<'_>> {
    let mut found = Vec::new();
    let mut open: Option<usize> = None;
    for (index, character) in text.char_indices() {
        match character {
            '[' => open = Some(index + 1),
            ']' => {
                if let Some(start) = open.take() {
                    found.extend(classify(text, start..index));
                }
            }
            _ => {}
        }
    }
    found
}

/// The property names `text` reads, in order.
pub fn property_names(text: &str) -> impl Iterator<Item = &str> {
    references(text)
        .into_iter()
        .filter(|reference| reference.kind == ReferenceKind::Property)
        .map(|reference| reference.name)
}

fn classify(text: &str, inner: Range<usize>) -> Option<Reference<'_>> {
    let body = &text[inner.clone()];
    let (kind, skip) = match body.chars().next()? {
        '%' => (ReferenceKind::Environment, 1),
        '#' | '!' => (ReferenceKind::File, 1),
        '$' => (ReferenceKind::Component, 1),
        '\\' | '~' => return None,
        _ => (ReferenceKind::Property, 0),
    };
    let name = &body[skip..];
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.');
    valid.then(|| Reference {
        kind,
        name,
        range: inner.start + skip..inner.end,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(ReferenceKind, &str)> {
        references(text)
            .into_iter()
            .map(|reference| (reference.kind, reference.name))
            .collect()
    }

    #[test]
    fn finds_every_kind_of_reference() {
        assert_eq!(
            names("\"[#app.exe]\" /dir=[INSTALLFOLDER] [%TEMP] [$Main] [!cfg]"),
            vec![
                (ReferenceKind::File, "app.exe"),
                (ReferenceKind::Property, "INSTALLFOLDER"),
                (ReferenceKind::Environment, "TEMP"),
                (ReferenceKind::Component, "Main"),
                (ReferenceKind::File, "cfg"),
            ]
        );
    }

    #[test]
    fn nested_brackets_read_the_innermost_first() {
        assert_eq!(
            names("[[Pointer]]"),
            vec![(ReferenceKind::Property, "Pointer")]
        );
    }

    #[test]
    fn escapes_nulls_and_junk_are_not_references() {
        assert!(names(r"[\[]x[\]] [~] [] [a b] ] [unclosed").is_empty());
    }

    #[test]
    fn ranges_cover_the_name_only() {
        let text = "x=[MsiRestartManagerSessionKey];";
        let reference = &references(text)[0];
        assert_eq!(
            &text[reference.range.clone()],
            "MsiRestartManagerSessionKey"
        );
        let file = &references("[#f]")[0];
        assert_eq!(file.range, 2..3);
    }
}
