//! Finds the name and the attributes inside a start tag, with their byte ranges.
//!
//! quick-xml reports where a tag starts and ends but not where its attributes are, so the
//! raw tag text is scanned here. Offsets are absolute (into the whole file).

/// Byte range `start..end` in the file.
pub type Range = (usize, usize);

pub struct RawStartTag {
    pub name: Range,
    pub attributes: Vec<RawAttribute>,
}

pub struct RawAttribute {
    pub name: Range,
    /// Between the quotes.
    pub value: Range,
}

/// A malformed tag: where, and what was expected.
pub struct TagError {
    pub offset: usize,
    pub message: String,
}

/// Scans `text[start..end]`, which holds `<name attr="v" ...>` or `<name .../>`.
pub fn start_tag(text: &str, start: usize, end: usize) -> Result<RawStartTag, TagError> {
    let bytes = text.as_bytes();
    let close = if bytes[end - 2] == b'/' {
        end - 2
    } else {
        end - 1
    };
    let mut at = start + 1;
    let name = (at, name_end(bytes, at, close));
    at = name.1;
    let mut attributes = Vec::new();
    loop {
        let before_space = at;
        at = skip_space(bytes, at, close);
        if at >= close {
            break;
        }
        if at == before_space {
            return Err(error(at, "expected whitespace before the next attribute"));
        }
        let name_start = at;
        at = name_end(bytes, at, close);
        if at == name_start {
            return Err(error(at, "expected an attribute name"));
        }
        let attr_name = (name_start, at);
        at = skip_space(bytes, at, close);
        if bytes.get(at) != Some(&b'=') || at >= close {
            return Err(error(at, "expected `=` after the attribute name"));
        }
        at = skip_space(bytes, at + 1, close);
        let quote = match bytes.get(at) {
            Some(&q @ (b'"' | b'\'')) if at < close => q,
            _ => return Err(error(at, "expected a quoted attribute value")),
        };
        let value_start = at + 1;
        let Some(len) = bytes[value_start..close].iter().position(|&b| b == quote) else {
            return Err(error(at, "the attribute value has no closing quote"));
        };
        let value = (value_start, value_start + len);
        if let Some(lt) = text[value.0..value.1].find('<') {
            return Err(error(
                value.0 + lt,
                "`<` is not allowed in an attribute value; write `&lt;`",
            ));
        }
        at = value.1 + 1;
        attributes.push(RawAttribute {
            name: attr_name,
            value,
        });
    }
    Ok(RawStartTag { name, attributes })
}

fn name_end(bytes: &[u8], mut at: usize, limit: usize) -> usize {
    while at < limit && !matches!(bytes[at], b' ' | b'\t' | b'\r' | b'\n' | b'=' | b'/' | b'>') {
        at += 1;
    }
    at
}

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
