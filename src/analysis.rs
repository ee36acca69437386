//! The whole pipeline for one link unit: read, parse, preprocess, model, sequence, judge.
//!
//! [`analyze`] never fails on bad input: unreadable or malformed files become diagnostics
//! and the other files are still analysed. Only paths that do not exist stop it (usage
//! errors are decided by the caller before this).
//!
//! Decoding and XML parsing of the given files run on up to [`Settings::jobs`] threads; every
//! file's [`FileId`] is fixed before that (the given files first, in order, then the files
//! they include), so the output does not depend on the number of threads.

use crate::config::Level;
use crate::decode::decode;
use crate::diagnostic::{self, Code, Diagnostic, Severity};
use crate::model::{self, BuildSettings, Spanned, WixModel};
use crate::preprocess;
use crate::rules::{self, input, Context};
use crate::sequence::{self, Schedule};
use crate::source::{FileId, SourceDb, Span};
use crate::suppress;
use crate::timings::Timings;
use crate::xml;
use std::path::PathBuf;

/// Everything that decides how files are read and findings are judged.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub preprocessor: preprocess::Settings,
    pub model: BuildSettings,
    /// Rule levels from the config, applied after suppressions.
    pub levels: Vec<(Code, Level)>,
    /// `(custom action id, "reads PROPERTY")`: the config's `[reads]`, added to those actions
    /// as if written in a `<!-- wixcheck: reads PROPERTY -->` comment.
    pub reads: Vec<(String, Spanned<String>)>,
    /// Threads for decoding and parsing; 0 and 1 both mean one.
    pub jobs: usize,
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
    /// Time per stage: `load`, `model`, `sequence`, `rules`, `finish`.
    pub timings: Timings,
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
    analyze_in(SourceDb::new(), Vec::new(), inputs, settings)
}

/// [`analyze`] with files already in `db` (the config file) and the findings about them.
pub fn analyze_in(
    mut db: SourceDb,
    mut diagnostics: Vec<Diagnostic>,
    inputs: Vec<Input>,
    settings: &Settings,
) -> Analysis {
    let mut timings = Timings::start();
    let mut model = WixModel::default();
    let mut trace = preprocess::Trace::default();
    let files = inputs.len();
    let loaded = load_all(&inputs, db.len(), settings.jobs);
    let mut outcomes = Vec::with_capacity(files);
    for (input, loaded) in inputs.iter().zip(loaded) {
        let id = db.add(input.path.display().to_string(), loaded.text);
        outcomes.push((id, loaded.outcome));
    }
    timings.lap("load");
    for (id, outcome) in outcomes {
        let at_end = db.file(id).text().len();
        match outcome {
            Outcome::Unreadable(message) => diagnostics.push(
                input::unreadable_file::UNREADABLE_FILE.diagnostic(Span::new(id, 0, 0), message),
            ),
            Outcome::Undecodable(message) => diagnostics.push(
                input::unreadable_file::UNREADABLE_FILE
                    .diagnostic(Span::new(id, at_end, at_end), message)
                    .with_help("save the file as UTF-8, or name its encoding in the XML declaration: <?xml version=\"1.0\" encoding=\"windows-1252\"?>"),
            ),
            Outcome::Parsed(Ok(document)) => model::build(
                &mut db,
                &document,
                &settings.preprocessor,
                &settings.model,
                &mut model,
                &mut diagnostics,
                &mut trace,
            ),
            Outcome::Parsed(Err(err)) => diagnostics.push(
                input::invalid_xml::INVALID_XML
                    .diagnostic(err.span, err.message)
                    .with_help("fix the XML; the rest of this file is not checked"),
            ),
        }
    }
    add_configured_reads(&mut model, &settings.reads);
    timings.lap("model");
    let schedule = sequence::resolve(&model);
    timings.lap("sequence");
    let context = Context::new(&db, &model, &schedule);
    diagnostics.extend(rules::run(&context));
    timings.lap("rules");
    let mut diagnostics = suppress::apply(&db, &model.directives, diagnostics);
    apply_levels(&settings.levels, &mut diagnostics);
    for diagnostic in &mut diagnostics {
        trace.explain(diagnostic);
    }
    diagnostic::sort(&mut diagnostics);
    timings.lap("finish");
    Analysis {
        db,
        model,
        schedule,
        trace,
        diagnostics,
        files,
        timings,
    }
}

/// A given file after the work that runs in parallel.
struct Loaded {
    /// The decoded text (for an undecodable file, the readable prefix, so the position of
    /// the problem has a line and column).
    text: String,
    outcome: Outcome,
}

enum Outcome {
    Unreadable(String),
    Undecodable(String),
    Parsed(Result<xml::Document, xml::XmlError>),
}

/// Decodes and parses every input; the `n`-th gets the id `FileId::nth(first + n)`.
fn load_all(inputs: &[Input], first: usize, jobs: usize) -> Vec<Loaded> {
    let jobs = jobs.clamp(1, inputs.len().max(1));
    let chunk = inputs.len().div_ceil(jobs).max(1);
    let load_chunk = |(index, part): (usize, &[Input])| {
        let base = first + index * chunk;
        part.iter()
            .enumerate()
            .map(|(n, input)| load(input, FileId::nth(base + n)))
            .collect::<Vec<_>>()
    };
    if jobs == 1 {
        return load_chunk((0, inputs));
    }
    std::thread::scope(|scope| {
        let workers: Vec<_> = inputs
            .chunks(chunk)
            .enumerate()
            .map(|part| scope.spawn(move || load_chunk(part)))
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

fn load(input: &Input, id: FileId) -> Loaded {
    let bytes = match &input.bytes {
        Ok(bytes) => bytes,
        Err(err) => {
            return Loaded {
                text: String::new(),
                outcome: Outcome::Unreadable(format!("cannot read the file: {err}")),
            }
        }
    };
    match decode(bytes) {
        Ok(text) => {
            let document = xml::parse(id, &text);
            Loaded {
                text,
                outcome: Outcome::Parsed(document),
            }
        }
        // Keep the text before the bad byte so the position has a line and column.
        Err(err) => Loaded {
            outcome: Outcome::Undecodable(format!("{} (byte {})", err.message, err.offset)),
            text: err.decoded,
        },
    }
}

/// The config's `[reads]` entries become annotations of the custom actions they name.
fn add_configured_reads(model: &mut WixModel, reads: &[(String, Spanned<String>)]) {
    for (action, annotation) in reads {
        let custom_actions = model
            .sections
            .iter_mut()
            .flat_map(|section| section.custom_actions.iter_mut());
        for custom in custom_actions.filter(|custom| custom.id.value == *action) {
            custom.annotations.push(annotation.clone());
        }
    }
}

/// Drops allowed findings and gives the others their configured severity.
fn apply_levels(levels: &[(Code, Level)], diagnostics: &mut Vec<Diagnostic>) {
    if levels.is_empty() {
        return;
    }
    diagnostics.retain_mut(|diagnostic| {
        let level = levels
            .iter()
            .rev()
            .find(|(code, _)| *code == diagnostic.code)
            .map(|(_, level)| level.severity());
        match level {
            Some(Some(severity)) => {
                diagnostic.severity = severity;
                true
            }
            Some(None) => false,
            None => true,
        }
    });
}

impl Analysis {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// How many findings are at `severity` or above.
    pub fn count_at_least(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity >= severity)
            .count()
    }
}
