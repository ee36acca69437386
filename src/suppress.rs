//! Inline suppressions, applied to the rules' findings before they are sorted.
//!
//! `<!-- wixcheck: allow(WXC301, schedule-cycle) -->` suppresses those rules in the next
//! element: a finding whose primary span lies inside that element, from `<` to the end of its
//! end tag. `<!-- wixcheck: allow-file(WXC109) -->` suppresses them anywhere in the file the
//! comment is in. Codes and names may be mixed, and a reason may follow the list. Each code that suppresses nothing, or names no
//! rule, is reported as WXC006 unused-suppression on the code itself.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::Directive;
use crate::rules::{self, input::unused_suppression::UNUSED_SUPPRESSION};
use crate::source::{FileId, SourceDb, Span};

/// Where a suppression applies.
#[derive(Clone, Copy)]
enum Scope {
    File(FileId),
    /// An element's extent; `None` when no element follows the comment.
    Element(Option<Span>),
}

impl Scope {
    fn covers(self, span: Span) -> bool {
        match self {
            Scope::File(file) => span.file == file,
            Scope::Element(Some(element)) => {
                span.file == element.file && element.start <= span.start && span.end <= element.end
            }
            Scope::Element(None) => false,
        }
    }
}

/// One code or name in one suppression comment.
struct Entry {
    /// `None` when the text names no rule.
    code: Option<Code>,
    written: String,
    span: Span,
    scope: Scope,
    used: bool,
}

/// Drops the findings the comments suppress and adds a WXC006 for every entry that
/// suppressed nothing.
pub fn apply(
    db: &SourceDb,
    directives: &[Directive],
    diagnostics: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut kept: Vec<Diagnostic> = Vec::new();
    for directive in directives {
        entries.extend(parse(db, directive, &mut kept));
    }
    for diagnostic in diagnostics {
        let mut suppressed = false;
        for entry in &mut entries {
            if entry.code == Some(diagnostic.code) && entry.scope.covers(diagnostic.primary) {
                entry.used = true;
                suppressed = true;
            }
        }
        if !suppressed {
            kept.push(diagnostic);
        }
    }
    kept.extend(entries.iter().filter(|entry| !entry.used).map(unused));
    kept
}

fn unused(entry: &Entry) -> Diagnostic {
    match (entry.code, entry.scope) {
        (None, _) => UNUSED_SUPPRESSION
            .diagnostic(entry.span, format!("`{}` is not a rule", entry.written))
            .with_help("`wixcheck rules` lists the codes and names"),
        (Some(_), Scope::Element(None)) => UNUSED_SUPPRESSION
            .diagnostic(
                entry.span,
                format!(
                    "`{}` suppresses nothing: no element follows the comment",
                    entry.written
                ),
            )
            .with_help("put the comment directly before the element with the finding"),
        (Some(code), scope) => UNUSED_SUPPRESSION
            .diagnostic(
                entry.span,
                format!(
                    "`{}` suppresses nothing: {} has no {} finding",
                    entry.written,
                    match scope {
                        Scope::File(_) => "this file",
                        Scope::Element(_) => "the next element",
                    },
                    code.code
                ),
            )
            .with_help("remove it from the comment"),
    }
}

/// The entries of an `allow(…)` or `allow-file(…)` comment; other directives (such as
/// `reads PROPERTY`) have none. A malformed list is a WXC006 on the comment, in `problems`.
fn parse(db: &SourceDb, directive: &Directive, problems: &mut Vec<Diagnostic>) -> Vec<Entry> {
    let text = directive.text.value.as_str();
    let (scope, rest) = if let Some(rest) = text.strip_prefix("allow-file") {
        (Scope::File(directive.text.span.file), rest)
    } else if let Some(rest) = text.strip_prefix("allow") {
        (Scope::Element(directive.element), rest)
    } else {
        return Vec::new();
    };
    let list = rest
        .trim()
        .strip_prefix('(')
        .and_then(|list| list.split_once(')'))
        .map(|(list, _reason)| list)
        .filter(|list| !list.trim().is_empty());
    let Some(list) = list else {
        problems.push(
            UNUSED_SUPPRESSION
                .diagnostic(directive.text.span, "malformed suppression comment")
                .with_help("write `<!-- wixcheck: allow(WXC301, schedule-cycle) -->`"),
        );
        return Vec::new();
    };
    let raw_span = directive.text.span;
    let raw = db.text(raw_span);
    let offset = raw_span.start as usize;
    let mut cursor = raw.find('(').unwrap_or(0);
    let mut entries = Vec::new();
    for written in list.split(',').map(str::trim).filter(|w| !w.is_empty()) {
        let found = raw
            .get(cursor..)
            .and_then(|tail| tail.find(written))
            .map(|at| cursor + at);
        let span = match found {
            Some(start) => {
                cursor = start + written.len();
                Span::new(raw_span.file, offset + start, offset + cursor)
            }
            None => raw_span,
        };
        entries.push(Entry {
            code: rules::find(written).map(|rule| rule.code),
            written: written.to_string(),
            span,
            scope,
            used: false,
        });
    }
    entries
}
