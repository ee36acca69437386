//! Turning the paths on the command line into the list of files to read.
//!
//! Files are taken as given, even when they cannot be read (reading reports that as a
//! finding, so the other files are still checked). Directories are walked (walkdir) for
//! `*.wxs`, skipping `bin/`, `obj/` and `.git/`, in sorted order so runs are deterministic,
//! without following symbolic links to directories, so a link loop cannot trap the walk. A
//! path that does not exist but contains `*`, `?` or `[` is a glob, expanded here because
//! cmd.exe does not (`src/*.wxs`, `**/*.wxs`); what it matches is taken like a path given
//! by hand. The same file named twice, by any spelling, is read once. A path that does not
//! exist, a glob that matches nothing and a directory that cannot be listed are usage
//! errors.

use globset::GlobBuilder;
use rustc_hash::{FxHashMap, FxHashSet};
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};
use walkdir::WalkDir;

/// Directories never searched for sources.
const SKIPPED_DIRECTORIES: [&str; 3] = ["bin", "obj", ".git"];

/// Why a path could not be used.
#[derive(Debug)]
pub struct PathError {
    pub path: PathBuf,
    pub message: String,
}

/// The files to check, in command-line order (directories and globs expanded in sorted
/// order).
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, PathError> {
    let mut found = Found::default();
    for path in paths {
        match std::fs::symlink_metadata(path) {
            Ok(_) => found.take(path, Spelling::Given)?,
            Err(_) if is_glob(path) => {
                let matches = expand_glob(path)?;
                if matches.is_empty() {
                    return Err(error(path, "no files match this pattern"));
                }
                for (matched, spelling) in matches {
                    found.take(&matched, spelling)?;
                }
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Err(error(path, "no such file or directory"));
            }
            Err(err) => return Err(error(path, &err.to_string())),
        }
    }
    Ok(found.files)
}

/// How a path is spelled, which decides how much it costs to find its canonical form.
#[derive(Clone, Copy)]
enum Spelling {
    /// As the user wrote it (any case, any link on the way), or a symbolic link.
    Given,
    /// As its directory lists it, and not a symbolic link: its canonical path is its
    /// directory's canonical path and its name.
    Listed,
}

/// The files found so far, and what identifies each (its canonical path when it has one).
#[derive(Default)]
struct Found {
    files: Vec<PathBuf>,
    seen: FxHashSet<PathBuf>,
    /// The canonical path of each directory a listed file was found in (`None`: it has
    /// none), so that a walk canonicalizes each directory once rather than every file. Keyed
    /// by the directory as spelled, which its files share byte for byte.
    directories: FxHashMap<OsString, Option<PathBuf>>,
}

impl Found {
    /// Takes a path that exists: a directory is walked, anything else is a file to read.
    fn take(&mut self, path: &Path, spelling: Spelling) -> Result<(), PathError> {
        if path.is_dir() {
            let files = walk(path)?;
            if files.is_empty() {
                return Err(error(path, "the directory holds no .wxs files"));
            }
            self.files.reserve(files.len());
            self.seen.reserve(files.len());
            for (file, spelling) in files {
                self.add(file, spelling);
            }
        } else {
            self.add(path.to_path_buf(), spelling);
        }
        Ok(())
    }

    fn add(&mut self, file: PathBuf, spelling: Spelling) {
        let identity = self
            .canonical(&file, spelling)
            .unwrap_or_else(|| file.clone());
        if self.seen.insert(identity) {
            self.files.push(file);
        }
    }

    /// The canonical path of a file, as [`std::fs::canonicalize`] gives it.
    fn canonical(&mut self, file: &Path, spelling: Spelling) -> Option<PathBuf> {
        let (Spelling::Listed, Some(directory), Some(name)) =
            (spelling, file.parent(), file.file_name())
        else {
            return std::fs::canonicalize(file).ok();
        };
        let directory = match directory.as_os_str().is_empty() {
            true => Path::new("."),
            false => directory,
        };
        let canonical = match self.directories.get(directory.as_os_str()) {
            Some(canonical) => canonical,
            None => self
                .directories
                .entry(directory.as_os_str().to_owned())
                .or_insert(std::fs::canonicalize(directory).ok()),
        };
        canonical.as_ref().map(|canonical| canonical.join(name))
    }
}

/// Whether a path that does not exist is meant as a pattern.
fn is_glob(path: &Path) -> bool {
    path.to_string_lossy().contains(['*', '?', '['])
}

/// The existing paths a glob matches, sorted; the walk starts at the pattern's longest
/// literal directory and goes only as deep as the pattern can reach.
fn expand_glob(pattern: &Path) -> Result<Vec<(PathBuf, Spelling)>, PathError> {
    let text = pattern.to_string_lossy();
    let matcher = GlobBuilder::new(&text)
        .literal_separator(true)
        .build()
        .map_err(|err| error(pattern, &format!("not a valid pattern: {}", err.kind())))?
        .compile_matcher();
    let components: Vec<Component<'_>> = pattern.components().collect();
    let literal = components
        .iter()
        .take_while(|c| !is_glob(Path::new(c.as_os_str())))
        .count();
    let base: PathBuf = match literal {
        0 => PathBuf::from("."),
        _ => components[..literal].iter().collect(),
    };
    if !base.is_dir() {
        return Ok(Vec::new());
    }
    let rest = &components[literal..];
    let depth = match rest.iter().any(|c| c.as_os_str() == "**") {
        true => usize::MAX,
        false => rest.len(),
    };
    let mut matches = Vec::new();
    for entry in entries(&base, depth) {
        let entry = entry?;
        let path = match literal {
            // Match `*.wxs` against `a.wxs`, not `./a.wxs`.
            0 => entry.path().strip_prefix(".").unwrap_or(entry.path()),
            _ => entry.path(),
        };
        if entry.depth() > 0 && matcher.is_match(path) {
            matches.push((path.to_path_buf(), listed(&entry)));
        }
    }
    Ok(matches)
}

/// The `.wxs` files under a directory.
fn walk(root: &Path) -> Result<Vec<(PathBuf, Spelling)>, PathError> {
    let mut files = Vec::new();
    for entry in entries(root, usize::MAX) {
        let entry = entry?;
        let is_source = entry
            .path()
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("wxs"));
        // A link is taken unless it leads to a directory; one that leads nowhere (or round
        // in a loop) is then reported when it cannot be read.
        let is_file =
            entry.file_type().is_file() || (entry.path_is_symlink() && !entry.path().is_dir());
        if is_file && is_source {
            let spelling = listed(&entry);
            files.push((entry.into_path(), spelling));
        }
    }
    Ok(files)
}

/// How a path a walk found is spelled: the walk does not follow links to directories, so
/// every directory on the way is a real one.
fn listed(entry: &walkdir::DirEntry) -> Spelling {
    match entry.path_is_symlink() {
        true => Spelling::Given,
        false => Spelling::Listed,
    }
}

/// Everything under `root` down to `max_depth`, skipping [`SKIPPED_DIRECTORIES`], each
/// directory's entries sorted by name. Entries listed together share their directory's path
/// as a prefix, so their whole paths compare as their names do, without looking for where
/// each name starts (which walkdir's `sort_by_file_name` does on every comparison).
fn entries(
    root: &Path,
    max_depth: usize,
) -> impl Iterator<Item = Result<walkdir::DirEntry, PathError>> + '_ {
    WalkDir::new(root)
        .max_depth(max_depth)
        .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0
                || !(entry.file_type().is_dir()
                    && SKIPPED_DIRECTORIES
                        .iter()
                        .any(|skip| entry.file_name() == *skip))
        })
        .map(move |entry| {
            entry.map_err(|err| PathError {
                path: err.path().unwrap_or(root).to_path_buf(),
                message: match err.io_error() {
                    Some(io) => format!("cannot read the directory: {io}"),
                    None => err.to_string(),
                },
            })
        })
}

fn error(path: &Path, message: &str) -> PathError {
    PathError {
        path: path.to_path_buf(),
        message: message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_are_told_from_paths() {
        assert!(is_glob(Path::new("src/*.wxs")));
        assert!(is_glob(Path::new("**/x?.wxs")));
        assert!(!is_glob(Path::new("src/product.wxs")));
    }
}
