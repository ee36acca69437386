//! Turning a file's bytes into text: UTF-8 with or without BOM, UTF-16 with a BOM.

/// Bytes that are not text in the file's encoding, at a byte offset.
#[derive(Debug)]
pub struct DecodeError {
    pub offset: usize,
    pub message: String,
}

/// Decodes a source file.
pub fn decode(bytes: &[u8]) -> Result<String, DecodeError> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes);
    }
    utf8(bytes)
}

fn utf8(bytes: &[u8]) -> Result<String, DecodeError> {
    String::from_utf8(bytes.to_vec()).map_err(|err| DecodeError {
        offset: err.utf8_error().valid_up_to(),
        message: "the file is not valid UTF-8 here".to_string(),
    })
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, DecodeError> {
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|pair| unit([pair[0], *pair.get(1).unwrap_or(&0)]))
        .collect();
    let mut text = String::with_capacity(units.len());
    for (index, decoded) in char::decode_utf16(units.iter().copied()).enumerate() {
        match decoded {
            Ok(ch) => text.push(ch),
            Err(_) => {
                return Err(DecodeError {
                    offset: index * 2,
                    message: "the file is not valid UTF-16 here".to_string(),
                })
            }
        }
    }
    Ok(text)
}
