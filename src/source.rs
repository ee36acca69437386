//! The text of every file in a run, addressed by [`FileId`] and byte offsets.
//!
//! Everything downstream of reading stores positions as byte ranges ([`Span`]) into the
//! decoded text kept here; line and column numbers are computed only when output is rendered,
//! from a line index built once per file, so looking up a position never rescans the text.

use std::fmt;

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

/// One file: the path as the user wrote it, its decoded text and where its lines start.
pub struct SourceFile {
    path: String,
    text: String,
    line_starts: Vec<u32>,
}

impl SourceFile {
    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// 1-based line and column of a byte offset; columns count characters, not bytes.
    pub fn line_column(&self, offset: u32) -> (usize, usize) {
        let offset = offset.min(offset_len(&self.text));
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let line_start = self.line_starts[line] as usize;
        let end = floor_char_boundary(&self.text, offset as usize);
        let column = self.text[line_start..end].chars().count() + 1;
        (line + 1, column)
    }
}

fn offset_len(text: &str) -> u32 {
    offset(text.len())
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
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
    pub fn add(&mut self, path: impl Into<String>, text: String) -> FileId {
        let line_starts = std::iter::once(0)
            .chain(
                text.bytes()
                    .enumerate()
                    .filter(|&(_, byte)| byte == b'\n')
                    .map(|(index, _)| offset(index + 1)),
            )
            .collect();
        self.files.push(SourceFile {
            path: path.into(),
            text,
            line_starts,
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
}
