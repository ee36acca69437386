//! The whole pipeline for one link unit: read, parse, preprocess, model, sequence, judge.
//!
//! [`analyze`] never fails on bad input: unreadable or malformed files become diagnostics
//! and the other files are still analysed. Only paths that do not exist stop it (usage
//! errors are decided by the caller before this).

use crate::decode::decode;
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::model::{self, BuildSettings, WixModel};
use crate::preprocess;
use crate::rules::{self, input, Context};
use crate::sequence::{self, Schedule};
use crate::source::{SourceDb, Span};
use crate::xml;
use std::path::PathBuf;

/// Everything that decides how files are read.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub preprocessor: preprocess::Settings,
    pub model: BuildSettings,
}

/// The result of analysing one link unit.
pub struct Analysis {
    pub db: SourceDb,
    pub model: WixModel,
    pub schedule: Schedule,
    /// What the preprocessor did: expansions, include chains, defines in force.
    pub trace: preprocess::Trace,
    /// Sorted in output order.
    pub diagnostics: Vec<Diagnostic>,
    /// How many files were given (includes are not counted).
    pub files: usize,
}

/// A file to analyse: its path as the user wrote it, and its bytes (or why they could not be
/// read).
pub struct Input {
    pub path: PathBuf,
    pub bytes: std::io::Result<Vec<u8>>,
}

impl Input {
    pub fn read(path: PathBuf) -> Input {
        let bytes = std::fs::read(&path);
        Input { path, bytes }
    }
}

/// Analyses the files as one link unit.
pub fn analyze(inputs: Vec<Input>, settings: &Settings) -> Analysis {
    let mut db = SourceDb::new();
    let mut model = WixModel::default();
    let mut trace = preprocess::Trace::default();
    let mut diagnostics = Vec::new();
    let files = inputs.len();
    for input in inputs {
        let display = input.path.display().to_string();
        let bytes = match input.bytes {
            Ok(bytes) => bytes,
            Err(err) => {
                let id = db.add(display, String::new());
                diagnostics.push(
                    input::unreadable_file::UNREADABLE_FILE
                        .diagnostic(Span::new(id, 0, 0), format!("cannot read the file: {err}")),
                );
                continue;
            }
        };
        let text = match decode(&bytes) {
            Ok(text) => text,
            Err(err) => {
                // Keep the readable prefix so the position has a line and column.
                let prefix = String::from_utf8_lossy(&bytes[..err.offset.min(bytes.len())]);
                let id = db.add(display, prefix.into_owned());
                let at = db.file(id).text().len();
                diagnostics.push(
                    input::unreadable_file::UNREADABLE_FILE
                        .diagnostic(Span::new(id, at, at), err.message)
                        .with_help("save the file as UTF-8"),
                );
                continue;
            }
        };
        let id = db.add(display, text);
        let parsed = xml::parse(id, db.file(id).text());
        match parsed {
            Ok(document) => model::build(
                &mut db,
                &document,
                &settings.preprocessor,
                &settings.model,
                &mut model,
                &mut diagnostics,
                &mut trace,
            ),
            Err(err) => diagnostics.push(
                input::invalid_xml::INVALID_XML
                    .diagnostic(err.span, err.message)
                    .with_help("fix the XML; the rest of this file is not checked"),
            ),
        }
    }
    let schedule = sequence::resolve(&model);
    let context = Context::new(&db, &model, &schedule);
    diagnostics.extend(rules::run(&context));
    for diagnostic in &mut diagnostics {
        trace.explain(diagnostic);
    }
    diagnostic::sort(&mut diagnostics);
    Analysis {
        db,
        model,
        schedule,
        trace,
        diagnostics,
        files,
    }
}

impl Analysis {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}
