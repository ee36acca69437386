//! Finds the name and the attributes inside a start tag, with their byte ranges.
//!
//! quick-xml reports where a tag starts and ends but not where its attributes are, so the
//! raw tag text is scanned here: once when the file is parsed, to check it, and again each
//! time an element's attributes are read (the tree stores no attributes, to stay small; the
//! second scan cannot fail). Offsets are absolute (into the whole file). [`Declarations`]
//! tells which tags may declare a namespace.

/// Byte range `start..end` in the file.
pub type Range = (usize, usize);

/// A name as written: where it is, and where its local part starts (after `prefix:`).
#[derive(Clone, Copy)]
pub struct Name {
    pub start: usize,
    pub local: usize,
    pub end: usize,
}

impl Name {
    pub fn range(self) -> Range {
        (self.start, self.end)
    }

    /// The prefix, if the name has one.
    pub fn prefix(self, text: &str) -> Option<&str> {
        (self.local > self.start).then(|| &text[self.start..self.local - 1])
    }

    pub fn local(self, text: &str) -> &str {
        &text[self.local..self.end]
    }

    pub fn qualified(self, text: &str) -> &str {
        &text[self.start..self.end]
    }
}

#[derive(Clone, Copy)]
pub struct RawAttribute {
    pub name: Name,
    /// Between the quotes.
    pub value: Range,
}

/// A malformed tag: where, and what was expected.
pub struct TagError {
    pub offset: usize,
    pub message: String,
}

/// The tag `text[start..end]` (`<name attr="v" ...>` or `<name .../>`): the range of its
/// name, and its attributes.
pub fn start_tag(text: &str, start: usize, end: usize) -> (Name, Attributes<'_>) {
    let bytes = text.as_bytes();
    let close = match bytes.get(end.wrapping_sub(2)) {
        Some(b'/') => end - 2,
        _ => end.saturating_sub(1),
    };
    let name = read_name(bytes, start + 1, close);
    let attributes = Attributes {
        bytes,
        at: name.end,
        close,
    };
    (name, attributes)
}

/// The attributes of one start tag, in the order written; after an error, nothing more.
pub struct Attributes<'t> {
    bytes: &'t [u8],
    at: usize,
    /// Where the attributes end: the `/` of `/>`, or the `>`.
    close: usize,
}

impl Iterator for Attributes<'_> {
    type Item = Result<RawAttribute, TagError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.at >= self.close {
            return None;
        }
        let scanned = self.read_one();
        self.at = match &scanned {
            Ok(Some(attribute)) => attribute.value.1 + 1,
            Ok(None) | Err(_) => self.close,
        };
        scanned.transpose()
    }
}

impl Attributes<'_> {
    /// The attribute at `self.at`, or `None` when only whitespace is left.
    fn read_one(&self) -> Result<Option<RawAttribute>, TagError> {
        let (bytes, close) = (self.bytes, self.close);
        let at = skip_space(bytes, self.at, close);
        if at >= close {
            return Ok(None);
        }
        if at == self.at {
            return Err(error(at, "expected whitespace before the next attribute"));
        }
        let name = read_name(bytes, at, close);
        if name.end == name.start {
            return Err(error(at, "expected an attribute name"));
        }
        let at = skip_space(bytes, name.end, close);
        if bytes.get(at) != Some(&b'=') || at >= close {
            return Err(error(at, "expected `=` after the attribute name"));
        }
        let at = skip_space(bytes, at + 1, close);
        let quote = match bytes.get(at) {
            Some(&q @ (b'"' | b'\'')) if at < close => q,
            _ => return Err(error(at, "expected a quoted attribute value")),
        };
        let value_start = at + 1;
        let rest = bytes.get(value_start..close).unwrap_or_default();
        match memchr::memchr2(quote, b'<', rest) {
            Some(len) if rest[len] == quote => Ok(Some(RawAttribute {
                name,
                value: (value_start, value_start + len),
            })),
            Some(lt) => Err(error(
                value_start + lt,
                "`<` is not allowed in an attribute value; write `&lt;`",
            )),
            None => Err(error(at, "the attribute value has no closing quote")),
        }
    }
}

/// The name starting at `start`: up to whitespace, `=`, `/` or `>`.
fn read_name(bytes: &[u8], start: usize, limit: usize) -> Name {
    let mut local = start;
    let mut end = start;
    for &byte in &bytes[start.min(limit)..limit.min(bytes.len())] {
        match NAME_BYTES[usize::from(byte)] {
            NameByte::Ends => break,
            NameByte::Colon if local == start => local = end + 1,
            NameByte::Colon | NameByte::Other => {}
        }
        end += 1;
    }
    Name { start, local, end }
}

/// What a byte does in a name: one table lookup per byte is cheaper than the comparisons
/// (names are a good part of a file's bytes).
#[derive(Clone, Copy)]
enum NameByte {
    Ends,
    Colon,
    Other,
}

const NAME_BYTES: [NameByte; 256] = {
    let mut table = [NameByte::Other; 256];
    let ends = *b" \t\r\n=/>";
    let mut index = 0;
    while index < ends.len() {
        table[ends[index] as usize] = NameByte::Ends;
        index += 1;
    }
    table[b':' as usize] = NameByte::Colon;
    table
};

fn skip_space(bytes: &[u8], mut at: usize, limit: usize) -> usize {
    while at < limit && matches!(bytes[at], b' ' | b'\t' | b'\r' | b'\n') {
        at += 1;
    }
    at
}

fn error(offset: usize, message: &str) -> TagError {
    TagError {
        offset,
        message: message.to_string(),
    }
}

/// Where `xmlns` is written in a text, found a large chunk at a time ahead of the tags asked
/// about (one search per chunk is much cheaper than one per tag, and most tags bind nothing).
pub struct Declarations {
    /// Found and not yet passed, in order.
    ahead: std::collections::VecDeque<usize>,
    /// The text before this offset has been searched.
    searched_to: usize,
}

/// How far ahead of a tag [`Declarations`] searches.
const SEARCH_AHEAD: usize = 64 * 1024;

impl Declarations {
    pub fn new() -> Declarations {
        Declarations {
            ahead: std::collections::VecDeque::new(),
            searched_to: 0,
        }
    }

    /// Whether `xmlns` is written within `bytes[start..end]`. Tags must be asked about in
    /// the order they come.
    pub fn within(&mut self, bytes: &[u8], start: usize, end: usize) -> bool {
        const XMLNS: &[u8] = b"xmlns";
        if end > self.searched_to {
            // Back by four bytes, for a word that the last chunk's end cut.
            let from = self.searched_to.saturating_sub(XMLNS.len() - 1);
            let to = end.saturating_add(SEARCH_AHEAD).min(bytes.len());
            let chunk = bytes.get(from..to).unwrap_or_default();
            let found = memchr::memmem::find_iter(chunk, XMLNS).map(|at| from + at);
            self.ahead.extend(found);
            self.searched_to = to;
        }
        while self.ahead.front().is_some_and(|&at| at < start) {
            self.ahead.pop_front();
        }
        self.ahead
            .front()
            .is_some_and(|&at| at + XMLNS.len() <= end)
    }
}
