//! The text of every file in a run, addressed by [`FileId`] and byte offsets.
//!
//! Everything downstream of reading stores positions as byte ranges ([`Span`]) into the
//! decoded text kept here; line and column numbers are computed only when output is rendered,
//! from a line index built the first time a file's positions are asked for (most files of a
//! clean run never are) and, for lines longer than a [`CHECKPOINT`], a character-count index
//! built the first time a column on such a line is asked for (heat output has none, and
//! counting a 50 MiB file's characters took longer than printing its sequence tables). So
//! looking up a position costs at most one checkpoint-sized scan, however long the file or its
//! lines. The text is shared with the parsed document ([`SourceFile::shared_text`]) rather
//! than copied.

use std::fmt;
use std::sync::{Arc, OnceLock};

/// Index of a file in a [`SourceDb`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(u32);

impl FileId {
    /// The first file of a run.
    pub fn first() -> Self {
        FileId(0)
    }

    /// The id the `index`-th file added to a [`SourceDb`] gets (0-based).
    pub fn nth(index: usize) -> Self {
        FileId(offset(index))
    }
}

/// A byte range in one file's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span {
            file,
            start: offset(start),
            end: offset(end),
        }
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

fn offset(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// Bytes between two entries of a file's character-count index.
const CHECKPOINT: usize = 1024;

/// One file: the path as the user wrote it, its decoded text and its position indexes.
pub struct SourceFile {
    path: String,
    text: Arc<String>,
    /// Where each line starts.
    line_starts: OnceLock<Vec<u32>>,
    /// Characters before byte `i * CHECKPOINT`, for every checkpoint in the text.
    chars_before_checkpoint: OnceLock<Vec<u32>>,
}

/// Where each line of `text` starts.
fn line_starts(text: &str) -> Vec<u32> {
    let after_newlines = memchr::memchr_iter(b'\n', text.as_bytes()).map(|index| offset(index + 1));
    std::iter::once(0).chain(after_newlines).collect()
}

/// Characters before every checkpoint of `text`.
fn chars_before_checkpoints(text: &str) -> Vec<u32> {
    let mut chars = 0;
    let at_checkpoints = text.as_bytes().chunks(CHECKPOINT).map(|chunk| {
        chars += count_chars(chunk);
        offset(chars)
    });
    std::iter::once(0).chain(at_checkpoints).collect()
}

impl SourceFile {
    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text, shared rather than copied (a parsed document keeps it too).
    pub fn shared_text(&self) -> Arc<String> {
        Arc::clone(&self.text)
    }

    fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| line_starts(&self.text))
    }

    /// 1-based line and column of a byte offset; columns count characters, not bytes.
    pub fn line_column(&self, offset: u32) -> (usize, usize) {
        let line = self.line_index(offset as usize);
        (line + 1, self.column_index(offset as usize) + 1)
    }

    /// 0-based line of a byte offset (offsets past the end are on the last line).
    pub fn line_index(&self, at: usize) -> usize {
        let at = offset(at.min(self.text.len()));
        self.line_starts().partition_point(|&start| start <= at) - 1
    }

    /// Where a 0-based line starts, or `None` past the last line.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts().get(line).map(|&start| start as usize)
    }

    /// 0-based column, in characters, of a byte offset (rounded down to a character).
    pub fn column_index(&self, offset: usize) -> usize {
        let offset = self.floor_char_boundary(offset);
        let line_start = self.line_starts()[self.line_index(offset)] as usize;
        // A line shorter than a checkpoint is counted directly; a long one through the index.
        match offset - line_start <= CHECKPOINT {
            true => count_chars(&self.text.as_bytes()[line_start..offset]),
            false => self.chars_before(offset) - self.chars_before(line_start),
        }
    }

    /// The nearest character boundary at or before `index` (clamped to the text).
    pub fn floor_char_boundary(&self, index: usize) -> usize {
        let mut index = index.min(self.text.len());
        while !self.text.is_char_boundary(index) {
            index -= 1;
        }
        index
    }

    /// The nearest character boundary at or after `index` (clamped to the text).
    pub fn ceil_char_boundary(&self, index: usize) -> usize {
        let mut index = index.min(self.text.len());
        while !self.text.is_char_boundary(index) {
            index += 1;
        }
        index
    }

    /// How many characters the text has before byte `index` (a character boundary).
    fn chars_before(&self, index: usize) -> usize {
        let checkpoint = index / CHECKPOINT;
        let counts = self
            .chars_before_checkpoint
            .get_or_init(|| chars_before_checkpoints(&self.text));
        let counted = counts[checkpoint] as usize;
        counted + count_chars(&self.text.as_bytes()[checkpoint * CHECKPOINT..index])
    }
}

/// Characters in UTF-8 bytes: every byte that does not continue a character starts one.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&byte| byte & 0xC0 != 0x80).count()
}

/// All files read in one run.
#[derive(Default)]
pub struct SourceDb {
    files: Vec<SourceFile>,
}

impl SourceDb {
    pub fn new() -> Self {
        SourceDb::default()
    }

    /// Adds a file whose bytes are already decoded to text.
    pub fn add(&mut self, path: impl Into<String>, text: impl Into<Arc<String>>) -> FileId {
        self.files.push(SourceFile {
            path: path.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
            chars_before_checkpoint: OnceLock::new(),
        });
        FileId(offset(self.files.len() - 1))
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn text(&self, span: Span) -> &str {
        let text = self.file(span.file).text();
        text.get(span.start as usize..span.end as usize)
            .unwrap_or_default()
    }

    pub fn ids(&self) -> impl Iterator<Item = FileId> {
        (0..self.files.len()).map(|index| FileId(offset(index)))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

impl fmt::Display for FileId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "file#{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_and_lines_follow_newlines() {
        let mut db = SourceDb::new();
        let id = db.add("a.wxs", "ab\r\nçé<x/>\n".to_string());
        let file = db.file(id);
        assert_eq!(file.line_column(0), (1, 1));
        assert_eq!(file.line_column(4), (2, 1));
        let x = file.text().find("<x").unwrap() as u32;
        assert_eq!(file.line_column(x), (2, 3));
        assert_eq!(file.line_column(file.text().len() as u32), (3, 1));
    }

    #[test]
    fn columns_stay_exact_across_checkpoints_on_long_lines() {
        let line = "é".repeat(3 * CHECKPOINT) + "<x/>";
        let text = format!("a\n{line}\n");
        let mut db = SourceDb::new();
        let id = db.add("long.wxs", text.clone());
        let file = db.file(id);
        let x = text.find("<x").unwrap();
        assert_eq!(file.line_column(x as u32), (2, 3 * CHECKPOINT + 1));
        // An offset inside a character rounds down to its start.
        assert_eq!(file.line_column(5), (2, 2));
        assert_eq!(file.line_column(u32::MAX), (3, 1));
    }
}
