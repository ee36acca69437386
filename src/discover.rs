//! Turning the paths on the command line into the list of files to read.
//!
//! Files are taken as given; directories are walked (walkdir) for `*.wxs`, skipping `bin/`,
//! `obj/` and `.git/`, in sorted order so runs are deterministic. The same file given twice
//! is read once. A path that does not exist is a usage error.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Directories never searched for sources.
const SKIPPED_DIRECTORIES: [&str; 3] = ["bin", "obj", ".git"];

/// Why a path could not be used.
#[derive(Debug)]
pub struct PathError {
    pub path: PathBuf,
    pub message: String,
}

/// The files to check, in command-line order (directories expanded in sorted order).
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, PathError> {
    let mut files = Vec::new();
    let mut seen = BTreeSet::new();
    for path in paths {
        if path.is_dir() {
            for file in walk(path)? {
                if seen.insert(file.clone()) {
                    files.push(file);
                }
            }
        } else if path.exists() {
            if seen.insert(path.clone()) {
                files.push(path.clone());
            }
        } else {
            return Err(PathError {
                path: path.clone(),
                message: "no such file or directory".to_string(),
            });
        }
    }
    Ok(files)
}

fn walk(root: &Path) -> Result<Vec<PathBuf>, PathError> {
    let mut files = Vec::new();
    let walker = WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0
                || !(entry.file_type().is_dir()
                    && SKIPPED_DIRECTORIES
                        .iter()
                        .any(|skip| entry.file_name() == *skip))
        });
    for entry in walker {
        let entry = entry.map_err(|err| PathError {
            path: err.path().unwrap_or(root).to_path_buf(),
            message: err.to_string(),
        })?;
        let is_source = entry
            .path()
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("wxs"));
        if entry.file_type().is_file() && is_source {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}
