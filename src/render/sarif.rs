//! `check --format sarif`: SARIF 2.1.0 for code-scanning tools (GitHub code scanning, the
//! SARIF viewers).
//!
//! One run; `tool.driver.rules` holds the metadata of every rule that has a result (id,
//! name, descriptions and help from the rule's docs, default level). Each result has its
//! rule, level, message (with the help appended), the primary region and the labels as
//! related locations. Columns count Unicode code points (`columnKind`), the same columns
//! the other formats print. Relative paths become relative URIs against `%SRCROOT%`, which
//! `originalUriBaseIds` maps to the directory given (the current directory, on the command
//! line); absolute paths become `file://` URIs.

use super::Position;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{self, Rule};
use crate::source::{SourceDb, Span};
use serde_json::{json, Value};
use std::path::Path;

const SRCROOT: &str = "%SRCROOT%";

/// Renders the findings; relative paths are relative to `base`, when given.
pub fn render(db: &SourceDb, diagnostics: &[Diagnostic], base: Option<&Path>) -> String {
    let mut used: Vec<&'static Rule> = rules::all()
        .iter()
        .copied()
        .filter(|rule| diagnostics.iter().any(|d| d.code == rule.code))
        .collect();
    used.sort_by_key(|rule| rule.code.code);
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|diagnostic| result(db, diagnostic, &used))
        .collect();
    let mut run = json!({
        "tool": {
            "driver": {
                "name": "wixcheck",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": used.iter().map(|rule| rule_metadata(rule)).collect::<Vec<_>>(),
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    if let Some(base) = base {
        let mut uri = file_uri(&base.display().to_string());
        if !uri.ends_with('/') {
            uri.push('/');
        }
        run["originalUriBaseIds"] = json!({ SRCROOT: { "uri": uri } });
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    });
    serde_json::to_string_pretty(&log).unwrap_or_default() + "\n"
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule_metadata(rule: &Rule) -> Value {
    let markdown = rule.markdown();
    let full = rule
        .section("What it does")
        .unwrap_or_else(|| rule.summary().to_string());
    json!({
        "id": rule.code.code,
        "name": rule.code.name,
        "shortDescription": { "text": rule.summary() },
        "fullDescription": { "text": full },
        "help": { "text": markdown, "markdown": markdown },
        "defaultConfiguration": { "level": level(rule.severity) },
    })
}

fn result(db: &SourceDb, diagnostic: &Diagnostic, rules: &[&Rule]) -> Value {
    let mut text = diagnostic.message.clone();
    for note in &diagnostic.notes {
        text.push_str("\nnote: ");
        text.push_str(note);
    }
    if let Some(help) = &diagnostic.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let mut result = json!({
        "ruleId": diagnostic.code.code,
        "level": level(diagnostic.severity),
        "message": { "text": text },
        "locations": [{ "physicalLocation": physical_location(db, diagnostic.primary) }],
    });
    if let Some(index) = rules.iter().position(|rule| rule.code == diagnostic.code) {
        result["ruleIndex"] = json!(index);
    }
    if !diagnostic.labels.is_empty() {
        let related: Vec<Value> = diagnostic
            .labels
            .iter()
            .enumerate()
            .map(|(id, label)| {
                json!({
                    "id": id,
                    "physicalLocation": physical_location(db, label.span),
                    "message": { "text": label.message },
                })
            })
            .collect();
        result["relatedLocations"] = json!(related);
    }
    result
}

fn physical_location(db: &SourceDb, span: Span) -> Value {
    let at = Position::of(db, span);
    json!({
        "artifactLocation": artifact_location(&at.path),
        "region": {
            "startLine": at.line,
            "startColumn": at.column,
            "endLine": at.end_line,
            "endColumn": at.end_column,
        },
    })
}

fn artifact_location(path: &str) -> Value {
    if is_absolute(path) {
        json!({ "uri": file_uri(path) })
    } else {
        let relative = path.strip_prefix("./").unwrap_or(path);
        json!({ "uri": encode(relative), "uriBaseId": SRCROOT })
    }
}

/// `/a/b` and `C:\a\b` (or `C:/a/b`).
fn is_absolute(path: &str) -> bool {
    let bytes = path.as_bytes();
    path.starts_with('/')
        || path.starts_with('\\')
        || (bytes.len() >= 3
            && bytes[0].is_ascii_alphabetic()
            && bytes[1] == b':'
            && matches!(bytes[2], b'\\' | b'/'))
}

fn file_uri(path: &str) -> String {
    let encoded = encode(path);
    if encoded.starts_with('/') {
        format!("file://{encoded}")
    } else {
        format!("file:///{encoded}")
    }
}

/// A path as a URI reference: `\` becomes `/`, and every byte outside the unreserved set,
/// `/` and a drive letter's `:` is percent-encoded.
fn encode(path: &str) -> String {
    let mut out = String::new();
    for (index, byte) in path.replace('\\', "/").bytes().enumerate() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/')
            || (byte == b':' && index == 1);
        if keep {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uris() {
        assert_eq!(encode("a b/ü.wxs"), "a%20b/%C3%BC.wxs");
        assert_eq!(file_uri("/tmp/x y.wxs"), "file:///tmp/x%20y.wxs");
        assert_eq!(
            file_uri(r"C:\src\Product.wxs"),
            "file:///C:/src/Product.wxs"
        );
        assert!(is_absolute(r"C:\src") && is_absolute("/src") && !is_absolute("src/a.wxs"));
    }
}
