//! Hostile input, one test per case: other encodings, broken XML, DOCTYPEs and entity
//! bombs, inputs of extreme size and depth. Every input is generated here (nothing large is
//! committed), run through the `wixcheck` binary, and judged by the diagnostic code and its
//! line and column, which the test works out from the text it generated. Timing is never
//! asserted; `tests/common` only turns a hang into a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{check, only, position_of, run_wixcheck, write, Finding, TempDir};
use std::path::{Path, PathBuf};

const V4: &str = "http://wixtoolset.org/schemas/v4/wxs";

/// A package with custom actions `ids` (no XML declaration) and `sequence` inside
/// `<InstallExecuteSequence>`.
fn package(ids: &[&str], sequence: &str) -> String {
    let mut text = format!(
        "<Wix xmlns=\"{V4}\">\n  <Package Name=\"P\" Manufacturer=\"M\" Version=\"1.0.0\">\n    <Binary Id=\"B\" SourceFile=\"b.dll\" />\n"
    );
    for id in ids {
        text.push_str(&format!(
            "    <CustomAction Id=\"{id}\" BinaryRef=\"B\" DllEntry=\"E\" />\n"
        ));
    }
    text.push_str("    <InstallExecuteSequence>\n");
    text.push_str(sequence);
    text.push_str("    </InstallExecuteSequence>\n  </Package>\n</Wix>\n");
    text
}

/// A two-action cycle whose first `After` value sits after non-ASCII text on its line.
fn cycle_after_accents() -> String {
    package(
        &["A", "C"],
        "      <!-- Café € --><Custom Action=\"A\" After=\"C\" />\n      <Custom Action=\"C\" After=\"A\" />\n",
    )
}

/// Where WXC101 lands in [`cycle_after_accents`]: the value of A's `After`.
fn cycle_position(text: &str) -> (u64, u64) {
    let (line, column) = position_of(text, "After=\"C\"");
    (line, column + "After=\"".len() as u64)
}

/// Windows-1252 for the characters these tests use.
fn windows_1252(text: &str) -> Vec<u8> {
    text.chars()
        .map(|ch| match ch {
            '€' => 0x80,
            'é' => 0xE9,
            ch if ch.is_ascii() => ch as u8,
            other => panic!("no Windows-1252 byte for {other:?} in this test"),
        })
        .collect()
}

#[test]
fn single_byte_code_pages_keep_columns_in_characters() {
    let dir = TempDir::new("codepage");
    let text = cycle_after_accents();
    let expected = cycle_position(&text);
    for label in ["windows-1252", "ISO-8859-1"] {
        // Latin-1 has no euro sign at 0x80 (it is a control there), so the column is the same.
        let declared = format!("<?xml version=\"1.0\" encoding=\"{label}\"?>\n{text}");
        let path = write(&dir, &format!("{label}.wxs"), &windows_1252(&declared));
        let (code, findings) = check(&[&path]);
        assert_eq!(code, 1);
        let found = only(&findings, "WXC101");
        assert_eq!(
            (found.line, found.column),
            (expected.0 + 1, expected.1),
            "{label}"
        );
    }
}

#[test]
fn utf16_and_utf8_byte_order_marks_keep_positions() {
    let dir = TempDir::new("bom");
    let text = cycle_after_accents();
    let expected = cycle_position(&text);
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let mut be = vec![0xFE, 0xFF];
    be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    let mut utf8 = vec![0xEF, 0xBB, 0xBF];
    utf8.extend(text.as_bytes());
    for (name, bytes) in [("le.wxs", le), ("be.wxs", be), ("utf8.wxs", utf8)] {
        let path = write(&dir, name, &bytes);
        let found = only(&check(&[&path]).1, "WXC101");
        assert_eq!((found.line, found.column), expected, "{name}");
    }
}

#[test]
fn bytes_invalid_for_the_encoding_are_wxc002_at_the_first_bad_byte() {
    let dir = TempDir::new("badbytes");
    let text = cycle_after_accents();
    // Windows-1252 bytes read as UTF-8: the `é` of "Café" is the first bad byte.
    let undeclared = write(&dir, "cp1252.wxs", &windows_1252(&text));
    let at = position_of(&text, "é €");
    let found = only(&check(&[&undeclared]).1, "WXC002");
    assert_eq!((found.line, found.column), at);
    // Shift_JIS cut in the middle of a two-byte character.
    let mut sjis = b"<?xml version=\"1.0\" encoding=\"shift_jis\"?>\n<Wix>\n  <!-- ".to_vec();
    sjis.extend([0x82, 0xA0, 0x82, b' ', b'-', b'-', b'>']);
    let path = write(&dir, "sjis.wxs", &sjis);
    let found = only(&check(&[&path]).1, "WXC002");
    // Line 3 is `  <!-- あ` and then the bad lead byte: column 9.
    assert_eq!((found.line, found.column), (3, 9));
    // UTF-16 with a lone surrogate on line 2.
    let mut lone = vec![0xFF, 0xFE];
    lone.extend("<Wix>\n  ab".encode_utf16().flat_map(u16::to_le_bytes));
    lone.extend([0x00, 0xDC, b'>', 0]);
    let path = write(&dir, "surrogate.wxs", &lone);
    let found = only(&check(&[&path]).1, "WXC002");
    assert_eq!((found.line, found.column), (2, 5));
    // An encoding nobody knows.
    let path = write(
        &dir,
        "klingon.wxs",
        b"<?xml version=\"1.0\" encoding=\"klingon\"?><Wix/>",
    );
    let found = only(&check(&[&path]).1, "WXC002");
    assert!(found.message.contains("`klingon`"), "{}", found.message);
    assert_eq!((found.line, found.column), (1, 31));
}

/// Broken files: each is WXC001 at the position of `at` in its text, with a message saying
/// what was expected; a good file in the same run is still checked.
#[test]
fn broken_xml_is_wxc001_at_the_spot_and_other_files_are_still_checked() {
    let dir = TempDir::new("broken");
    let head = format!("<Wix xmlns=\"{V4}\">\n  <Package Name=\"P\">\n");
    let cases: Vec<(&str, String, &str, &str)> = vec![
        (
            "truncated",
            format!("{head}    <Property Id=\"A\" Value=\"1\" />\n"),
            "Package",
            "closed",
        ),
        (
            "mismatched",
            format!("{head}  </Fragment>\n</Wix>\n"),
            "</Fragment>",
            "expected `</Package>`",
        ),
        (
            "unquoted",
            format!("{head}    <Property Id=A />\n  </Package>\n</Wix>\n"),
            "A />",
            "quoted",
        ),
        (
            "nul",
            format!("{head}    <Property Id=\"A\">\u{0}</Property>\n  </Package>\n</Wix>\n"),
            "\u{0}",
            "U+0000",
        ),
        (
            "go-template",
            format!("{head}    <Component Id=\"{{{{.Id}}}}\" {{{{if .Win64}}}}Bitness=\"always64\"{{{{end}}}} />\n  </Package>\n</Wix>\n"),
            ".Win64",
            "expected `=` after the attribute name",
        ),
        (
            "jinja",
            format!("{{% extends \"base.wxs\" %}}\n{head}  </Package>\n</Wix>\n"),
            "{%",
            "outside the root element",
        ),
    ];
    let good_text = cycle_after_accents();
    let good = write(&dir, "good.wxs", good_text.as_bytes());
    let mut paths = vec![good.clone()];
    for (name, text, at, expected) in &cases {
        let path = write(&dir, &format!("{name}.wxs"), text.as_bytes());
        let (code, findings) = check(&[&path]);
        assert_eq!(code, 1, "{name}");
        let found = only(&findings, "WXC001");
        assert_eq!((found.line, found.column), position_of(text, at), "{name}");
        assert!(
            found.message.contains(expected),
            "{name}: {}",
            found.message
        );
        paths.push(path);
    }
    let all: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    let (code, findings) = check(&all);
    assert_eq!(code, 1);
    assert_eq!(findings.iter().filter(|f| f.code == "WXC001").count(), 6);
    let cycle = only(&findings, "WXC101");
    assert_eq!(cycle.file, good.display().to_string());
    // `order` prints the tables of what could be read, and the findings on stderr.
    let mut args = vec!["order".to_string()];
    args.extend(paths.iter().map(|p| p.display().to_string()));
    let run = run_wixcheck(&args);
    assert!(run.crash().is_none(), "{:?}", run.crash());
    assert_eq!(run.code, Some(1));
    assert!(
        run.stdout.contains("InstallExecuteSequence"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("WXC001"), "{}", run.stderr);
}

#[test]
fn doctype_entities_are_never_read_nor_expanded() {
    let dir = TempDir::new("doctype");
    let secret = write(&dir, "secret.txt", b"TOP-SECRET-MARKER");
    let external = format!(
        "<!DOCTYPE Wix [<!ENTITY xxe SYSTEM \"file://{}\">]>\n<Wix xmlns=\"{V4}\"><Fragment><Property Id=\"P\" Value=\"&xxe;\"/></Fragment></Wix>\n",
        secret.display()
    );
    let mut bomb = String::from("<!DOCTYPE Wix [<!ENTITY a0 \"laugh\">");
    for level in 1..30 {
        let previous = format!("&a{};", level - 1);
        bomb.push_str(&format!("<!ENTITY a{level} \"{}\">", previous.repeat(10)));
    }
    bomb.push_str(&format!(
        "]>\n<Wix xmlns=\"{V4}\"><Fragment><Property Id=\"P\" Value=\"&a29;\"/></Fragment></Wix>\n"
    ));
    for (name, text, reference) in [("xxe", external, "&xxe;"), ("bomb", bomb, "&a29;")] {
        let path = write(&dir, &format!("{name}.wxs"), text.as_bytes());
        let human = run_wixcheck(&["check".to_string(), path.display().to_string()]);
        assert!(!human.stdout.contains("TOP-SECRET"), "{}", human.stdout);
        let found = only(&check(&[&path]).1, "WXC001");
        assert_eq!((found.line, found.column), position_of(&text, reference));
        assert!(found.message.contains("DOCTYPE"), "{}", found.message);
    }
}

#[test]
fn preprocessor_definitions_cannot_expand_without_bound() {
    let dir = TempDir::new("laughs");
    let mut text = format!("<Wix xmlns=\"{V4}\">\n<?define A0 = laugh?>\n");
    for level in 1..40 {
        let previous = level - 1;
        text.push_str(&format!(
            "<?define A{level} = $(A{previous})$(A{previous})?>\n"
        ));
    }
    text.push_str("<Fragment><Property Id=\"P\" Value=\"$(A39)\" /></Fragment>\n</Wix>\n");
    let path = write(&dir, "laughs.wxs", text.as_bytes());
    let (code, findings) = check(&[&path]);
    assert_eq!(code, 1);
    // A_n is 5 × 2^n bytes, and defining A1..A_n has substituted 5 × (2^(n+1) - 2) bytes:
    // the second reference in A23's value is the first past 64 MiB.
    let found = only(&findings, "WXC005");
    let (line, column) = position_of(&text, "$(A22)$(A22)");
    assert_eq!((found.line, found.column), (line, column + 6));
}

#[test]
fn two_hundred_thousand_nested_elements() {
    let dir = TempDir::new("deep");
    let depth = 200_000;
    let mut text = format!("<Wix xmlns=\"{V4}\">\n<Fragment>");
    text.push_str(&"<Directory Id=\"d\" Name=\"d\">".repeat(depth));
    text.push_str("<Oops>");
    text.push_str(&"</Directory>".repeat(depth));
    text.push_str("</Fragment></Wix>\n");
    let path = write(&dir, "deep.wxs", text.as_bytes());
    let found = only(&check(&[&path]).1, "WXC001");
    // The unclosed `<Oops>` is found at the innermost level, 200,000 elements down.
    assert_eq!(
        (found.line, found.column),
        position_of(&text, "</Directory>")
    );
    let balanced = text.replace("<Oops>", "");
    let path = write(&dir, "balanced.wxs", balanced.as_bytes());
    assert_eq!(check(&[&path]), (0, Vec::new()));
}

#[test]
fn a_fifty_megabyte_attribute_value() {
    let dir = TempDir::new("huge-value");
    let huge = "x".repeat(50 * 1024 * 1024);
    let text = package(
        &["A", "C"],
        &format!("      <Custom Action=\"A\" After=\"C\" Condition=\"{huge}\" />\n      <Custom Action=\"C\" After=\"A\" />\n"),
    );
    let path = write(&dir, "huge.wxs", text.as_bytes());
    let found = only(&check(&[&path]).1, "WXC101");
    let (line, column) = position_of(&text, "After=\"C\"");
    assert_eq!((found.line, found.column), (line, column + 7));
}

/// 100,000 actions, each placed `side` of the previous, starting from an action at 20000 in
/// the execute sequence (the last standard action there is InstallFinalize, 6600).
fn chain(side: &str) -> (String, usize) {
    let count = 100_000;
    let ids: Vec<String> = (0..count).map(|i| format!("A{i}")).collect();
    let mut sequence = String::from("      <Custom Action=\"Start\" Sequence=\"20000\" />\n");
    for i in 0..count {
        let anchor = match i {
            0 => "Start".to_string(),
            _ => format!("A{}", i - 1),
        };
        sequence.push_str(&format!(
            "      <Custom Action=\"A{i}\" {side}=\"{anchor}\" />\n"
        ));
    }
    let mut all: Vec<&str> = ids.iter().map(String::as_str).collect();
    all.push("Start");
    // After 20000 there is room up to 32767; before it, down to 6601.
    let room = match side {
        "After" => 32767 - 20000,
        _ => 20000 - 6600 - 1,
    };
    (package(&all, &sequence), room)
}

#[test]
fn a_hundred_thousand_action_chain_in_both_directions() {
    let dir = TempDir::new("chain");
    for side in ["After", "Before"] {
        let (text, room) = chain(side);
        let path = write(&dir, &format!("{side}.wxs"), text.as_bytes());
        let (code, findings) = check(&[&path]);
        assert_eq!(code, 1, "{side}");
        let no_room: Vec<&Finding> = findings.iter().filter(|f| f.code == "WXC106").collect();
        // One finding for the block, on the first action that does not fit, counting the rest.
        assert_eq!(no_room.len(), 1, "{side}");
        let more = format!("and {} more actions next to `Start`", 100_000 - room - 1);
        assert!(no_room[0].message.contains(&more), "{}", no_room[0].message);
        // The first action that does not fit is the one just past the room.
        let anchor = match room {
            0 => "Start".to_string(),
            _ => format!("A{}", room - 1),
        };
        let needle = format!("Action=\"A{room}\" {side}=\"{anchor}\"");
        let (line, column) = position_of(&text, &needle);
        let value_column = column + needle.len() as u64 - anchor.len() as u64 - 1;
        assert_eq!(
            (no_room[0].line, no_room[0].column),
            (line, value_column),
            "{side}"
        );
    }
}

#[test]
fn a_fifty_thousand_action_cycle() {
    let dir = TempDir::new("big-cycle");
    let count = 50_000;
    let ids: Vec<String> = (0..count).map(|i| format!("A{i}")).collect();
    let mut sequence = String::new();
    for i in 0..count {
        let next = (i + 1) % count;
        sequence.push_str(&format!(
            "      <Custom Action=\"A{i}\" After=\"A{next}\" />\n"
        ));
    }
    let all: Vec<&str> = ids.iter().map(String::as_str).collect();
    let text = package(&all, &sequence);
    let path = write(&dir, "cycle.wxs", text.as_bytes());
    let found = only(&check(&[&path]).1, "WXC101");
    let (line, column) = position_of(&text, "Action=\"A0\" After=\"A1\"");
    assert_eq!((found.line, found.column), (line, column + 19));
    assert!(
        found.message.contains("and 49980 more"),
        "{}",
        found.message
    );
}

#[test]
fn nested_foreach_loops_cannot_run_for_ever() {
    let dir = TempDir::new("foreach");
    let values: Vec<String> = (0..100).map(|i| i.to_string()).collect();
    let mut text = format!("<Wix xmlns=\"{V4}\">\n<Fragment>\n");
    for level in 0..5 {
        text.push_str(&format!("<?foreach V{level} in {}?>\n", values.join(";")));
    }
    text.push_str("<Property Id=\"P$(V0)_$(V1)_$(V2)_$(V3)_$(V4)\" Value=\"1\" />\n");
    text.push_str(&"<?endforeach?>\n".repeat(5));
    text.push_str("</Fragment>\n</Wix>\n");
    let path = write(&dir, "foreach.wxs", text.as_bytes());
    let (code, findings) = check(&[&path]);
    assert_eq!(code, 1);
    // 100^5 repetitions would take hours: the walk stops, reported at the innermost loop.
    let found = only(&findings, "WXC005");
    assert_eq!(
        (found.line, found.column),
        position_of(&text, "<?foreach V4")
    );
    assert!(found.message.contains("nodes"), "{}", found.message);
}

#[test]
fn two_hundred_thousand_attributes_on_one_element() {
    let dir = TempDir::new("attributes");
    let attributes: Vec<String> = (0..200_000).map(|i| format!("a{i}=\"1\"")).collect();
    let text = format!(
        "<Wix xmlns=\"{V4}\">\n<Fragment>\n<Property Id=\"P\" {} a5=\"2\" />\n</Fragment>\n</Wix>\n",
        attributes.join(" ")
    );
    let path = write(&dir, "attributes.wxs", text.as_bytes());
    let found = only(&check(&[&path]).1, "WXC001");
    let (line, column) = position_of(&text, " a5=\"2\"");
    assert_eq!((found.line, found.column), (line, column + 1));
    assert!(
        found.message.contains("`a5` appears twice"),
        "{}",
        found.message
    );
}

#[test]
fn a_hundred_thousand_namespace_prefixes_in_scope() {
    let dir = TempDir::new("namespaces");
    let prefixes: Vec<String> = (0..100_000)
        .map(|i| format!("xmlns:p{i}=\"urn:p{i}\""))
        .collect();
    let properties = "<Property Id=\"P\" Value=\"1\" />".repeat(100_000);
    let text = format!(
        "<Wix xmlns=\"{V4}\" {}>\n<Fragment>{properties}\n<q:Extra />\n</Fragment>\n</Wix>\n",
        prefixes.join(" ")
    );
    let path = write(&dir, "namespaces.wxs", text.as_bytes());
    let found = only(&check(&[&path]).1, "WXC001");
    let (line, column) = position_of(&text, "q:Extra");
    assert_eq!((found.line, found.column), (line, column));
    assert!(
        found.message.contains("`q` is not declared"),
        "{}",
        found.message
    );
}

#[test]
fn twenty_thousand_anchors_that_resolve_to_nothing() {
    // Each finding used to search every action for a "did you mean": quadratic.
    let dir = TempDir::new("unresolved");
    let count = 20_000;
    let ids: Vec<String> = (0..count).map(|i| format!("A{i}")).collect();
    let sequence: String = (0..count)
        .map(|i| format!("      <Custom Action=\"A{i}\" After=\"Missing{i}\" />\n"))
        .collect();
    let all: Vec<&str> = ids.iter().map(String::as_str).collect();
    let text = package(&all, &sequence);
    let path = write(&dir, "unresolved.wxs", text.as_bytes());
    let (code, findings) = check(&[&path]);
    assert_eq!(code, 1);
    let unresolved: Vec<&Finding> = findings.iter().filter(|f| f.code == "WXC102").collect();
    assert_eq!(unresolved.len(), count);
    let last = count - 1;
    let (line, column) = position_of(&text, &format!("Missing{last}\""));
    let found = unresolved[last];
    assert_eq!((found.line, found.column), (line, column));
}
