//! The whole pipeline for one link unit: read, parse, preprocess, model, sequence, judge.
//!
//! [`analyze`] never fails on bad input: unreadable or malformed files become diagnostics
//! and the other files are still analysed. Only paths that do not exist stop it (usage
//! errors are decided by the caller before this).
//!
//! Reading, decoding, parsing and preprocessing the given files run on up to
//! [`Settings::jobs`] threads, and this thread joins each file to the link unit as soon as
//! the files before it are done; every file's [`FileId`] is fixed before that (the given
//! files first, in order, then the files they include), and files join in the given order,
//! so the output does not depend on the number of threads.

use crate::config::Level;
use crate::decode::decode;
use crate::diagnostic::{self, Code, Diagnostic, Severity};
use crate::model::{self, BuildSettings, FileModel, Spanned, WixModel};
use crate::preprocess;
use crate::rules::{self, input, Context};
use crate::sequence::{self, Schedule};
use crate::source::{FileId, SourceDb, Span};
use crate::suppress;
use crate::timings::Timings;
use crate::xml;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex, PoisonError};

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
    /// Threads for loading files, linking them and running rules; 0 and 1 both mean one.
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

/// A file to analyse: its path as the user wrote it, and where its bytes come from.
pub struct Input {
    pub path: PathBuf,
    /// `None`: read the file at `path`.
    bytes: Option<std::io::Result<Vec<u8>>>,
}

impl Input {
    /// The file at `path`, read when the analysis runs (on its threads, with `--jobs`).
    pub fn read(path: PathBuf) -> Input {
        Input { path, bytes: None }
    }

    /// Bytes read already (standard input), or why they could not be.
    pub fn with_bytes(path: PathBuf, bytes: std::io::Result<Vec<u8>>) -> Input {
        Input {
            path,
            bytes: Some(bytes),
        }
    }
}

/// Analyses the files as one link unit.
pub fn analyze(inputs: Vec<Input>, settings: &Settings) -> Analysis {
    analyze_in(SourceDb::new(), Vec::new(), inputs, settings)
}

/// [`analyze`] with files already in `db` (the config file) and the findings about them.
pub fn analyze_in(
    db: SourceDb,
    diagnostics: Vec<Diagnostic>,
    inputs: Vec<Input>,
    settings: &Settings,
) -> Analysis {
    let mut timings = Timings::start();
    let files = inputs.len();
    let mut unit = Unit {
        db,
        model: WixModel::default(),
        trace: preprocess::Trace::default(),
        diagnostics,
        waiting: Vec::new(),
    };
    let first = unit.db.len();
    load_all(inputs, first, settings, |loaded| unit.add(loaded, settings));
    timings.lap("load");
    let Unit {
        db,
        mut model,
        trace,
        mut diagnostics,
        ..
    } = unit.finish(settings);
    add_configured_reads(&mut model, &settings.reads);
    timings.lap("model");
    let schedule = sequence::resolve(&model, settings.jobs);
    timings.lap("sequence");
    let context = Context::new(&db, &model, &schedule);
    diagnostics.extend(rules::run(&context, settings.jobs));
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

/// The link unit as the given files join it, in the given order.
struct Unit {
    db: SourceDb,
    model: WixModel,
    trace: preprocess::Trace,
    diagnostics: Vec<Diagnostic>,
    /// From the first file that includes others on: files whose `<?include?>`s are read
    /// only once every given file has its id, and the files after them, which must join
    /// after them.
    waiting: Vec<(FileId, Outcome)>,
}

impl Unit {
    /// Adds the next given file to the source database and, unless a file before it
    /// waits, to the model (while the other threads are still loading files).
    fn add(&mut self, loaded: Loaded, settings: &Settings) {
        let id = self.db.add(loaded.path.display().to_string(), loaded.text);
        let includes = matches!(loaded.outcome, Outcome::NeedsIncludes(_));
        if includes || !self.waiting.is_empty() {
            self.waiting.push((id, loaded.outcome));
        } else {
            self.join(id, loaded.outcome, settings);
        }
    }

    /// Joins the files that waited, in order.
    fn finish(mut self, settings: &Settings) -> Unit {
        for (id, outcome) in std::mem::take(&mut self.waiting) {
            self.join(id, outcome, settings);
        }
        self
    }

    /// Adds a file's sections and findings (reading its includes first, if it has any).
    fn join(&mut self, id: FileId, outcome: Outcome, settings: &Settings) {
        let at_end = self.db.file(id).text().len();
        let read = match outcome {
            Outcome::Unreadable(message) => {
                self.diagnostics.push(
                    input::unreadable_file::UNREADABLE_FILE
                        .diagnostic(Span::new(id, 0, 0), message),
                );
                return;
            }
            Outcome::Undecodable(message) => {
                self.diagnostics.push(
                    input::unreadable_file::UNREADABLE_FILE
                        .diagnostic(Span::new(id, at_end, at_end), message)
                        .with_help("save the file as UTF-8, or name its encoding in the XML declaration: <?xml version=\"1.0\" encoding=\"windows-1252\"?>"),
                );
                return;
            }
            Outcome::Invalid(err) => {
                self.diagnostics.push(
                    input::invalid_xml::INVALID_XML
                        .diagnostic(err.span, err.message)
                        .with_help("fix the XML; the rest of this file is not checked"),
                );
                return;
            }
            Outcome::Read(read) => read,
            Outcome::NeedsIncludes(document) => {
                let path = PathBuf::from(self.db.file(id).path());
                let includes = preprocess::Includes::Read(&mut self.db);
                // With a way to read included files the walk always completes.
                build(&path, includes, &document, settings).unwrap_or_default()
            }
        };
        self.model.sections.extend(read.sections);
        self.model.directives.extend(read.directives);
        self.diagnostics.extend(read.diagnostics);
        self.trace.absorb(read.trace);
    }
}

/// A given file's bytes, read or given.
struct Bytes {
    path: PathBuf,
    bytes: std::io::Result<Vec<u8>>,
}

/// A given file after the work that runs in parallel.
struct Loaded {
    path: PathBuf,
    /// The decoded text (for an undecodable file, the readable prefix, so the position of
    /// the problem has a line and column), shared with the parsed document.
    text: Arc<String>,
    outcome: Outcome,
}

enum Outcome {
    Unreadable(String),
    Undecodable(String),
    Invalid(xml::XmlError),
    /// Preprocessed and read into sections.
    Read(FileModel),
    /// Parsed, but it includes files, which are read in order afterwards.
    NeedsIncludes(xml::Document),
}

/// The most files a thread takes at a time. Threads take a share of what is left (so they
/// seldom meet at the queue), smaller as the end nears (so they finish together).
const MAX_BATCH: usize = 8;

/// Decodes, parses and reads every input (all but the `<?include?>`s, which wait so that
/// included files are numbered in order) and hands each to `take`, in the given order; the
/// `n`-th gets the id `FileId::nth(first + n)`. The bytes are read first, so that large
/// files can be taken first. This thread and `jobs - 1` others take the next few files as
/// they finish the last; between its own, this thread hands on the files whose
/// predecessors are all done. Each file's bytes become its text without a copy (when they
/// are UTF-8).
fn load_all(inputs: Vec<Input>, first: usize, settings: &Settings, mut take: impl FnMut(Loaded)) {
    let count = inputs.len();
    let jobs = settings.jobs.clamp(1, count.max(1));
    let read = read_all(inputs, settings.jobs);
    let queue = Mutex::new(largest_first(read, jobs).into_iter());
    let next_batch = || {
        let mut queue = queue.lock().unwrap_or_else(PoisonError::into_inner);
        let batch = (queue.len() / (jobs * 16)).clamp(1, MAX_BATCH);
        queue.by_ref().take(batch).collect::<Vec<_>>()
    };
    let load_batch = |batch: Vec<(usize, Bytes)>| {
        let load = |(n, input)| (n, load(input, FileId::nth(first + n), settings));
        batch.into_iter().map(load).collect::<Vec<_>>()
    };
    // Files done before those ahead of them wait here.
    let mut done: Vec<Option<Loaded>> = std::iter::repeat_with(|| None).take(count).collect();
    let mut next = 0;
    let mut hand_on = |loaded: Vec<(usize, Loaded)>| {
        for (n, file) in loaded {
            if let Some(slot) = done.get_mut(n) {
                *slot = Some(file);
            }
        }
        while let Some(file) = done.get_mut(next).and_then(Option::take) {
            take(file);
            next += 1;
        }
    };
    let (sender, receiver) = mpsc::channel();
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..jobs)
            .map(|_| {
                let sender = sender.clone();
                scope.spawn(move || loop {
                    let batch = next_batch();
                    if batch.is_empty() || sender.send(load_batch(batch)).is_err() {
                        break;
                    }
                })
            })
            .collect();
        drop(sender);
        loop {
            let batch = next_batch();
            if batch.is_empty() {
                break;
            }
            hand_on(load_batch(batch));
            receiver.try_iter().for_each(&mut hand_on);
        }
        receiver.iter().for_each(&mut hand_on);
        for helper in helpers {
            if let Err(panic) = helper.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
}

/// Reads the bytes of every input not given, on up to `jobs` threads (this one among them),
/// each taking an equal share in order; with fewer files than threads, a large file is read
/// by several (`read.rs`).
fn read_all(mut inputs: Vec<Input>, jobs: usize) -> Vec<Bytes> {
    let jobs = jobs.max(1);
    let threads_per_file = jobs.div_ceil(inputs.len().max(1));
    let read = |share: Vec<Input>| -> Vec<Bytes> {
        let read_one = |input: Input| Bytes {
            bytes: match input.bytes {
                Some(given) => given,
                None => crate::read::read(&input.path, threads_per_file),
            },
            path: input.path,
        };
        share.into_iter().map(read_one).collect()
    };
    let share = inputs.len().div_ceil(jobs).max(1);
    let mut shares = Vec::new();
    while inputs.len() > share {
        let rest = inputs.split_off(share);
        shares.push(std::mem::replace(&mut inputs, rest));
    }
    shares.push(inputs);
    let own = shares.remove(0);
    std::thread::scope(|scope| {
        let others: Vec<_> = shares
            .into_iter()
            .map(|share| scope.spawn(move || read(share)))
            .collect();
        let mut all = read(own);
        for other in others {
            all.extend(
                other
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        all
    })
}

/// A file holding more than this share of a thread's work is large: taken last, it would
/// leave the other threads idle while one parses it.
const LARGE: usize = 64;

/// The inputs numbered in the given order, and ordered for loading on `jobs` threads: the
/// large ones first, then the others as given (so that files can join the link unit as they
/// are loaded).
fn largest_first(inputs: Vec<Bytes>, jobs: usize) -> Vec<(usize, Bytes)> {
    let size = |input: &Bytes| input.bytes.as_ref().map_or(0, Vec::len);
    let total: usize = inputs.iter().map(size).sum();
    let mut numbered: Vec<(usize, Bytes)> = inputs.into_iter().enumerate().collect();
    numbered.sort_by_key(|(_, input)| size(input) * jobs * LARGE <= total);
    numbered
}

fn load(input: Bytes, id: FileId, settings: &Settings) -> Loaded {
    let path = input.path;
    let bytes = match input.bytes {
        Ok(bytes) => bytes,
        Err(err) => {
            return Loaded {
                path,
                text: Arc::default(),
                outcome: Outcome::Unreadable(format!("cannot read the file: {err}")),
            }
        }
    };
    match decode(bytes) {
        Ok(text) => {
            let text = Arc::new(text);
            let outcome = read(&path, id, &text, settings);
            Loaded {
                path,
                text,
                outcome,
            }
        }
        // Keep the text before the bad byte so the position has a line and column.
        Err(err) => Loaded {
            path,
            outcome: Outcome::Undecodable(format!("{} (byte {})", err.message, err.offset)),
            text: Arc::new(err.decoded),
        },
    }
}

/// Parses and preprocesses a file and reads it into sections, unless it includes files. A
/// file without directives is read as it is parsed (no tree is built); the others are
/// parsed into a tree first (the stream stops at the first directive, which in a
/// hand-written file comes early).
fn read(path: &Path, id: FileId, text: &Arc<String>, settings: &Settings) -> Outcome {
    // The path as the source database will hold it.
    let path = PathBuf::from(path.display().to_string());
    let (preprocessor, model) = (&settings.preprocessor, &settings.model);
    let reading = reading_for(text, settings);
    match model::build_streamed(&path, (id, text), reading, preprocessor, model) {
        Ok(Some(read)) => return Outcome::Read(read),
        Err(err) => return Outcome::Invalid(err),
        Ok(None) => {}
    }
    let document = match xml::parse(id, Arc::clone(text)) {
        Ok(document) => document,
        Err(err) => return Outcome::Invalid(err),
    };
    match build(&path, preprocess::Includes::Deferred, &document, settings) {
        Some(read) => Outcome::Read(read),
        None => Outcome::NeedsIncludes(document),
    }
}

/// Files from this size up are parsed on a thread of their own when `--jobs` allows two:
/// below it, handing nodes between threads costs more than it saves.
const READ_ALONGSIDE_FROM: usize = 1 << 20;

/// How to read a streamable file: a large one with its parser on a second thread, so that a
/// single big file (heat output) uses two cores too. With more files than jobs, that thread
/// competes with the other workers, which costs little against the size of such a file.
fn reading_for(text: &str, settings: &Settings) -> xml::Reading {
    match settings.jobs > 1 && text.len() >= READ_ALONGSIDE_FROM {
        true => xml::Reading::Alongside,
        false => xml::Reading::InTurn,
    }
}

fn build(
    path: &Path,
    includes: preprocess::Includes<'_>,
    document: &xml::Document,
    settings: &Settings,
) -> Option<FileModel> {
    let (preprocessor, model) = (&settings.preprocessor, &settings.model);
    model::build(path, includes, document, preprocessor, model)
}

/// The config's `[reads]` entries become annotations of the custom actions they name.
fn add_configured_reads(model: &mut WixModel, reads: &[(String, Spanned<String>)]) {
    for (action, annotation) in reads {
        let custom_actions = model
            .sections
            .iter_mut()
            .flat_map(|section| section.custom_actions.iter_mut());
        for custom in custom_actions.filter(|custom| custom.id.value == *action) {
            Arc::make_mut(custom).annotations.push(annotation.clone());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_with_much_of_a_threads_work_are_loaded_first() {
        let input = |name: &str, size: usize| Bytes {
            path: name.into(),
            bytes: Ok(vec![b' '; size]),
        };
        let mut inputs: Vec<Bytes> = (0..40).map(|n| input(&format!("{n}.wxs"), 10)).collect();
        inputs[7] = input("big.wxs", 10_000);
        inputs[30] = input("bigger.wxs", 20_000);
        inputs.push(Bytes {
            path: "gone.wxs".into(),
            bytes: Err(std::io::ErrorKind::NotFound.into()),
        });
        let order: Vec<usize> = largest_first(inputs, 2)
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        let rest = (0..41).filter(|&n| n != 7 && n != 30);
        assert_eq!(order, [7, 30].into_iter().chain(rest).collect::<Vec<_>>());
    }

    #[test]
    fn every_file_is_read_once_on_any_number_of_threads() {
        let dir = std::env::temp_dir().join(format!("wixcheck-read-all-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let paths: Vec<PathBuf> = (0..5).map(|n| dir.join(format!("{n}.wxs"))).collect();
        for (n, path) in paths.iter().enumerate() {
            std::fs::write(path, n.to_string()).unwrap();
        }
        for jobs in 1..=7 {
            let mut inputs: Vec<Input> = paths.iter().cloned().map(Input::read).collect();
            inputs.push(Input::with_bytes("given".into(), Ok(b"kept".to_vec())));
            let read: Vec<Vec<u8>> = read_all(inputs, jobs)
                .into_iter()
                .map(|input| input.bytes.unwrap())
                .collect();
            assert_eq!(
                read,
                ["0", "1", "2", "3", "4", "kept"].map(|s| s.as_bytes().to_vec())
            );
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
