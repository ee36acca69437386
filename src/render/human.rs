//! Human output through miette: the source snippet with every label, the help and notes.
//!
//! miette renders one source per diagnostic, so labels in another file become related
//! diagnostics with that file's own snippet. The `file:line:col` headers count columns in
//! characters, like every other format (miette itself counts bytes).

use super::snippet::Snippet;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{FileId, SourceDb};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceSpan};
use std::fmt;

/// Renders diagnostics for a terminal (`color`: ANSI colours and Unicode art).
pub fn render(db: &SourceDb, diagnostics: &[Diagnostic], color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    for diagnostic in diagnostics {
        let report = Report::new(db, diagnostic);
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&diagnostic.message);
        }
        out.push('\n');
    }
    out
}

/// One diagnostic (or one related part of it) as miette sees it.
struct Report<'db> {
    code: String,
    severity: miette::Severity,
    message: String,
    source: Snippet<'db>,
    labels: Vec<LabeledSpan>,
    help: Option<String>,
    related: Vec<Report<'db>>,
}

impl<'db> Report<'db> {
    fn new(db: &'db SourceDb, diagnostic: &Diagnostic) -> Self {
        let file = diagnostic.primary.file;
        // A label on the primary span becomes the primary label's text.
        let primary_text = diagnostic
            .labels
            .iter()
            .find(|label| label.span == diagnostic.primary)
            .map(|label| label.message.clone());
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            primary_text,
            to_miette(diagnostic.primary),
        )];
        let mut related = Vec::new();
        for label in &diagnostic.labels {
            if label.span == diagnostic.primary {
                continue;
            }
            if label.span.file == file {
                labels.push(LabeledSpan::new_with_span(
                    Some(label.message.clone()),
                    to_miette(label.span),
                ));
            } else {
                related.push(Report {
                    code: String::new(),
                    severity: miette::Severity::Advice,
                    message: label.message.clone(),
                    source: named(db, label.span.file),
                    labels: vec![LabeledSpan::new_primary_with_span(
                        Some(label.message.clone()),
                        to_miette(label.span),
                    )],
                    help: None,
                    related: Vec::new(),
                });
            }
        }
        let mut help = diagnostic.help.clone();
        for note in &diagnostic.notes {
            let text = help
                .take()
                .map_or(format!("note: {note}"), |h| format!("{h}\nnote: {note}"));
            help = Some(text);
        }
        Report {
            code: format!("{}({})", diagnostic.code.code, diagnostic.code.name),
            severity: match diagnostic.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Info => miette::Severity::Advice,
            },
            message: diagnostic.message.clone(),
            source: named(db, file),
            labels,
            help,
            related,
        }
    }
}

fn named(db: &SourceDb, file: FileId) -> Snippet<'_> {
    Snippet {
        file: db.file(file),
    }
}

fn to_miette(span: crate::source::Span) -> SourceSpan {
    SourceSpan::new((span.start as usize).into(), span.len())
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
    }
}
