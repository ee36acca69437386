//! One file's text as miette reads it, answered from the [`SourceDb`] line index.
//!
//! miette's own `SourceCode` for strings scans from the start of the file on every call and
//! needs an owned copy per diagnostic, so thousands of findings in a large file cost the file
//! size each. [`Snippet`] borrows the text and hands miette only the lines around a span (a
//! bounded piece of them when lines are very long, as in minified XML), with the line and
//! character column from the index, so rendering one finding costs the size of its snippet.

use crate::source::SourceFile;
use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// Longest piece of text shown around a span before lines are cut (bytes).
const MAX_WINDOW: usize = 16 * 1024;
/// How much of a line is shown on each side of a span when lines are cut (bytes).
const CUT_MARGIN: usize = 120;
/// How much of a long span itself is shown when lines are cut (bytes).
const CUT_SPAN: usize = 1024;

/// How many lines past a label's snippet another label may be and still share the snippet.
const MERGE_LINES: usize = 32;

/// A file of the run, named as the user wrote its path.
pub struct Snippet<'db> {
    pub file: &'db SourceFile,
}

impl SourceCode for Snippet<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let file = self.file;
        let text = file.text();
        let start = span.offset();
        let end = start.saturating_add(span.len());
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first_line = file.line_index(start).saturating_sub(context_lines_before);
        let last_line = file.line_index(end.saturating_sub(1).max(start));
        let window_start = file.line_start(first_line).unwrap_or_default();
        let window_end = file
            .line_start(last_line + context_lines_after + 1)
            .unwrap_or(text.len());
        let (from, to) = if window_end - window_start > MAX_WINDOW {
            cut(file, start, end)
        } else {
            (window_start, window_end)
        };
        let window = &text.as_bytes()[from..to];
        let shifted = SourceSpan::new((start - from).into(), end.min(to) - start);
        let inner = window.read_span(&shifted, context_lines_before, context_lines_after)?;
        let data_start = from + inner.span().offset();
        let first = file.line_index(from);
        // miette draws two labels in one snippet when `line + line_count` reaches the second
        // label's line. Its own sources count lines from the start of the file, so labels
        // up to twice as far down share a snippet that shows every line between them; the
        // same count is kept (short files render as they always did), capped so that a
        // label more than MERGE_LINES further down gets a snippet of its own.
        let covered = inner.line_count().saturating_sub(inner.line());
        let line_count = (first + inner.line_count()).min(covered + MERGE_LINES);
        Ok(Box::new(MietteSpanContents::new_named(
            file.path().to_string(),
            inner.data(),
            SourceSpan::new(data_start.into(), inner.span().len()),
            first + inner.line(),
            file.column_index(data_start),
            line_count,
        )))
    }
}

/// A bounded piece of the text around `start..end`, on character boundaries.
fn cut(file: &SourceFile, start: usize, end: usize) -> (usize, usize) {
    let from = file.floor_char_boundary(start.saturating_sub(CUT_MARGIN));
    let shown_end = end.min(start.saturating_add(CUT_SPAN));
    let to = file.ceil_char_boundary(shown_end.saturating_add(CUT_MARGIN));
    (from, to)
}

#[cfg(test)]
mod tests {
    use crate::render::human;
    use crate::rules::input::invalid_xml::INVALID_XML;
    use crate::source::{SourceDb, Span};

    /// Renders a finding at `needle` (and a label on the first character, if `label`).
    fn render(text: &str, needle: &str, len: usize, label: bool) -> String {
        let mut db = SourceDb::new();
        let id = db.add("t.wxs", text.to_string());
        let at = text.find(needle).unwrap();
        let mut diagnostic = INVALID_XML.diagnostic(Span::new(id, at, at + len), "here");
        if label {
            diagnostic = diagnostic.with_label(Span::new(id, 0, 1), "and the start");
        }
        human::render(&db, &[diagnostic], false)
    }

    #[test]
    fn the_header_counts_characters_and_context_lines_surround_the_span() {
        let text = "<a>\n<b/>\n  <!-- çé€ --><c/>\n<d/>\n<e/>\n";
        let out = render(text, "<c/>", 4, true);
        assert!(out.contains("[t.wxs:3:15]"), "{out}");
        assert!(out.contains("<b/>") && out.contains("<d/>"), "{out}");
    }

    #[test]
    fn labels_far_apart_get_snippets_of_their_own() {
        let filler = "<x/>\n".repeat(5000);
        let text = format!("<a>\n{filler}<first/>\n{filler}<second/>\n</a>\n");
        let mut db = SourceDb::new();
        let id = db.add("t.wxs", text.clone());
        let at = |needle: &str| text.find(needle).unwrap();
        let (first, second) = (at("<first/>"), at("<second/>"));
        let diagnostic = INVALID_XML
            .diagnostic(Span::new(id, first, first + 8), "here")
            .with_label(Span::new(id, second, second + 9), "and there");
        let out = human::render(&db, &[diagnostic], false);
        assert!(
            out.contains("[t.wxs:5002:1]") && out.contains("[t.wxs:10003:1]"),
            "{out}"
        );
        assert!(out.contains("and there"), "{out}");
        assert!(out.lines().count() < 30, "{out}");
        // Labels a few lines apart still share one snippet, as miette draws them.
        let near = Span::new(id, first - 10, first - 6);
        let diagnostic = INVALID_XML
            .diagnostic(Span::new(id, first, first + 8), "here")
            .with_label(near, "just before");
        let out = human::render(&db, &[diagnostic], false);
        assert_eq!(out.matches("╭─[").count(), 1, "{out}");
    }

    #[test]
    fn very_long_lines_are_cut_around_the_span() {
        let filler = "é".repeat(2 * super::MAX_WINDOW);
        let text = format!("<a>{filler}<target/>{filler}</a>\n");
        let column = 4 + 2 * super::MAX_WINDOW;
        let out = render(&text, "<target/>", "<target/>".len(), false);
        assert!(out.contains(&format!("[t.wxs:1:{column}]")), "{out}");
        assert!(out.contains("<target/>"), "{out}");
        assert!(
            out.len() < 4 * super::CUT_MARGIN + 1000,
            "{} bytes",
            out.len()
        );
        // Labels far apart on one line make miette ask for the span between them: it is cut
        // to its start, so the output stays small (the far label is then not drawn).
        let out = render(&text, "<target/>", "<target/>".len(), true);
        assert!(out.contains(&format!("[t.wxs:1:{column}]")), "{out}");
        let limit = 4 * (super::CUT_MARGIN + super::CUT_SPAN) + 1000;
        assert!(out.len() < limit, "{} bytes", out.len());
    }
}
