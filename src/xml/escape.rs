//! XML entity and character references: `&lt;`, `&#65;`, `&#x41;` and friends.
//!
//! Only the five predefined entities exist for wixcheck: a DOCTYPE is never read, so no
//! entity can expand into more text than its own reference, and an unknown one is an error.

use std::borrow::Cow;

/// A reference that could not be resolved, at a byte offset relative to the unescaped input.
#[derive(Debug, PartialEq, Eq)]
pub struct BadReference {
    pub offset: usize,
    pub len: usize,
    pub message: String,
    /// A well-formed reference to an entity that is not predefined (rather than a stray `&`).
    pub undefined: bool,
}

/// Replaces every reference in `raw`; borrows when there is none.
pub fn unescape(raw: &str) -> Result<Cow<'_, str>, BadReference> {
    if !raw.contains('&') {
        return Ok(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let offset = raw.len() - rest.len() + amp;
        let after = &rest[amp + 1..];
        let Some(semi) = after.find(';').filter(|&semi| semi <= 32) else {
            return Err(BadReference {
                offset,
                len: 1,
                message:
                    "`&` must start a reference like `&amp;`; write `&amp;` for a literal ampersand"
                        .into(),
                undefined: false,
            });
        };
        let name = &after[..semi];
        match resolve(name) {
            Some(ch) => out.push(ch),
            None => {
                return Err(BadReference {
                    offset,
                    len: semi + 2,
                    message: format!("undefined entity reference `&{name};`"),
                    undefined: true,
                })
            }
        }
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

/// The character a reference name (between `&` and `;`) stands for.
pub fn resolve(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix('x') {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code).filter(|&ch| super::is_xml_char(ch))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predefined_and_numeric_references_resolve() {
        assert_eq!(unescape("a &lt; b &amp;&#65;&#x42;").unwrap(), "a < b &AB");
        assert!(matches!(unescape("plain").unwrap(), Cow::Borrowed("plain")));
    }

    #[test]
    fn unknown_and_dangling_references_are_errors() {
        let err = unescape("x &nbsp; y").unwrap_err();
        assert_eq!((err.offset, err.len), (2, 6));
        assert_eq!(unescape("AT&T").unwrap_err().offset, 2);
        assert!(unescape("&#0;").is_err());
        assert!(unescape("&#x1;").is_err());
    }
}
