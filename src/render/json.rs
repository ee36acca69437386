//! The JSON form of diagnostics: a contract other tools rely on (`version: 1`).

use super::Position;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceDb;
use serde::Serialize;

#[derive(Serialize)]
pub struct JsonLabel {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

#[derive(Serialize)]
pub struct JsonDiagnostic {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: &'static str,
    pub message: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub labels: Vec<JsonLabel>,
    pub help: Option<String>,
    pub notes: Vec<String>,
}

impl JsonDiagnostic {
    pub fn new(db: &SourceDb, diagnostic: &Diagnostic) -> Self {
        let at = Position::of(db, diagnostic.primary);
        JsonDiagnostic {
            code: diagnostic.code.code,
            name: diagnostic.code.name,
            severity: diagnostic.severity.as_str(),
            message: diagnostic.message.clone(),
            file: at.path,
            line: at.line,
            column: at.column,
            end_line: at.end_line,
            end_column: at.end_column,
            labels: diagnostic
                .labels
                .iter()
                .map(|label| {
                    let at = Position::of(db, label.span);
                    JsonLabel {
                        file: at.path,
                        line: at.line,
                        column: at.column,
                        message: label.message.clone(),
                    }
                })
                .collect(),
            help: diagnostic.help.clone(),
            notes: diagnostic.notes.clone(),
        }
    }
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

#[derive(Serialize)]
struct Report {
    version: u32,
    diagnostics: Vec<JsonDiagnostic>,
    summary: Summary,
}

/// `check --format json`.
pub fn render(db: &SourceDb, diagnostics: &[Diagnostic], files: usize) -> String {
    let count = |severity| {
        diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    };
    let report = Report {
        version: 1,
        diagnostics: diagnostics
            .iter()
            .map(|d| JsonDiagnostic::new(db, d))
            .collect(),
        summary: Summary {
            files,
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
        },
    };
    serde_json::to_string_pretty(&report).unwrap_or_default() + "\n"
}
