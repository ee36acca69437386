//! The preprocessor through the command line: `-d`, `-I` and `--arch` change what is read,
//! findings on expanded values say what they expanded to, findings in included files carry
//! the `<?include?>` that brought them in, and `order` says which defines were in force.
//!
//! The inputs are in `tests/fixtures/cli/defines_and_include_dirs/`: `src/product.wxs`
//! includes `Common.wxi`, which is only found through `-I shared`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::run_wixcheck;

fn inputs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cli/defines_and_include_dirs")
}

/// The flags the build of the fixture project passes.
fn build_flags() -> Vec<String> {
    let shared = inputs().join("shared").display().to_string();
    [
        "-d",
        "Flavor=Pro",
        "-d",
        "Anchor=InstallValidat",
        "-I",
        &shared,
    ]
    .iter()
    .chain(&["--arch", "x64"])
    .map(|s| s.to_string())
    .collect()
}

/// `file:line CODE` of every diagnostic, with `file` relative to the inputs, and the whole
/// report.
fn check(flags: &[String]) -> (Vec<String>, serde_json::Value) {
    let product = inputs().join("src/product.wxs").display().to_string();
    let mut args = vec!["check".to_string(), "--format".into(), "json".into()];
    args.extend(flags.iter().cloned());
    args.push(product);
    let run = run_wixcheck(&args);
    assert_eq!(run.code, Some(1), "{}\n{}", run.command, run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    (located(&report["diagnostics"], "code"), report)
}

/// `file:line FIELD` of each diagnostic or label in `items`.
fn located(items: &serde_json::Value, field: &str) -> Vec<String> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            let file = Path::new(item["file"].as_str().unwrap());
            let relative = file.strip_prefix(inputs()).unwrap_or(file);
            let text = item[field].as_str().unwrap();
            format!("{}:{} {text}", relative.display(), item["line"])
        })
        .collect()
}

#[test]
fn without_the_build_flags_the_variable_and_the_include_are_missing() {
    let (found, _) = check(&[]);
    // Without the include, the custom action it schedules is never scheduled (WXC109, info).
    assert_eq!(
        found,
        [
            "src/product.wxs:3 WXC003",
            "src/product.wxs:6 WXC109",
            "src/product.wxs:7 WXC004"
        ]
    );
}

#[test]
fn with_the_build_flags_the_rules_see_the_preprocessed_package() {
    let (found, report) = check(&build_flags());
    // `--arch x64` chose the branch that anchors to `$(var.Anchor)`, `-d` defined it, and `-I`
    // found the include, whose own mistake is reported in its own text.
    assert_eq!(
        found,
        ["src/product.wxs:10 WXC102", "shared/Common.wxi:4 WXC102"]
    );
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let notes = diagnostics[0]["notes"].as_array().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n == "`$(var.Anchor)` expanded to `InstallValidat`"),
        "{notes:?}"
    );
    assert_eq!(
        diagnostics[0]["column"], 33,
        "the span stays on the value as written"
    );
    let labels = located(&diagnostics[1]["labels"], "message");
    assert_eq!(labels, ["src/product.wxs:7 included from here"]);
}

#[test]
fn order_says_which_defines_were_in_force() {
    let product = inputs().join("src/product.wxs");
    let mut args = vec!["order".to_string()];
    args.extend(build_flags());
    args.push(product.display().to_string());
    let run = run_wixcheck(&args);
    assert_eq!(run.code, Some(1), "{}\n{}", run.command, run.stderr);
    let common = inputs().join("shared/Common.wxi");
    let expected = format!(
        "output: package\n\
         defines from -d: Flavor=Pro, Anchor=InstallValidat\n\
         defines in {product}:\n  \
         Local = from-product  {product}:2\n  \
         and from included files: 1 in {common}\n\n",
        product = product.display(),
        common = common.display()
    );
    assert!(
        run.stdout.starts_with(&expected),
        "expected the header\n{expected}\ngot\n{}",
        run.stdout
    );
}
