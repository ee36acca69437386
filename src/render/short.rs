//! `check --format short`: one line per finding, `path:line:col: severity[CODE]: message`,
//! the shape editors' and CI's problem matchers know.

use super::{single_line, Position};
use crate::diagnostic::Diagnostic;
use crate::source::SourceDb;
use std::fmt::Write;

pub fn render(db: &SourceDb, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        let at = Position::of(db, diagnostic.primary);
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}]: {}",
            at.path,
            at.line,
            at.column,
            diagnostic.severity,
            diagnostic.code.code,
            single_line(&diagnostic.message)
        );
    }
    out
}
