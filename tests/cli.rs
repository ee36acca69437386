//! The command line as users and build systems drive it: exit statuses and `--fail-on`,
//! `wixcheck.toml` discovery and its errors, inline suppressions, standard input, `--quiet`,
//! `--color`, `--jobs`, `--timings` and the line formats' shapes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::TempDir;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// What one run printed and how it ended.
struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs wixcheck in `dir` with `args`, feeding `stdin` (empty when `None`).
fn run_in(dir: &Path, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Outcome {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wixcheck"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    pipe.write_all(stdin.unwrap_or_default().as_bytes())
        .unwrap();
    drop(pipe);
    let output = child.wait_with_output().unwrap();
    Outcome {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn run(dir: &Path, args: &[&str]) -> Outcome {
    run_in(dir, args, None, &[])
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The codes in a `--format json` report, in output order.
fn codes(outcome: &Outcome) -> Vec<String> {
    let report: serde_json::Value = serde_json::from_str(&outcome.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", outcome.stdout, outcome.stderr));
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

fn package(body: &str) -> String {
    format!(
        "<Wix xmlns=\"http://wixtoolset.org/schemas/v4/wxs\">\n  <Package Name=\"P\" Manufacturer=\"M\" Version=\"1.0.0\">\n{body}  </Package>\n</Wix>\n"
    )
}

/// WXC301 on line 5.
fn too_late() -> String {
    package(
        "    <CustomAction Id=\"SaveKey\" Property=\"RM\" Value=\"[MsiRestartManagerSessionKey]\" />\n    <InstallExecuteSequence>\n      <Custom Action=\"SaveKey\" After=\"InstallValidate\" />\n    </InstallExecuteSequence>\n",
    )
}

fn clean() -> String {
    package("    <CustomAction Id=\"SaveKey\" Property=\"RM\" Value=\"[MsiRestartManagerSessionKey]\" />\n    <InstallExecuteSequence>\n      <Custom Action=\"SaveKey\" Before=\"InstallValidate\" />\n    </InstallExecuteSequence>\n")
}

/// Only a warning: an allow comment that suppresses nothing (WXC006).
fn warning_only() -> String {
    package("    <!-- wixcheck: allow(WXC101) -->\n    <InstallExecuteSequence />\n")
}

#[test]
fn exit_statuses_and_fail_on() {
    let dir = TempDir::new("cli-exit");
    write(dir.path(), "bad.wxs", &too_late());
    write(dir.path(), "clean.wxs", &clean());
    write(dir.path(), "warn.wxs", &warning_only());
    let code = |args: &[&str]| run(dir.path(), args).code;
    assert_eq!(code(&["clean.wxs"]), Some(0));
    assert_eq!(code(&["bad.wxs"]), Some(1));
    assert_eq!(code(&["bad.wxs", "--fail-on", "never"]), Some(0));
    assert_eq!(code(&["warn.wxs"]), Some(0));
    assert_eq!(code(&["warn.wxs", "--fail-on", "warning"]), Some(1));
    assert_eq!(code(&["warn.wxs", "--fail-on", "error"]), Some(0));
    assert_eq!(code(&["missing.wxs"]), Some(2));
    assert_eq!(code(&["clean.wxs", "--fail-on", "sometimes"]), Some(2));
    assert_eq!(code(&["clean.wxs", "--format", "xml"]), Some(2));
    let help = run(dir.path(), &["check", "--help"]);
    assert_eq!((help.code, help.stderr.as_str()), (Some(0), ""));
    assert_eq!(help.stdout.matches("Usage: wixcheck check").count(), 1);
}

#[test]
fn config_is_found_by_walking_up_from_the_current_directory() {
    let dir = TempDir::new("cli-config-walk");
    write(
        dir.path(),
        "wixcheck.toml",
        "[rules]\nrestart-manager-key-too-late = \"warn\"\n",
    );
    write(dir.path(), "src/deep/bad.wxs", &too_late());
    let deep = dir.path().join("src/deep");
    let outcome = run(&deep, &["--format", "short", "bad.wxs"]);
    assert_eq!(
        outcome.code,
        Some(0),
        "{}{}",
        outcome.stdout,
        outcome.stderr
    );
    assert!(
        outcome.stdout.starts_with("bad.wxs:5:39: warning[WXC301]"),
        "{}",
        outcome.stdout
    );
    // `--config` names another file instead; `allow` drops the finding.
    write(dir.path(), "quiet.toml", "[rules]\nWXC301 = \"allow\"\n");
    let outcome = run(
        &deep,
        &[
            "--format",
            "json",
            "--config",
            "../../quiet.toml",
            "bad.wxs",
        ],
    );
    assert_eq!((outcome.code, codes(&outcome)), (Some(0), vec![]));
    // `deny` makes a warning an error.
    write(dir.path(), "deny.toml", "[rules]\nWXC006 = \"deny\"\n");
    write(dir.path(), "src/deep/warn.wxs", &warning_only());
    let outcome = run(&deep, &["--config", "../../deny.toml", "warn.wxs"]);
    assert_eq!(outcome.code, Some(1));
    let missing = run(&deep, &["--config", "nowhere.toml", "bad.wxs"]);
    assert_eq!(missing.code, Some(2));
    assert!(
        missing.stderr.contains("nowhere.toml"),
        "{}",
        missing.stderr
    );
}

#[test]
fn config_errors_point_into_the_toml() {
    let dir = TempDir::new("cli-config-errors");
    write(
        dir.path(),
        "wixcheck.toml",
        "wix = 4\nexlude = [\"gen/**\"]\n[rules]\nWXC301 = \"loud\"\nno-such-rule = \"allow\"\n",
    );
    write(dir.path(), "clean.wxs", &clean());
    let outcome = run(dir.path(), &["--format", "short", "clean.wxs"]);
    assert_eq!(outcome.code, Some(1), "{}", outcome.stderr);
    assert_eq!(
        outcome.stdout,
        "wixcheck.toml:2:1: error[WXC008]: unknown key `exlude`\n\
         wixcheck.toml:4:10: error[WXC008]: `WXC301` must be a level\n\
         wixcheck.toml:5:1: error[WXC008]: no rule `no-such-rule`\n"
    );
    // The human format shows the TOML like any source.
    let human = run(dir.path(), &["--color", "never", "clean.wxs"]);
    assert!(
        human.stdout.contains("╭─[wixcheck.toml:2:1]"),
        "{}",
        human.stdout
    );
}

#[test]
fn config_settings_apply() {
    let dir = TempDir::new("cli-config-settings");
    write(
        dir.path(),
        "wixcheck.toml",
        "include-dirs = [\"inc\"]\nexclude = [\"src/generated/**\"]\n[defines]\nKeyProperty = \"MsiRestartManagerSessionKey\"\n[reads]\nCheckRm = [\"MsiRestartManagerSessionKey\"]\n",
    );
    // A define from the config, used through an include found in a config include dir.
    write(
        dir.path(),
        "inc/actions.wxi",
        "<Include xmlns=\"http://wixtoolset.org/schemas/v4/wxs\">\n  <CustomAction Id=\"SaveKey\" Property=\"RM\" Value=\"[$(var.KeyProperty)]\" />\n</Include>\n",
    );
    write(
        dir.path(),
        "src/Product.wxs",
        &package("    <?include actions.wxi ?>\n    <InstallExecuteSequence>\n      <Custom Action=\"SaveKey\" After=\"InstallValidate\" />\n    </InstallExecuteSequence>\n"),
    );
    // Excluded (globs are relative to the config's directory): it is not XML.
    write(dir.path(), "src/generated/Other.wxs", "<Wix");
    let outcome = run(dir.path(), &["--format", "json", "src"]);
    assert_eq!(codes(&outcome), ["WXC301"], "{}", outcome.stdout);
    write(
        dir.path(),
        "no-exclude.toml",
        "include-dirs = [\"inc\"]\n[defines]\nKeyProperty = \"MsiRestartManagerSessionKey\"\n",
    );
    let all = run(
        dir.path(),
        &["--format", "json", "--config", "no-exclude.toml", "src"],
    );
    assert_eq!(codes(&all), ["WXC301", "WXC001"], "{}", all.stdout);

    // `[reads]` marks a DLL action as reading the key: its label points into the TOML.
    let dll = TempDir::new("cli-config-reads");
    write(
        dll.path(),
        "wixcheck.toml",
        "[reads]\nCheckRm = [\"MsiRestartManagerSessionKey\"]\n",
    );
    write(
        dll.path(),
        "Product.wxs",
        &package("    <Binary Id=\"B\" SourceFile=\"b.dll\" />\n    <CustomAction Id=\"CheckRm\" BinaryRef=\"B\" DllEntry=\"Check\" />\n    <InstallExecuteSequence>\n      <Custom Action=\"CheckRm\" After=\"InstallValidate\" />\n    </InstallExecuteSequence>\n"),
    );
    let outcome = run(dll.path(), &["--format", "json", "Product.wxs"]);
    let report: serde_json::Value = serde_json::from_str(&outcome.stdout).unwrap();
    let labels = &report["diagnostics"][0]["labels"];
    assert_eq!(
        report["diagnostics"][0]["code"], "WXC301",
        "{}",
        outcome.stdout
    );
    assert!(
        labels
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["file"] == "wixcheck.toml" && l["line"] == 2),
        "{labels}"
    );
}

#[test]
fn suppressions_silence_findings_and_unused_ones_are_reported() {
    let dir = TempDir::new("cli-suppress");
    let suppressed = too_late().replace(
        "      <Custom Action=\"SaveKey\"",
        "      <!-- wixcheck: allow(WXC301) -->\n      <Custom Action=\"SaveKey\"",
    );
    write(dir.path(), "suppressed.wxs", &suppressed);
    let outcome = run(dir.path(), &["--format", "json", "suppressed.wxs"]);
    assert_eq!((outcome.code, codes(&outcome)), (Some(0), vec![]));
    let file_wide = format!(
        "<!-- wixcheck: allow-file(WXC301, WXC101) -->\n{}",
        too_late()
    );
    write(dir.path(), "file.wxs", &file_wide);
    let outcome = run(dir.path(), &["--format", "short", "file.wxs"]);
    assert_eq!(
        outcome.stdout,
        "file.wxs:1:35: warning[WXC006]: `WXC101` suppresses nothing: this file has no WXC101 finding\n"
    );
}

#[test]
fn standard_input_takes_the_stdin_filename() {
    let dir = TempDir::new("cli-stdin");
    let outcome = run_in(
        dir.path(),
        &[
            "--format",
            "short",
            "--stdin-filename",
            "installer/Product.wxs",
            "-",
        ],
        Some(&too_late()),
        &[],
    );
    assert_eq!(outcome.code, Some(1));
    assert!(
        outcome
            .stdout
            .starts_with("installer/Product.wxs:5:39: error[WXC301]"),
        "{}",
        outcome.stdout
    );
    // Standard input joins the files on the command line in one link unit: the action is
    // defined on disk and scheduled in the piped source.
    write(
        dir.path(),
        "Actions.wxs",
        "<Wix xmlns=\"http://wixtoolset.org/schemas/v4/wxs\">\n  <Fragment>\n    <CustomAction Id=\"SaveKey\" Property=\"RM\" Value=\"[MsiRestartManagerSessionKey]\" />\n  </Fragment>\n</Wix>\n",
    );
    let scheduling = package("    <InstallExecuteSequence>\n      <Custom Action=\"SaveKey\" After=\"InstallValidate\" />\n    </InstallExecuteSequence>\n");
    let outcome = run_in(
        dir.path(),
        &["--format", "short", "Actions.wxs", "-"],
        Some(&scheduling),
        &[],
    );
    assert!(
        outcome.stdout.starts_with("<stdin>:4:39: error[WXC301]"),
        "{}{}",
        outcome.stdout,
        outcome.stderr
    );
    let twice = run_in(dir.path(), &["-", "-"], Some(""), &[]);
    assert_eq!(twice.code, Some(2));
}

#[test]
fn quiet_and_color() {
    let dir = TempDir::new("cli-quiet-color");
    write(dir.path(), "bad.wxs", &too_late());
    let loud = run(dir.path(), &["bad.wxs"]);
    assert!(
        loud.stderr.contains("1 file(s) checked: 1 error(s)"),
        "{}",
        loud.stderr
    );
    assert!(!loud.stdout.contains('\u{1b}'), "not a terminal: no colour");
    let quiet = run(dir.path(), &["--quiet", "bad.wxs"]);
    assert_eq!(quiet.stderr, "");
    assert_eq!(quiet.stdout, loud.stdout);
    let always = run(dir.path(), &["--color", "always", "bad.wxs"]);
    assert!(always.stdout.contains('\u{1b}'), "{}", always.stdout);
    // An explicit `always` wins over NO_COLOR; `never` and `auto` print none.
    let no_color = run_in(
        dir.path(),
        &["--color", "always", "bad.wxs"],
        None,
        &[("NO_COLOR", "1")],
    );
    assert!(no_color.stdout.contains('\u{1b}'));
    let never = run(dir.path(), &["--color", "never", "bad.wxs"]);
    assert!(!never.stdout.contains('\u{1b}'));
}

#[test]
fn timings_follow_the_output_one_line_per_stage() {
    let dir = TempDir::new("cli-timings");
    write(dir.path(), "bad.wxs", &too_late());
    let plain = run(dir.path(), &["--format", "short", "bad.wxs"]);
    let stages = ["load", "model", "sequence", "rules", "finish", "render"];
    for args in [
        &["check", "--format", "short", "--timings", "bad.wxs"][..],
        &["order", "--timings", "bad.wxs"][..],
        &["order", "--format", "json", "--timings", "bad.wxs"][..],
    ] {
        let timed = run(dir.path(), args);
        let lines: Vec<&str> = timed.stderr.lines().collect();
        let timing_lines = &lines[lines.len() - stages.len()..];
        for (line, stage) in timing_lines.iter().zip(stages) {
            let millis = line
                .strip_prefix(&format!("timing {stage} "))
                .unwrap_or_else(|| panic!("{args:?}: `{line}` is not the {stage} timing"));
            let (whole, decimal) = millis.split_once('.').unwrap();
            assert!(whole.parse::<u64>().is_ok() && decimal.len() == 1, "{line}");
        }
        assert!(!lines[..lines.len() - stages.len()]
            .iter()
            .any(|line| line.starts_with("timing ")));
    }
    let timed = run(dir.path(), &["--format", "short", "--timings", "bad.wxs"]);
    assert_eq!(timed.stdout, plain.stdout);
    assert!(timed.stderr.starts_with(&plain.stderr), "{}", timed.stderr);
    assert!(!plain.stderr.contains("timing"));
}

#[test]
fn jobs_do_not_change_the_output() {
    let dir = TempDir::new("cli-jobs");
    for n in 0..24 {
        let body = format!(
            "    <CustomAction Id=\"A{n}\" Property=\"P{n}\" Value=\"[MsiRestartManagerSessionKey]\" />\n    <InstallExecuteSequence>\n      <Custom Action=\"A{n}\" After=\"{}\" />\n    </InstallExecuteSequence>\n",
            if n == 0 { "InstallValidate".to_string() } else { format!("A{}", n - 1) }
        );
        let text = if n == 0 {
            // Links the included fragment, which links the others one by one.
            package(&format!("{body}    <CustomActionRef Id=\"Inc\" />\n"))
        } else {
            format!("<Wix xmlns=\"http://wixtoolset.org/schemas/v4/wxs\">\n  <Fragment>\n{body}  </Fragment>\n</Wix>\n")
        };
        write(dir.path(), &format!("f{n:02}.wxs"), &text);
    }
    write(dir.path(), "broken.wxs", "<Wix><unclosed></Wix>");
    // A file with an include among them: it and the files after it join the link unit
    // after the others are loaded, and the included file gets the next id after theirs.
    write(
        dir.path(),
        "f10i.wxs",
        "<Wix xmlns=\"http://wixtoolset.org/schemas/v4/wxs\">\n  <Fragment>\n    <?include part.wxi?>\n  </Fragment>\n</Wix>\n",
    );
    write(
        dir.path(),
        "part.wxi",
        "<Include xmlns=\"http://wixtoolset.org/schemas/v4/wxs\">\n  <CustomAction Id=\"Inc\" Property=\"Q\" Value=\"[MsiRestartManagerSessionKey]\" />\n  <InstallExecuteSequence>\n    <Custom Action=\"Inc\" After=\"A23\" />\n    <Custom Action=\"Missing\" After=\"Nowhere\" />\n  </InstallExecuteSequence>\n</Include>\n",
    );
    for format in ["json", "sarif", "human"] {
        let one = run(dir.path(), &["--format", format, "--jobs", "1", "."]);
        for jobs in ["2", "4"] {
            let many = run(dir.path(), &["--format", format, "--jobs", jobs, "."]);
            assert_eq!(one.stdout, many.stdout, "--format {format} --jobs {jobs}");
        }
        for code in ["WXC301", "WXC001", "WXC102", "WXC103", "part.wxi"] {
            assert!(one.stdout.contains(code), "{code}: {}", one.stdout);
        }
    }
}

/// A file of more than 1 MiB is parsed on a second thread when `--jobs` allows it: the
/// findings are the same, byte for byte, as with one thread, for a clean file and a broken one.
#[test]
fn a_large_file_reads_the_same_on_one_thread_and_two() {
    let dir = TempDir::new("cli-large");
    let components: String = (0..6_000)
        .map(|n| {
            format!(
                "      <Component Id=\"C{n}\" Guid=\"*\">\n        <File Id=\"F{n}\" Source=\"f{n}.dat\" KeyPath=\"yes\" />\n        <RegistryValue Root=\"HKLM\" Key=\"Software\\B\\{n}\" Name=\"P\" Value=\"[INSTALLFOLDER]\" Type=\"string\" />\n      </Component>\n"
            )
        })
        .collect();
    let body = format!(
        "    <StandardDirectory Id=\"ProgramFiles6432Folder\">\n      <Directory Id=\"INSTALLFOLDER\" Name=\"L\" />\n    </StandardDirectory>\n    <ComponentGroup Id=\"All\" Directory=\"INSTALLFOLDER\">\n{components}    </ComponentGroup>\n    <CustomAction Id=\"SaveKey\" Property=\"K\" Value=\"[MsiRestartManagerSessionKey]\" />\n    <InstallExecuteSequence>\n      <Custom Action=\"SaveKey\" After=\"InstallValidate\" />\n    </InstallExecuteSequence>\n"
    );
    let large = package(&body);
    assert!(large.len() > 1 << 20, "{} bytes", large.len());
    write(dir.path(), "large.wxs", &large);
    // Near the end: a broken tag, a forbidden character, a directive (the last two are
    // found after most of the file was streamed, which is then read again as a tree).
    let cut = large[..large.len() - 200].rfind('\n').unwrap() + 1;
    let near_the_end = |inserted: &str| format!("{}{inserted}{}", &large[..cut], &large[cut..]);
    write(dir.path(), "broken.wxs", &near_the_end("<C A='1' A='2'/>"));
    write(dir.path(), "forbidden.wxs", &near_the_end("\u{1}"));
    write(
        dir.path(),
        "directive.wxs",
        &near_the_end("<?define X = 1 ?>"),
    );
    let expected = [
        ("large.wxs", "WXC301"),
        ("broken.wxs", "appears twice"),
        ("forbidden.wxs", "U+0001"),
        ("directive.wxs", "WXC301"),
    ];
    for (file, expected) in expected {
        for format in ["json", "human"] {
            let one = run(dir.path(), &["--format", format, "--jobs", "1", file]);
            let two = run(dir.path(), &["--format", format, "--jobs", "2", file]);
            assert_eq!(one.stdout, two.stdout, "{file} --format {format}");
            assert!(one.stdout.contains(expected), "{file}: {}", one.stdout);
        }
    }
}

#[test]
fn msbuild_format_prints_only_canonical_lines() {
    let dir = TempDir::new("cli-msbuild");
    write(dir.path(), "bad.wxs", &too_late());
    write(dir.path(), "warn.wxs", &warning_only());
    let outcome = run(dir.path(), &["--format", "msbuild", "bad.wxs", "warn.wxs"]);
    assert_eq!(outcome.stderr, "");
    let lines: Vec<&str> = outcome.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", outcome.stdout);
    assert!(lines[0].starts_with("bad.wxs(5,39,5,54): error WXC301: `SaveKey` reads"));
    assert!(lines[1]
        .starts_with("warn.wxs(3,26,3,32): warning WXC006: `WXC101` suppresses nothing: the next element has no WXC101 finding"));
}

/// The MSBuild samples as WixCheck.targets runs them (CI also builds them with xbuild): the
/// defines and the include path are needed, and only RestartManager has a finding.
#[test]
fn msbuild_samples_check_as_the_targets_run_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/msbuild");
    for (project, expected) in [
        ("Clean", String::new()),
        (
            "RestartManager",
            format!(
                "{}(13,48,13,63): error WXC301: `SaveRmSessionKey` reads MsiRestartManagerSessionKey at sequence 1402, after InstallValidate (1400) has cleared it\n",
                root.join("RestartManager/Product.wxs").display()
            ),
        ),
    ] {
        let dir = root.join(project);
        let source = dir.join("Product.wxs");
        let include = dir.join("include");
        let args = [
            "check",
            "--format",
            "msbuild",
            "-d",
            "ProductVersion=2.1.0",
            "-d",
            "Edition=Standard",
            "-I",
            include.to_str().unwrap(),
            source.to_str().unwrap(),
        ];
        let outcome = run(&dir, &args);
        assert_eq!(outcome.stdout, expected, "{project}: {}", outcome.stderr);
        let without_defines = run(&dir, &["check", "--format", "msbuild", source.to_str().unwrap()]);
        assert!(without_defines.stdout.contains("WXC003"), "{project}");
    }
}
