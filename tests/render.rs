//! Snapshot tests of every `check` output format for one fixed set of findings: a finding
//! with labels in another file, every severity, a CRLF source, columns after tabs and
//! multi-byte characters, an empty span, a span over several lines, and text that the
//! GitHub format must escape. The snapshots live in `tests/snapshots/` and are reviewed by
//! hand (`cargo insta review`); CI never writes them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use wixcheck::diagnostic::Diagnostic;
use wixcheck::render;
use wixcheck::rules;
use wixcheck::source::{FileId, SourceDb, Span};

const PRODUCT: &str = "<Wix xmlns=\"http://wixtoolset.org/schemas/v4/wxs\">\r\n\
  <Package Name=\"Prodüct 製品\" Manufacturer=\"Ça\" Version=\"1.0.0\">\r\n\
\t\t<CustomAction Id=\"SaveKey\" Property=\"RM\" Value=\"[MsiRestartManagerSessionKey]\" />\r\n\
\t\t<InstallExecuteSequence>\r\n\
\t\t\t<Custom Action=\"SaveKey\" After=\"InstallValidate\" />\r\n\
\t\t\t<Custom Action=\"Ünïcødé\" After=\"Ünïcødé\" />\r\n\
\t\t</InstallExecuteSequence>\r\n\
  </Package>\r\n\
</Wix>\r\n";

const FRAGMENT: &str = "<Wix xmlns=\"http://wixtoolset.org/schemas/v4/wxs\">\n\
  <Fragment>\n\
    <CustomAction Id=\"Ünïcødé\" Property=\"P\" Value=\"100%, done: yes\" />\n\
  </Fragment>\n\
</Wix>\n";

/// The span of the `nth` (0-based) occurrence of `needle` in the file.
fn find(db: &SourceDb, file: FileId, needle: &str, nth: usize) -> Span {
    let text = db.file(file).text();
    let start = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("`{needle}` #{nth} not in the file"))
        .0;
    Span::new(file, start, start + needle.len())
}

fn diagnostic(code: &str, span: Span, message: &str) -> Diagnostic {
    rules::find(code).unwrap().diagnostic(span, message)
}

fn findings() -> (SourceDb, Vec<Diagnostic>) {
    let mut db = SourceDb::new();
    let product = db.add("installer/Product.wxs", PRODUCT.to_string());
    let fragment = db.add(
        "installer/Fragments/Ünïcode Actions.wxs",
        FRAGMENT.to_string(),
    );
    let after = find(&db, product, "InstallValidate", 0);
    let value = find(&db, product, "[MsiRestartManagerSessionKey]", 0);
    let self_anchor = find(&db, product, "Ünïcødé", 1);
    let defined = find(&db, fragment, "Ünïcødé", 0);
    let sequence_start = find(&db, product, "<InstallExecuteSequence>", 0).start as usize;
    let sequence_end = find(&db, product, "</InstallExecuteSequence>", 0).end as usize;
    let diagnostics = vec![
        diagnostic(
            "WXC301",
            after,
            "`SaveKey` reads MsiRestartManagerSessionKey at sequence 1401, after InstallValidate (1400) has cleared it",
        )
        .with_label(after, "this action runs at 1401 in InstallExecuteSequence")
        .with_label(value, "reads MsiRestartManagerSessionKey here")
        .with_note("InstallValidate clears MsiRestartManagerSessionKey, sequence 1400")
        .with_help("schedule it Before=\"InstallValidate\""),
        diagnostic(
            "WXC101",
            self_anchor,
            "`Ünïcødé` is scheduled relative to itself in InstallExecuteSequence",
        )
        .with_label(defined, "defined here, in another file: 100%, done: yes"),
        diagnostic(
            "WXC110",
            Span::new(product, sequence_start, sequence_end),
            "a sequence spanning several lines",
        )
        .with_help("a warning"),
        diagnostic("WXC002", Span::new(fragment, 0, 0), "an empty span at the start"),
        {
            let mut info = diagnostic("WXC006", find(&db, fragment, "Fragment", 0), "an info finding");
            info.severity = wixcheck::diagnostic::Severity::Info;
            info
        },
    ];
    let mut diagnostics = diagnostics;
    wixcheck::diagnostic::sort(&mut diagnostics);
    (db, diagnostics)
}

#[test]
fn human() {
    let (db, diagnostics) = findings();
    insta::assert_snapshot!(render::human::render(&db, &diagnostics, false));
}

#[test]
fn short() {
    let (db, diagnostics) = findings();
    insta::assert_snapshot!(render::short::render(&db, &diagnostics));
}

#[test]
fn msbuild() {
    let (db, diagnostics) = findings();
    insta::assert_snapshot!(render::msbuild::render(&db, &diagnostics));
}

#[test]
fn github() {
    let (db, diagnostics) = findings();
    insta::assert_snapshot!(render::github::render(&db, &diagnostics));
}

#[test]
fn json() {
    let (db, diagnostics) = findings();
    insta::assert_snapshot!(render::json::render(&db, &diagnostics, 2));
}

#[test]
fn sarif() {
    let (db, diagnostics) = findings();
    let base = Path::new("/work/project");
    insta::assert_snapshot!(render::sarif::render(&db, &diagnostics, Some(base)));
}

/// The columns every format prints come from the same place: after two tabs, and after
/// multi-byte characters, they count characters (one per tab), not bytes.
#[test]
fn columns_count_characters_after_tabs_and_multibyte_text() {
    let (db, diagnostics) = findings();
    let short = render::short::render(&db, &diagnostics);
    // `\t\t\t<Custom Action="Ünïcødé" After="Ünïcødé" />`: 35 characters (39 bytes) come
    // before the second name, so it starts in column 36.
    assert!(
        short.contains("installer/Product.wxs:6:36: error[WXC101]"),
        "{short}"
    );
    // `\t\t\t<Custom Action="SaveKey" After="InstallValidate" />` on a CRLF line 5.
    assert!(
        short.contains("installer/Product.wxs:5:36: error[WXC301]"),
        "{short}"
    );
}
