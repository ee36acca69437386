//! Screening a file while it is streamed. [`stream`](super::stream) reads a file without a
//! tree only if it has no processing instruction after the XML declaration (so no
//! preprocessor directive), no character XML forbids and no second byte order mark. Rather
//! than scan the whole file before its first event, the text is screened a little ahead of
//! each event before the handler gets it (by the parser when reading in turn, by the
//! handler's thread when reading alongside): on a large file read alongside the scan then
//! runs while the other thread parses, instead of before either thread starts. When the
//! screen finds one, the stream stops and the file is parsed into a tree, which reports the
//! character or holds the instructions.

use super::first_forbidden_char;

/// How far past an event the screen looks, so that it runs once per many events.
const AHEAD: usize = 64 * 1024;

pub(super) struct Screen {
    /// The text before this offset is clear.
    clear_to: usize,
    /// Where instructions may start: after the XML declaration, if the file has one.
    body_start: usize,
}

impl Screen {
    pub fn new(text: &str) -> Screen {
        let body_start = match text.starts_with("<?xml") {
            true => text.find("?>").map_or(text.len(), |end| end + 2),
            false => 0,
        };
        Screen {
            clear_to: 0,
            body_start,
        }
    }

    /// Whether `text` is clear up to `end`; it is screened further ahead at the same time.
    pub fn clear_through(&mut self, text: &str, end: usize) -> bool {
        if end <= self.clear_to && self.clear_to > 0 {
            return true;
        }
        let from = self.clear_to;
        let mut to = end.saturating_add(AHEAD).min(text.len());
        while !text.is_char_boundary(to) {
            to += 1;
        }
        self.clear_to = to;
        let second_mark = from == 0 && text.starts_with('\u{FEFF}');
        let part = text.get(from..to).unwrap_or_default();
        !second_mark
            && !has_instruction(text.as_bytes(), self.body_start.max(from), to)
            && first_forbidden_char(part).is_none()
    }
}

/// Whether an instruction starts in `bytes[from..to]`: `?` is rare in XML and `<` is
/// everywhere, so the scan looks for the one and then at the byte before it.
fn has_instruction(bytes: &[u8], from: usize, to: usize) -> bool {
    let Some(part) = bytes.get(from..to) else {
        return false;
    };
    memchr::memchr_iter(b'?', part).any(|at| {
        let at = from + at;
        at > 0 && bytes[at - 1] == b'<'
    })
}
