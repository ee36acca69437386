//! The settings of a run: the command-line arguments merged with `wixcheck.toml`, and the
//! inputs the paths name (files, directories, and `-` for standard input).
//!
//! The command line wins: `-d NAME=VALUE` replaces the config's define of that name, `-I`
//! directories are searched before the config's `include-dirs`, `--wix` replaces `wix`.
//! The config's `exclude` globs drop files from the inputs.

use super::args::{Arch, SourceArgs};
use super::UsageError;
use crate::analysis::{self, Input};
use crate::config::{self, Config};
use crate::diagnostic::Diagnostic;
use crate::discover::discover;
use crate::source::SourceDb;
use rustc_hash::FxHashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

/// What the analysis of a run starts from.
pub struct Prepared {
    /// Holds the config file, if one was read.
    pub db: SourceDb,
    /// Problems in the config file.
    pub diagnostics: Vec<Diagnostic>,
    pub inputs: Vec<Input>,
    pub settings: analysis::Settings,
    /// The defines in force, for `order`'s header.
    pub defines: Vec<(String, String)>,
}

/// Reads the config and the inputs the arguments name.
pub fn prepare(sources: &SourceArgs) -> Result<Prepared, UsageError> {
    let mut db = SourceDb::new();
    let mut diagnostics = Vec::new();
    let config = read_config(sources.config.as_deref(), &mut db, &mut diagnostics)?;
    let inputs = inputs(sources, &config)?;
    let mut defines = config.defines.clone();
    for define in &sources.defines {
        let (name, value) = define.split_once('=').unwrap_or((define.as_str(), ""));
        if name.is_empty() {
            return Err(UsageError(format!("`-d {define}`: expected NAME=VALUE")));
        }
        defines.retain(|(existing, _)| existing != name);
        defines.push((name.to_string(), value.to_string()));
    }
    let wix = sources.wix.or(config.wix);
    let include_dirs = sources
        .include_dirs
        .iter()
        .chain(&config.include_dirs)
        .cloned()
        .collect();
    let jobs = sources.jobs.map_or_else(
        || std::thread::available_parallelism().map_or(1, usize::from),
        usize::from,
    );
    let settings = analysis::Settings {
        preprocessor: crate::preprocess::Settings {
            defines: defines.clone(),
            include_dirs,
            arch: sources.arch.as_str().to_string(),
            wix_major: wix,
        },
        model: crate::model::BuildSettings {
            requested_version: wix,
            arch_64: sources.arch != Arch::X86,
        },
        levels: config.levels,
        reads: config.reads,
        jobs,
    };
    Ok(Prepared {
        db,
        diagnostics,
        inputs,
        settings,
        defines,
    })
}

/// The config named by `--config`, else the closest `wixcheck.toml`, else none.
fn read_config(
    explicit: Option<&Path>,
    db: &mut SourceDb,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Config, UsageError> {
    let found = match explicit {
        Some(path) => Some(path.to_path_buf()),
        None => std::env::current_dir()
            .ok()
            .and_then(|cwd| config::discover(&cwd)),
    };
    let Some(path) = found else {
        return Ok(Config::default());
    };
    config::load(db, &path, diagnostics)
        .map_err(|err| UsageError(format!("cannot read the config {}: {err}", path.display())))
}

/// The files to check, in command-line order; `-` reads standard input in its place.
fn inputs(sources: &SourceArgs, config: &Config) -> Result<Vec<Input>, UsageError> {
    if sources.paths.is_empty() {
        return Err(UsageError(
            "no input files; give .wxs files or directories".to_string(),
        ));
    }
    let is_stdin = |path: &PathBuf| path.as_os_str() == "-";
    if sources.paths.iter().filter(|path| is_stdin(path)).count() > 1 {
        return Err(UsageError(
            "`-` (standard input) may be given only once".to_string(),
        ));
    }
    let mut inputs = Vec::new();
    // Discovery names each file once; only a file named both before and after `-` could
    // come twice.
    let segments = sources.paths.split(is_stdin).count();
    let mut seen = FxHashSet::default();
    for (index, segment) in sources.paths.split(is_stdin).enumerate() {
        if index > 0 {
            inputs.push(read_stdin(sources.stdin_filename.as_deref()));
        }
        if segment.is_empty() {
            continue;
        }
        let files = discover(segment)
            .map_err(|err| UsageError(format!("{}: {}", err.path.display(), err.message)))?;
        for file in files {
            if !config.excludes(&file) && (segments == 1 || seen.insert(file.clone())) {
                inputs.push(Input::read(file));
            }
        }
    }
    if inputs.is_empty() {
        return Err(UsageError(
            "no .wxs files found in the given paths (after the config's excludes)".to_string(),
        ));
    }
    Ok(inputs)
}

fn read_stdin(name: Option<&Path>) -> Input {
    let mut bytes = Vec::new();
    let read = std::io::stdin().read_to_end(&mut bytes).map(|_| bytes);
    let path = name.map_or_else(|| PathBuf::from("<stdin>"), Path::to_path_buf);
    Input::with_bytes(path, read)
}
