//! Output formats. The only place that knows how findings and tables look on screen or in a
//! file: human (miette), short, msbuild, github, JSON and SARIF for diagnostics; text, JSON and
//! Graphviz dot for `order`.

pub mod github;
pub mod human;
pub mod json;
pub mod msbuild;
pub mod order_dot;
pub mod order_json;
pub mod order_text;
pub mod sarif;
pub mod short;
mod snippet;

use crate::source::{SourceDb, Span};
use std::borrow::Cow;

/// `text` on one line: line breaks become spaces (formats that are read line by line).
pub fn single_line(text: &str) -> Cow<'_, str> {
    if text.contains(['\r', '\n']) {
        Cow::Owned(text.replace("\r\n", " ").replace(['\r', '\n'], " "))
    } else {
        Cow::Borrowed(text)
    }
}

/// 1-based line and column (in characters) of a span's start and end.
pub struct Position {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Position {
    pub fn of(db: &SourceDb, span: Span) -> Position {
        let file = db.file(span.file);
        let (line, column) = file.line_column(span.start);
        let (end_line, end_column) = file.line_column(span.end);
        Position {
            path: file.path().to_string(),
            line,
            column,
            end_line,
            end_column,
        }
    }
}
