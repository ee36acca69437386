//! The checks of a start tag's attributes: each well-formed, none written twice, every
//! reference resolving. The parser makes them as it reads a tag; when a file is read
//! alongside (`alongside.rs`), the handler's thread makes most of them, so that the two
//! threads share the work.

use super::escape;
use super::scan::{self, RawAttribute};
use super::XmlError;
use crate::source::{FileId, Span};
use std::collections::HashSet;

/// What an error report needs: the file, its text, and whether a DOCTYPE was seen (its
/// entity declarations are never read, which a failed reference then explains).
#[derive(Clone, Copy)]
pub(super) struct Place<'t> {
    pub file: FileId,
    pub text: &'t str,
    pub has_doctype: bool,
}

impl Place<'_> {
    pub fn error(&self, start: usize, end: usize, message: String) -> XmlError {
        XmlError {
            span: Span::new(self.file, start, end.min(self.text.len()).max(start)),
            message,
        }
    }

    /// A reference that does not resolve, in text that starts at `start`.
    pub fn reference_error(&self, start: usize, bad: escape::BadReference) -> XmlError {
        let at = start + bad.offset;
        let mut message = bad.message;
        if self.has_doctype && bad.undefined {
            message.push_str(
                "; entities declared in a DOCTYPE are never read (WiX v4+ rejects any DOCTYPE)",
            );
        }
        self.error(at, at + bad.len, message)
    }
}

/// Reads the attributes of the start tag `text[start..end]` into `scanned` (emptied first),
/// checking them; the first problem is the error.
pub(super) fn attributes(
    place: Place<'_>,
    start: usize,
    end: usize,
    scanned: &mut Vec<RawAttribute>,
) -> Result<(), XmlError> {
    let text = place.text;
    let (_, attributes) = scan::start_tag(text, start, end);
    scanned.clear();
    // Names seen so far: a scan for the usual handful, a set for hostile thousands.
    let mut many = HashSet::new();
    let name_of = |seen: &RawAttribute| seen.name.qualified(text);
    // References are checked per value only in a tag that has any.
    let has_references = memchr::memchr(b'&', &text.as_bytes()[start..end]).is_some();
    for attribute in attributes {
        let attribute =
            attribute.map_err(|err| place.error(err.offset, err.offset + 1, err.message))?;
        let name = name_of(&attribute);
        let repeated = match scanned.len() < 16 {
            true => scanned.iter().any(|seen| name_of(seen) == name),
            false if many.is_empty() => {
                many.extend(scanned.iter().map(name_of));
                !many.insert(name)
            }
            false => !many.insert(name),
        };
        if repeated {
            let (s, e) = attribute.name.range();
            return Err(place.error(s, e, format!("the attribute `{name}` appears twice")));
        }
        if has_references {
            let (value_start, value_end) = attribute.value;
            escape::unescape(&text[value_start..value_end])
                .map_err(|bad| place.reference_error(value_start, bad))?;
        }
        scanned.push(attribute);
    }
    Ok(())
}
