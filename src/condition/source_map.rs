//! Maps byte offsets in a condition's value back to the file it was written in.
//!
//! A condition's value is what Windows Installer will read: the raw XML text with entity and
//! character references resolved, CDATA markers removed, and `$(var.X)` substituted. The
//! raw text is decoded again here, remembering for each decoded byte which raw bytes it came
//! from; the decoded text is then aligned with the value by their common prefix and suffix
//! (after trimming whitespace), so text a preprocessor variable produced maps to the whole
//! `$(var.X)` reference. Every span this produces lies inside the condition's own span.

use crate::source::{FileId, Span};
use crate::xml::escape;
use std::ops::Range;

/// For each byte of the value, the range of file bytes it was written as.
pub(crate) struct SourceMap {
    file: FileId,
    whole: (u32, u32),
    ranges: Ranges,
}

/// Where each byte of a value was written.
enum Ranges {
    /// Byte `i` is file byte `start + i`: the value is its raw text as written, in ASCII
    /// with no reference and no CDATA section. Most conditions are; decoding them byte by
    /// byte cost about two thousand instructions each.
    Verbatim { start: u32, len: usize },
    /// Byte `i` was written as the file bytes `ranges[i]`.
    Each(Vec<(u32, u32)>),
}

impl Ranges {
    fn get(&self, index: usize) -> Option<(u32, u32)> {
        match self {
            Ranges::Verbatim { start, len } => (index < *len).then(|| {
                let at = start.saturating_add(u32::try_from(index).unwrap_or(u32::MAX));
                (at, at.saturating_add(1))
            }),
            Ranges::Each(ranges) => ranges.get(index).copied(),
        }
    }

    fn last(&self) -> Option<(u32, u32)> {
        match self {
            Ranges::Verbatim { len, .. } => len.checked_sub(1).and_then(|index| self.get(index)),
            Ranges::Each(ranges) => ranges.last().copied(),
        }
    }
}

impl SourceMap {
    /// A map for `value`, which was unescaped (and preprocessed) from `raw`, the file text
    /// at `span`.
    pub fn new(value: &str, span: Span, raw: &str) -> SourceMap {
        let whole = (span.start, span.end);
        let verbatim =
            value == raw && raw.is_ascii() && memchr::memchr2(b'&', b'<', raw.as_bytes()).is_none();
        let ranges = if verbatim {
            Ranges::Verbatim {
                start: span.start,
                len: raw.len(),
            }
        } else {
            let (decoded, decoded_ranges) = decode(raw, span.start);
            Ranges::Each(match decoded == value {
                true => decoded_ranges,
                false => align(value, &decoded, &decoded_ranges, whole),
            })
        };
        SourceMap {
            file: span.file,
            whole,
            ranges,
        }
    }

    /// The file span of `value[range]`; an empty range gives an empty span where it is.
    pub fn span(&self, range: Range<usize>) -> Span {
        let start = match self.ranges.get(range.start) {
            Some((start, _)) => start,
            None => self.ranges.last().map_or(self.whole.1, |(_, end)| end),
        };
        let end = match range.end.checked_sub(1).and_then(|i| self.ranges.get(i)) {
            Some((_, end)) if range.end > range.start => end.max(start),
            _ => start,
        };
        Span {
            file: self.file,
            start,
            end,
        }
    }
}

/// Decodes raw XML text (an attribute value, or character data with CDATA sections) and
/// records the file range of every decoded byte; `base` is the file offset of `raw`.
fn decode(raw: &str, base: u32) -> (String, Vec<(u32, u32)>) {
    const CDATA_OPEN: &str = "<![CDATA[";
    const CDATA_CLOSE: &str = "]]>";
    let mut text = String::with_capacity(raw.len());
    let mut ranges = Vec::with_capacity(raw.len());
    let at = |offset: usize| base.saturating_add(u32::try_from(offset).unwrap_or(u32::MAX));
    let mut push = |text: &mut String, ch: char, from: usize, to: usize| {
        text.push(ch);
        ranges.extend(std::iter::repeat_n((at(from), at(to)), ch.len_utf8()));
    };
    let mut index = 0;
    while let Some(ch) = raw[index..].chars().next() {
        if raw[index..].starts_with(CDATA_OPEN) {
            let content = index + CDATA_OPEN.len();
            let close = raw[content..]
                .find(CDATA_CLOSE)
                .map_or(raw.len(), |len| content + len);
            for (offset, ch) in raw[content..close].char_indices() {
                let from = content + offset;
                push(&mut text, ch, from, from + ch.len_utf8());
            }
            index = (close + CDATA_CLOSE.len()).min(raw.len());
            continue;
        }
        if ch == '&' {
            let reference = raw[index + 1..]
                .find(';')
                .filter(|&len| len <= 32)
                .and_then(|len| Some((escape::resolve(&raw[index + 1..index + 1 + len])?, len)));
            if let Some((resolved, len)) = reference {
                let end = index + len + 2;
                push(&mut text, resolved, index, end);
                index = end;
                continue;
            }
        }
        push(&mut text, ch, index, index + ch.len_utf8());
        index += ch.len_utf8();
    }
    (text, ranges)
}

/// Maps each byte of `value` into the file through the decoded text it mostly equals.
fn align(
    value: &str,
    decoded: &str,
    decoded_ranges: &[(u32, u32)],
    whole: (u32, u32),
) -> Vec<(u32, u32)> {
    let mut ranges = vec![whole; value.len()];
    let (value_core, decoded_core) = (trimmed(value), trimmed(decoded));
    if decoded_core.is_empty() {
        return ranges;
    }
    let value_text = &value[value_core.clone()];
    let decoded_text = &decoded[decoded_core.clone()];
    let prefix = common_prefix(value_text, decoded_text);
    let max_suffix = value_text.len().min(decoded_text.len()) - prefix;
    let suffix = common_suffix(value_text, decoded_text).min(max_suffix);
    let decoded_middle_start = decoded_core.start + prefix;
    let decoded_middle_end = decoded_core.end - suffix;
    // The part that differs (substituted text) maps to all the raw text it came from, or to
    // the character before it when the raw text has nothing there.
    let middle = if decoded_middle_start < decoded_middle_end {
        (
            decoded_ranges[decoded_middle_start].0,
            decoded_ranges[decoded_middle_end - 1].1,
        )
    } else {
        decoded_ranges[decoded_middle_start
            .saturating_sub(1)
            .max(decoded_core.start)]
    };
    for (offset, range) in ranges[value_core.clone()].iter_mut().enumerate() {
        *range = if offset < prefix {
            decoded_ranges[decoded_core.start + offset]
        } else if offset >= value_text.len() - suffix {
            decoded_ranges[decoded_core.end - (value_text.len() - offset)]
        } else {
            middle
        };
    }
    ranges
}

/// The byte range of `text` without leading and trailing whitespace.
fn trimmed(text: &str) -> Range<usize> {
    let start = text.len() - text.trim_start().len();
    start..text.trim_end().len().max(start)
}

/// The length in bytes of the longest common prefix, on a character boundary.
fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((index, _), _)| index)
}

/// The length in bytes of the longest common suffix, on a character boundary.
fn common_suffix(a: &str, b: &str) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapped(value: &str, raw: &str) -> (SourceMap, String) {
        let file = FileId::first();
        let prefix = "<X Condition=\"";
        let text = format!("{prefix}{raw}\"/>");
        let span = Span::new(file, prefix.len(), prefix.len() + raw.len());
        (SourceMap::new(value, span, raw), text)
    }

    fn text_at(text: &str, span: Span) -> &str {
        &text[span.start as usize..span.end as usize]
    }

    #[test]
    fn a_verbatim_value_maps_as_its_decoded_bytes_would() {
        for raw in ["NOT Installed AND VersionNT >= 601", "", " "] {
            let (map, _) = mapped(raw, raw);
            assert!(matches!(map.ranges, Ranges::Verbatim { .. }), "{raw:?}");
            let decoded = SourceMap {
                ranges: Ranges::Each(decode(raw, map.whole.0).1),
                ..map
            };
            for start in 0..=raw.len() + 1 {
                for end in start..=raw.len() + 2 {
                    assert_eq!(
                        map.span(start..end),
                        decoded.span(start..end),
                        "{raw:?} {start}..{end}"
                    );
                }
            }
        }
        let (not_ascii, _) = mapped("Ä = 1", "Ä = 1");
        assert!(matches!(not_ascii.ranges, Ranges::Each(_)));
    }

    #[test]
    fn entities_shift_offsets() {
        let (map, text) = mapped("A < \"x\" AND B", "A &lt; &quot;x&quot; AND B");
        assert_eq!(text_at(&text, map.span(2..3)), "&lt;");
        assert_eq!(text_at(&text, map.span(4..7)), "&quot;x&quot;");
        assert_eq!(text_at(&text, map.span(12..13)), "B");
    }

    #[test]
    fn cdata_and_character_references_map_through() {
        let raw = "  <![CDATA[VersionNT < 600]]> &#x41;ND B ";
        let (map, text) = mapped("VersionNT < 600 AND B", raw);
        assert_eq!(text_at(&text, map.span(0..9)), "VersionNT");
        assert_eq!(text_at(&text, map.span(10..11)), "<");
        assert_eq!(text_at(&text, map.span(16..19)), "&#x41;ND");
        assert_eq!(text_at(&text, map.span(20..21)), "B");
    }

    #[test]
    fn substituted_variables_map_to_the_reference() {
        let (map, text) = mapped("A = \"x64\" AND B", "A = \"$(var.Platform)\" AND B");
        assert_eq!(text_at(&text, map.span(0..1)), "A");
        assert_eq!(text_at(&text, map.span(4..9)), "\"$(var.Platform)\"");
        assert_eq!(text_at(&text, map.span(14..15)), "B");
        let (map, text) = mapped("NOT Installed", "$(var.Condition)");
        assert_eq!(text_at(&text, map.span(4..13)), "$(var.Condition)");
    }

    #[test]
    fn empty_ranges_and_ranges_past_the_end_stay_inside() {
        let (map, text) = mapped("A =", "A =");
        assert_eq!(text_at(&text, map.span(3..3)), "");
        assert_eq!(map.span(3..3).start as usize, text.rfind('=').unwrap() + 1);
        assert_eq!(map.span(10..12), map.span(3..3));
    }
}
