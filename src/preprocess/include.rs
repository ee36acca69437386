//! Finding and reading the files named by `<?include?>`.
//!
//! [`resolve`] searches like WiX: an absolute path as is; a relative one first next to the
//! including file, then in each `-I` directory in order. Because wixcheck also runs where
//! WiX does not, a `\` in the written path is a separator everywhere, and a path whose case
//! differs from the file on a case-sensitive file system is still found (Windows would find
//! it). [`read`] decodes the file's bytes; nothing here ever writes a file.

use std::path::{Component, Path, PathBuf};

/// Strips matching quotes and normalises separators in the path an `<?include?>` names.
pub(crate) fn written_path(argument: &str) -> String {
    let trimmed = argument.trim();
    let unquoted = [('"', '"'), ('\'', '\'')]
        .iter()
        .find_map(|&(open, close)| {
            trimmed
                .strip_prefix(open)
                .and_then(|t| t.strip_suffix(close))
        })
        .unwrap_or(trimmed);
    if std::path::MAIN_SEPARATOR == '\\' {
        unquoted.to_string()
    } else {
        unquoted.replace('\\', "/")
    }
}

/// The file `written` refers to, or every place that was tried.
pub(crate) fn resolve(
    written: &str,
    including_file: &Path,
    include_dirs: &[PathBuf],
) -> Result<PathBuf, Vec<PathBuf>> {
    let path = Path::new(written);
    let candidates: Vec<PathBuf> = if path.is_absolute() {
        vec![path.to_path_buf()]
    } else {
        let here = including_file.parent().unwrap_or_else(|| Path::new(""));
        std::iter::once(here)
            .chain(include_dirs.iter().map(PathBuf::as_path))
            .map(|dir| normalize(&dir.join(path)))
            .collect()
    };
    for candidate in &candidates {
        if let Some(found) = find_file(candidate) {
            return Ok(found);
        }
    }
    Err(candidates)
}

/// `path` if it is a file, else the file whose path matches it ignoring case.
fn find_file(path: &Path) -> Option<PathBuf> {
    if path.is_file() {
        return Some(path.to_path_buf());
    }
    let mut found = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Normal(name) => {
                let exact = found.join(name);
                if exact.exists() {
                    found = exact;
                    continue;
                }
                let dir = if found.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    found.as_path()
                };
                let wanted = name.to_string_lossy().to_lowercase();
                let matched = std::fs::read_dir(dir)
                    .ok()?
                    .filter_map(Result::ok)
                    .map(|entry| entry.file_name())
                    .filter(|entry| entry.to_string_lossy().to_lowercase() == wanted)
                    .min()?;
                found.push(matched);
            }
            other => found.push(other.as_os_str()),
        }
    }
    found.is_file().then_some(found)
}

/// Removes `.` and resolves `..` against earlier names, without touching the file system.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(component),
            },
            other => out.push(other),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().map(|c| c.as_os_str()).collect()
}

/// The absolute, normalised form of `path`, as WiX's `Path.GetFullPath`.
pub(crate) fn absolute(path: &Path) -> PathBuf {
    normalize(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// What identifies a file for cycle detection: its canonical path when it exists.
pub(crate) fn identity(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| absolute(path))
}

/// Reads a file as text with the crate's decoder (BOM, XML declaration, else UTF-8).
pub(crate) fn read(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|err| err.to_string())?;
    crate::decode::decode(bytes).map_err(|err| {
        let (line, column) = err.line_column();
        format!("{} (line {line}, column {column})", err.message)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_paths_lose_quotes_and_backslashes() {
        assert_eq!(written_path(" \"a b.wxi\" "), "a b.wxi");
        assert_eq!(written_path("'x.wxi'"), "x.wxi");
        if std::path::MAIN_SEPARATOR == '/' {
            assert_eq!(written_path(r"..\inc\x.wxi"), "../inc/x.wxi");
        }
    }

    #[test]
    fn normalize_is_lexical() {
        assert_eq!(normalize(Path::new("a/./b/../c")), PathBuf::from("a/c"));
        assert_eq!(normalize(Path::new("../a")), PathBuf::from("../a"));
        assert_eq!(normalize(Path::new("/../a")), PathBuf::from("/a"));
    }
}
