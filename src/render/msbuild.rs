//! `check --format msbuild`: MSBuild's canonical error format, one line per finding,
//! `path(line,col,endLine,endCol): error CODE: message`.
//!
//! MSBuild's Exec task turns such lines into real errors and warnings with file, line and
//! column (Visual Studio's Error List, `dotnet build` logs). Only `error` and `warning` are
//! categories MSBuild parses, so info findings are written with the word `message`, which
//! Exec logs as plain text. Nothing else is written: no colour, no summary.

use super::{single_line, Position};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceDb;
use std::fmt::Write;

pub fn render(db: &SourceDb, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        let at = Position::of(db, diagnostic.primary);
        let location = if diagnostic.primary.is_empty() {
            format!("{},{}", at.line, at.column)
        } else {
            format!(
                "{},{},{},{}",
                at.line, at.column, at.end_line, at.end_column
            )
        };
        let category = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "message",
        };
        let _ = writeln!(
            out,
            "{}({location}): {category} {}: {}",
            at.path,
            diagnostic.code.code,
            single_line(&diagnostic.message)
        );
    }
    out
}
