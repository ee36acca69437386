//! What the command line does with the paths it is given: directories (even one named
//! `x.wxs`), globs expanded by wixcheck itself, symbolic link loops, unreadable, missing and
//! empty files, the same file named twice, include cycles. Problems with one file are
//! findings and the other files are still checked; exit status 2 is kept for paths that
//! cannot be used at all, with a message naming the path.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{check, only, run_wixcheck, write, Finding, TempDir};
use std::path::{Path, PathBuf};

/// A file with a two-action cycle named after `tag`, so its finding tells which file ran.
fn cycle_file(dir: &Path, relative: &str, tag: &str) -> PathBuf {
    let path = dir.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let text = format!(
        "<Wix xmlns=\"http://wixtoolset.org/schemas/v4/wxs\">\n  <Fragment>\n    <CustomAction Id=\"{tag}1\" Property=\"P\" Value=\"1\" />\n    <CustomAction Id=\"{tag}2\" Property=\"P\" Value=\"2\" />\n    <InstallExecuteSequence>\n      <Custom Action=\"{tag}1\" After=\"{tag}2\" />\n      <Custom Action=\"{tag}2\" After=\"{tag}1\" />\n    </InstallExecuteSequence>\n  </Fragment>\n</Wix>\n"
    );
    std::fs::write(&path, text).unwrap();
    path
}

/// The tags of the cycles found, sorted.
fn cycles(findings: &[Finding]) -> Vec<String> {
    let mut tags: Vec<String> = findings
        .iter()
        .filter(|f| f.code == "WXC101")
        .map(|f| f.message.trim_start_matches('`').chars().take(2).collect())
        .collect();
    tags.sort();
    tags
}

/// Runs `wixcheck check ARGS` expecting a usage error; returns stderr.
fn usage_error(args: &[String]) -> String {
    let run = run_wixcheck(args);
    assert!(run.crash().is_none(), "{:?}", run.crash());
    assert_eq!(run.code, Some(2), "{}: {}", run.command, run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    run.stderr
}

fn arg(path: &Path) -> String {
    path.display().to_string()
}

#[test]
fn directories_are_walked_skipping_build_output_even_when_named_like_a_source() {
    let dir = TempDir::new("walk");
    let root = dir.path();
    cycle_file(root, "src/a.wxs", "Aa");
    cycle_file(root, "src/sub/b.wxs", "Bb");
    cycle_file(root, "src/bin/c.wxs", "Cc");
    cycle_file(root, "src/obj/d.wxs", "Dd");
    cycle_file(root, "src/.git/e.wxs", "Ee");
    cycle_file(root, "dir.wxs/f.wxs", "Ff");
    std::fs::write(root.join("src/notes.txt"), "not a source").unwrap();
    let (code, findings) = check(&[&root.join("src"), &root.join("dir.wxs")]);
    assert_eq!(code, 1);
    assert_eq!(cycles(&findings), ["Aa", "Bb", "Ff"]);
    // A directory that holds no sources is a usage error that names it.
    std::fs::create_dir_all(root.join("empty")).unwrap();
    let stderr = usage_error(&["check".into(), arg(&root.join("empty"))]);
    assert!(
        stderr.contains("empty: the directory holds no .wxs files"),
        "{stderr}"
    );
}

#[test]
fn globs_are_expanded_by_wixcheck() {
    let dir = TempDir::new("glob");
    let root = dir.path();
    cycle_file(root, "src/a.wxs", "Aa");
    cycle_file(root, "src/sub/b.wxs", "Bb");
    cycle_file(root, "src/bin/c.wxs", "Cc");
    cycle_file(root, "src/x.wxi", "Xx");
    let pattern = |p: &str| PathBuf::from(format!("{}/{p}", root.display()));
    assert_eq!(cycles(&check(&[&pattern("src/*.wxs")]).1), ["Aa"]);
    assert_eq!(cycles(&check(&[&pattern("src/**/*.wxs")]).1), ["Aa", "Bb"]);
    assert_eq!(cycles(&check(&[&pattern("**/?.wxs")]).1), ["Aa", "Bb"]);
    // Relative patterns start where wixcheck runs.
    let run = common::run_wixcheck_in(root, &["check", "--format", "json", "src/*.wxs"], &[]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stdout.contains("\"file\": \"src/a.wxs\""),
        "{}",
        run.stdout
    );
    let stderr = usage_error(&["check".into(), arg(&pattern("src/*.wxl"))]);
    assert!(
        stderr.contains("*.wxl: no files match this pattern"),
        "{stderr}"
    );
    let stderr = usage_error(&["check".into(), arg(&pattern("src/[.wxs"))]);
    assert!(stderr.contains("not a valid pattern"), "{stderr}");
}

#[test]
fn missing_paths_are_usage_errors_that_name_the_path() {
    let dir = TempDir::new("missing");
    let good = cycle_file(dir.path(), "a.wxs", "Aa");
    let missing = dir.path().join("nope.wxs");
    let stderr = usage_error(&["check".into(), arg(&good), arg(&missing)]);
    assert!(
        stderr.contains(&format!("{}: no such file or directory", missing.display())),
        "{stderr}"
    );
}

#[test]
fn empty_files_are_wxc001_and_the_same_file_twice_is_read_once() {
    let dir = TempDir::new("empty");
    let empty = write(&dir, "empty.wxs", b"");
    let good = cycle_file(dir.path(), "a.wxs", "Aa");
    let dotted = dir.path().join(".").join("a.wxs");
    let (code, findings) = check(&[&empty, &good, &dotted, dir.path()]);
    assert_eq!(code, 1);
    let found = only(&findings, "WXC001");
    assert_eq!((found.line, found.column), (1, 1));
    assert!(found.message.contains("empty"), "{}", found.message);
    assert_eq!(cycles(&findings), ["Aa"]);
}

#[cfg(unix)]
#[test]
fn a_file_walked_through_a_linked_directory_is_the_same_file_as_given() {
    use std::os::unix::fs::symlink;
    let dir = TempDir::new("linked-dir");
    let root = dir.path();
    let given = cycle_file(root, "real/a.wxs", "Aa");
    cycle_file(root, "real/sub/b.wxs", "Bb");
    symlink("real", root.join("link")).unwrap();
    let pattern = root.join("link").join("*").join("*.wxs");
    let paths = [&root.join("link"), &given, &pattern, &root.join("real")];
    let mut args = vec!["check".to_string(), "--format".into(), "short".into()];
    args.extend(paths.iter().map(|path| arg(path)));
    let run = run_wixcheck(&args);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("2 file(s) checked"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn symbolic_link_loops_are_findings_or_not_followed() {
    use std::os::unix::fs::symlink;
    let dir = TempDir::new("links");
    let root = dir.path();
    cycle_file(root, "src/a.wxs", "Aa");
    symlink("loop.wxs", root.join("src/loop.wxs")).unwrap();
    symlink("..", root.join("src/up")).unwrap();
    symlink("a.wxs", root.join("src/alias.wxs")).unwrap();
    let (code, findings) = check(&[&root.join("src")]);
    assert_eq!(code, 1);
    // The directory link back up is not followed; the alias is the same file, read once.
    assert_eq!(cycles(&findings), ["Aa"]);
    let found = only(&findings, "WXC002");
    assert!(found.file.ends_with("loop.wxs"), "{found:?}");
    assert!(found.message.contains("cannot read the file"), "{found:?}");
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_wxc002_and_the_others_are_still_checked() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("unreadable");
    let good = cycle_file(dir.path(), "a.wxs", "Aa");
    let locked = cycle_file(dir.path(), "b.wxs", "Bb");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let (code, findings) = check(&[&good, &locked]);
    assert_eq!(code, 1);
    if std::fs::read(&locked).is_ok() {
        // Running as root: permissions do not stop reading, so the file is checked.
        eprintln!("note: running as root, the locked file is readable");
        assert_eq!(cycles(&findings), ["Aa", "Bb"]);
    } else {
        assert_eq!(cycles(&findings), ["Aa"]);
        let found = only(&findings, "WXC002");
        assert!(found.message.contains("Permission denied"), "{found:?}");
    }
}

#[test]
fn include_cycles_and_self_includes_are_wxc004_not_a_hang() {
    let dir = TempDir::new("include-cycle");
    let main = "<Wix xmlns=\"http://wixtoolset.org/schemas/v4/wxs\">\n  <?include a.wxi?>\n  <?include self.wxi?>\n  <?include guarded.wxi?>\n</Wix>\n";
    let main = write(&dir, "main.wxs", main.as_bytes());
    write(
        &dir,
        "a.wxi",
        b"<Include>\n  <?include b.wxi?>\n</Include>\n",
    );
    write(
        &dir,
        "b.wxi",
        b"<Include>\n  <?include a.wxi?>\n</Include>\n",
    );
    write(
        &dir,
        "self.wxi",
        b"<Include>\n  <?include self.wxi?>\n</Include>\n",
    );
    // WiX allows a self-include that a guard stops; it is not a cycle.
    let guarded = "<Include>\n  <?ifndef Guard?>\n  <?define Guard = 1?>\n  <?include guarded.wxi?>\n  <?endif?>\n</Include>\n";
    write(&dir, "guarded.wxi", guarded.as_bytes());
    let (code, findings) = check(&[&main]);
    assert_eq!(code, 1);
    let mut places: Vec<(String, u64, u64)> = findings
        .iter()
        .filter(|f| f.code == "WXC004")
        .map(|f| {
            let name = Path::new(&f.file).file_name().unwrap();
            (name.to_string_lossy().into_owned(), f.line, f.column)
        })
        .collect();
    places.sort();
    assert_eq!(
        places,
        // At the file name of `  <?include a.wxi?>`.
        [
            ("b.wxi".to_string(), 2, 13),
            ("self.wxi".to_string(), 2, 13)
        ],
        "{findings:#?}"
    );
}
