//! Turning a file's bytes into text, choosing the encoding as an XML parser does.
//!
//! A byte order mark decides first (UTF-8, UTF-16 LE or BE); then UTF-16 without a mark is
//! recognised from how `<?` is written; then the `encoding` of the XML declaration names the
//! encoding (any label the WHATWG Encoding Standard knows, through encoding_rs, with
//! `iso-8859-1` and its aliases read as true Latin-1 like .NET, which WiX runs on); without
//! one the file is UTF-8. Bytes that are not text in that encoding are a [`DecodeError`]
//! that carries the text decoded before them, so the problem can be shown at its line and
//! column.

use encoding_rs::{DecoderResult, Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// Bytes that are not text in the file's encoding.
#[derive(Debug)]
pub struct DecodeError {
    /// Where the first bad byte is, in the file's bytes.
    pub offset: usize,
    /// The text before it, decoded.
    pub decoded: String,
    pub message: String,
}

impl DecodeError {
    /// 1-based line and column (in characters) of the first bad byte.
    pub fn line_column(&self) -> (usize, usize) {
        let line_start = self.decoded.rfind('\n').map_or(0, |newline| newline + 1);
        let line = self.decoded.matches('\n').count() + 1;
        (line, self.decoded[line_start..].chars().count() + 1)
    }
}

/// How far into a file the XML declaration may reach.
const DECLARATION_LIMIT: usize = 1024;

/// Labels that .NET reads as ISO-8859-1 proper (WHATWG reads them as windows-1252).
const LATIN1_LABELS: [&str; 8] = [
    "iso-8859-1",
    "iso_8859-1",
    "iso8859-1",
    "latin1",
    "l1",
    "iso-ir-100",
    "cp819",
    "ibm819",
];

/// How the bytes after a byte order mark (if any) are to be read.
enum Choice {
    Encoding(&'static Encoding),
    /// True ISO-8859-1, as .NET reads it.
    Latin1,
}

/// Decodes a source file. UTF-8 text, the usual case, keeps its buffer: a file of tens of
/// megabytes is validated in place rather than copied.
pub fn decode(bytes: Vec<u8>) -> Result<String, DecodeError> {
    match choose(&bytes)? {
        (Choice::Encoding(encoding), skipped) if encoding == UTF_8 => utf8(bytes, skipped),
        (Choice::Encoding(encoding), skipped) => {
            with_encoding(encoding, &bytes[skipped..], skipped)
        }
        (Choice::Latin1, _) => Ok(bytes.iter().map(|&byte| char::from(byte)).collect()),
    }
}

/// The encoding and how many bytes of byte order mark precede the text.
fn choose(bytes: &[u8]) -> Result<(Choice, usize), DecodeError> {
    let boms: [(&[u8], &'static Encoding); 3] = [
        (&[0xEF, 0xBB, 0xBF], UTF_8),
        (&[0xFF, 0xFE], UTF_16LE),
        (&[0xFE, 0xFF], UTF_16BE),
    ];
    for (bom, encoding) in boms {
        if bytes.starts_with(bom) {
            return Ok((Choice::Encoding(encoding), bom.len()));
        }
    }
    if bytes.starts_with(&[b'<', 0, b'?', 0]) {
        return Ok((Choice::Encoding(UTF_16LE), 0));
    }
    if bytes.starts_with(&[0, b'<', 0, b'?']) {
        return Ok((Choice::Encoding(UTF_16BE), 0));
    }
    let Some((label, at)) = declared_encoding(bytes) else {
        return Ok((Choice::Encoding(UTF_8), 0));
    };
    let lowercase = label.to_ascii_lowercase();
    if LATIN1_LABELS.contains(&lowercase.as_str()) {
        return Ok((Choice::Latin1, 0));
    }
    match Encoding::for_label(label.as_bytes()) {
        // A declaration read as ASCII cannot be in UTF-16 (that needs a mark or the form
        // recognised above); .NET then reads the bytes as UTF-8.
        Some(encoding) if encoding == UTF_16LE || encoding == UTF_16BE => {
            Ok((Choice::Encoding(UTF_8), 0))
        }
        Some(encoding) => Ok((Choice::Encoding(encoding), 0)),
        None => Err(DecodeError {
            offset: at,
            decoded: String::from_utf8_lossy(&bytes[..at]).into_owned(),
            message: format!("the XML declaration names an unknown encoding `{label}`"),
        }),
    }
}

/// UTF-8 after `skipped` bytes of byte order mark, validated in place.
fn utf8(mut bytes: Vec<u8>, skipped: usize) -> Result<String, DecodeError> {
    bytes.drain(..skipped);
    String::from_utf8(bytes).map_err(|err| {
        let valid = err.utf8_error().valid_up_to();
        DecodeError {
            offset: skipped + valid,
            decoded: String::from_utf8_lossy(&err.as_bytes()[..valid]).into_owned(),
            message: "the file is not valid UTF-8 here".to_string(),
        }
    })
}

/// The `encoding` pseudo-attribute of an XML declaration at the very start, and where its
/// value starts.
fn declared_encoding(bytes: &[u8]) -> Option<(String, usize)> {
    let head = &bytes[..bytes.len().min(DECLARATION_LIMIT)];
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = head.windows(2).position(|pair| pair == b"?>")?;
    let declaration = std::str::from_utf8(&head[..end]).ok()?;
    let after_name = declaration.find("encoding")? + "encoding".len();
    let rest = &declaration[after_name..];
    let equals = rest.find('=')?;
    if !rest[..equals].trim().is_empty() {
        return None;
    }
    let value = rest[equals + 1..].trim_start();
    let quote = value.chars().next().filter(|&q| q == '"' || q == '\'')?;
    let content = &value[1..];
    let label = &content[..content.find(quote)?];
    let at = after_name + (rest.len() - content.len());
    Some((label.to_string(), at))
}

/// Decodes `bytes` (which start `skipped` bytes into the file) without replacement.
fn with_encoding(
    encoding: &'static Encoding,
    bytes: &[u8],
    skipped: usize,
) -> Result<String, DecodeError> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(3));
    let mut text = String::with_capacity(capacity);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    match result {
        DecoderResult::InputEmpty => Ok(text),
        DecoderResult::Malformed(bad, unread) => {
            // `read` counts the bad bytes and the `unread` ones after them.
            let offset = read.saturating_sub(usize::from(bad) + usize::from(unread));
            Err(DecodeError {
                offset: skipped + offset,
                decoded: text,
                message: format!("the file is not valid {} here", encoding.name()),
            })
        }
        DecoderResult::OutputFull => Err(DecodeError {
            offset: skipped + read,
            decoded: text,
            message: "the file could not be decoded".to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The decoder under test, on borrowed bytes.
    fn decode(bytes: &[u8]) -> Result<String, DecodeError> {
        super::decode(bytes.to_vec())
    }

    fn utf16le(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    #[test]
    fn byte_order_marks_choose_the_encoding() {
        assert_eq!(decode(b"\xEF\xBB\xBF<a/>").unwrap(), "<a/>");
        let mut le = vec![0xFF, 0xFE];
        le.extend(utf16le("<é/>"));
        assert_eq!(decode(&le).unwrap(), "<é/>");
        let mut be = vec![0xFE, 0xFF];
        be.extend("<é/>".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be).unwrap(), "<é/>");
        assert_eq!(decode(&utf16le("<?xml?><a/>")).unwrap(), "<?xml?><a/>");
    }

    #[test]
    fn the_declaration_names_single_byte_code_pages() {
        let cp1252 = b"<?xml version='1.0' encoding='windows-1252'?>\n<a b='\x80\xE9'/>";
        assert!(decode(cp1252).unwrap().ends_with("<a b='€é'/>"));
        // .NET reads ISO-8859-1 as Latin-1 proper: 0x80 is a C1 control, not the euro sign.
        let latin1 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a b=\"\x80\xE9\"/>";
        assert!(decode(latin1).unwrap().ends_with("<a b=\"\u{80}é\"/>"));
        let cyrillic = b"<?xml version=\"1.0\" encoding=\"windows-1251\"?><a b=\"\xC4\"/>";
        assert!(decode(cyrillic).unwrap().ends_with("\u{414}\"/>"));
    }

    #[test]
    fn bad_bytes_are_placed_at_their_line_and_column() {
        let err = decode(b"<a>\n  \xC3\xA9x\xFF</a>").unwrap_err();
        assert_eq!(err.offset, 9);
        assert_eq!(err.line_column(), (2, 5));
        let shift_jis = b"<?xml version=\"1.0\" encoding=\"shift_jis\"?>\n<a>\x82\xA0\x82</a>";
        let err = decode(shift_jis).unwrap_err();
        assert_eq!(err.line_column(), (2, 5));
        let mut odd = vec![0xFF, 0xFE];
        odd.extend(utf16le("<a>\nx"));
        odd.extend([0x00, 0xD8, b'y', 0]);
        let err = decode(&odd).unwrap_err();
        assert_eq!((err.offset, err.line_column()), (12, (2, 2)));
    }

    #[test]
    fn unknown_encodings_are_named() {
        let err = decode(b"<?xml version='1.0' encoding='klingon'?><a/>").unwrap_err();
        assert!(err.message.contains("`klingon`"), "{}", err.message);
        assert_eq!(err.offset, 30);
    }
}
