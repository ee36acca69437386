//! wixcheck never writes to its inputs: after `check` and `order` in every output format,
//! every fixture, sample and generated hostile file (broken XML, other encodings, includes)
//! has the same bytes and the same modification time as before.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{run_wixcheck, write, TempDir};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// What must not change about a file.
#[derive(Debug, PartialEq)]
struct Snapshot {
    bytes: Vec<u8>,
    modified: SystemTime,
}

fn snapshot(files: &[PathBuf]) -> Vec<(PathBuf, Snapshot)> {
    files
        .iter()
        .map(|file| {
            let snapshot = Snapshot {
                bytes: std::fs::read(file).unwrap(),
                modified: std::fs::metadata(file).unwrap().modified().unwrap(),
            };
            (file.clone(), snapshot)
        })
        .collect()
}

/// Every `.wxs` and `.wxi` under `root`.
fn sources(root: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|entry| entry.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == "wxs" || ext == "wxi")
        })
        .collect()
}

/// Hostile files written for this test, with an include so included files are covered too.
fn generated(dir: &TempDir) -> Vec<PathBuf> {
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(
        "<Wix><Fragment/></Wix>"
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    vec![
        write(dir, "truncated.wxs", b"<Wix><Fragment><Property Id='A'"),
        write(dir, "nul.wxs", b"<Wix>\0</Wix>"),
        write(dir, "empty.wxs", b""),
        write(
            dir,
            "cp1252.wxs",
            b"<?xml version='1.0' encoding='windows-1252'?><Wix Name='\xe9'/>",
        ),
        write(dir, "bad-utf8.wxs", b"<Wix Name='\xe9'/>"),
        write(dir, "utf16.wxs", &utf16),
        write(
            dir,
            "main.wxs",
            b"<Wix><?include inc.wxi?><?include self.wxi?></Wix>",
        ),
        write(dir, "inc.wxi", b"<Include><Fragment/></Include>"),
        write(dir, "self.wxi", b"<Include><?include self.wxi?></Include>"),
    ]
}

#[test]
fn check_and_order_never_modify_their_inputs() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = TempDir::new("untouched");
    let mut files = sources(&crate_dir.join("tests/fixtures"));
    files.extend(sources(&crate_dir.join("samples")));
    files.extend(generated(&dir));
    assert!(files.len() > 50, "only {} inputs", files.len());
    let before = snapshot(&files);
    let given: Vec<String> = files
        .iter()
        .filter(|f| f.extension().is_some_and(|ext| ext == "wxs"))
        .map(|f| f.display().to_string())
        .collect();
    let commands: [&[&str]; 5] = [
        &["check"],
        &["check", "--format", "json"],
        &["order"],
        &["order", "--format", "json"],
        &["order", "--format", "dot"],
    ];
    for command in commands {
        let mut args: Vec<String> = command.iter().map(|s| s.to_string()).collect();
        args.extend(given.iter().cloned());
        let run = run_wixcheck(&args);
        assert!(run.crash().is_none(), "{:?}", run.crash());
        assert_eq!(run.code, Some(1), "{}: {}", run.command, run.stderr);
    }
    let after = snapshot(&files);
    for ((path, was), (_, now)) in before.iter().zip(&after) {
        assert_eq!(was, now, "{} changed", path.display());
    }
}
