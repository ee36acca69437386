//! Helpers shared by the integration tests: locating `../shared`, running the
//! `wixcheck` binary with a time limit, treating a panic as a failure, and a
//! typed view of the `wixcheck order --format json` report.
//!
//! Every test crate uses a different subset of these helpers, hence the
//! `dead_code` allowance.
#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde::Deserialize;

/// How long one `wixcheck` invocation may take before it counts as a hang.
const RUN_LIMIT: Duration = Duration::from_secs(60);

/// The third-party test data directory (`../shared` next to the crate), or
/// `None` after printing a loud SKIPPED line when it is absent (a failure instead when
/// `WIXCHECK_REQUIRE_SHARED` is set, as CI does).
pub fn shared_dir(test: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if dir.is_dir() {
        Some(dir)
    } else {
        assert!(
            std::env::var_os("WIXCHECK_REQUIRE_SHARED").is_none(),
            "WIXCHECK_REQUIRE_SHARED is set but ../shared is missing at {}",
            dir.display()
        );
        eprintln!(
            "SKIPPED: ../shared not found at {}; {test} did not run (the test data is not part of this repository)",
            dir.display()
        );
        None
    }
}

/// What one run of the binary produced.
#[derive(Debug)]
pub struct Run {
    /// The command line, for messages.
    pub command: String,
    /// Exit code; `None` if the process was killed by a signal.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub timed_out: bool,
}

impl Run {
    /// A panic (exit code 101), a signal or a hang: never acceptable.
    pub fn crash(&self) -> Option<String> {
        if self.timed_out {
            return Some(format!("timed out after {RUN_LIMIT:?}: {}", self.command));
        }
        match self.code {
            None => Some(format!(
                "killed by a signal: {}\n{}",
                self.command, self.stderr
            )),
            Some(101) => Some(format!(
                "panicked (exit 101): {}\n{}",
                self.command, self.stderr
            )),
            Some(_) => None,
        }
    }

    /// Parses stdout as the JSON report.
    pub fn report(&self) -> Result<Report, String> {
        serde_json::from_str(&self.stdout).map_err(|e| {
            format!(
                "stdout of `{}` is not a valid report ({e}); exit {:?}; stdout starts {:?}; stderr starts {:?}",
                self.command,
                self.code,
                head(&self.stdout, 300),
                head(&self.stderr, 300)
            )
        })
    }
}

/// The first `n` characters of `s`.
pub fn head(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// Runs `wixcheck` with `args`, killing it after [`RUN_LIMIT`].
pub fn run_wixcheck<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Run {
    run_wixcheck_with_env(args, &[])
}

/// [`run_wixcheck`] with extra environment variables.
pub fn run_wixcheck_with_env<S: AsRef<std::ffi::OsStr>>(args: &[S], env: &[(&str, &str)]) -> Run {
    run_wixcheck_in(Path::new("."), args, env)
}

/// [`run_wixcheck_with_env`] in the working directory `dir` (what `$(sys.CURRENTDIR)` is).
pub fn run_wixcheck_in<S: AsRef<std::ffi::OsStr>>(
    dir: &Path,
    args: &[S],
    env: &[(&str, &str)],
) -> Run {
    let exe = env!("CARGO_BIN_EXE_wixcheck");
    let command = std::iter::once("wixcheck".to_string())
        .chain(
            args.iter()
                .map(|a| a.as_ref().to_string_lossy().into_owned()),
        )
        .collect::<Vec<_>>()
        .join(" ");
    let mut child = Command::new(exe)
        .current_dir(dir)
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {exe}: {e}"));
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let started = Instant::now();
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > RUN_LIMIT => {
                timed_out = true;
                let _ = child.kill();
                break child.wait().ok();
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(e) => panic!("waiting for `{command}` failed: {e}"),
        }
    };
    Run {
        command,
        code: status.and_then(|s| s.code()),
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
        timed_out,
    }
}

/// Reads a child pipe to the end on its own thread (so a full pipe never blocks the child).
fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// A fresh, empty directory under the system temp dir, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("wixcheck-{label}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The `wixcheck order --format json` report (unknown fields are ignored).
#[derive(Debug, Deserialize)]
pub struct Report {
    pub tables: Vec<SequenceTable>,
    #[serde(default)]
    pub custom_actions: Vec<CustomActionRow>,
    #[serde(default)]
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Deserialize)]
pub struct SequenceTable {
    pub table: String,
    pub actions: Vec<ActionRow>,
}

#[derive(Debug, Deserialize)]
pub struct ActionRow {
    pub action: String,
    pub sequence: Option<i64>,
    pub placement: Option<String>,
    pub anchor: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct CustomActionRow {
    pub id: String,
    #[serde(rename = "type")]
    pub type_: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub struct Diagnostic {
    pub code: String,
    pub severity: Option<String>,
    pub message: String,
    #[serde(default)]
    pub notes: Vec<String>,
}

/// What a report says about one action of one table.
#[derive(Debug)]
pub enum Row<'a> {
    /// The table (or the action in it) is not in the report.
    Absent,
    /// Listed more than once: always wrong.
    Duplicated(usize),
    /// Listed once.
    Once(&'a ActionRow),
}

impl Report {
    pub fn table(&self, name: &str) -> Option<&SequenceTable> {
        self.tables.iter().find(|t| t.table == name)
    }

    /// All rows of `table`, empty if the table is absent.
    pub fn rows(&self, table: &str) -> &[ActionRow] {
        self.table(table).map_or(&[], |t| t.actions.as_slice())
    }

    pub fn row(&self, table: &str, action: &str) -> Row<'_> {
        let found: Vec<&ActionRow> = self
            .rows(table)
            .iter()
            .filter(|r| r.action == action)
            .collect();
        match found.as_slice() {
            [] => Row::Absent,
            [one] => Row::Once(one),
            many => Row::Duplicated(many.len()),
        }
    }

    /// The sequence number of `action` in `table`; `None` if absent or null.
    pub fn sequence(&self, table: &str, action: &str) -> Option<i64> {
        match self.row(table, action) {
            Row::Once(r) => r.sequence,
            _ => None,
        }
    }

    pub fn custom_action_type(&self, id: &str) -> Result<Option<i64>, String> {
        match self
            .custom_actions
            .iter()
            .filter(|c| c.id == id)
            .collect::<Vec<_>>()
            .as_slice()
        {
            [] => Err(format!(
                "custom action {id} is not listed in custom_actions"
            )),
            [one] => Ok(one.type_),
            many => Err(format!("custom action {id} is listed {} times", many.len())),
        }
    }

    pub fn diagnostics_with_code<'a>(
        &'a self,
        code: &'a str,
    ) -> impl Iterator<Item = &'a Diagnostic> + 'a {
        self.diagnostics.iter().filter(move |d| d.code == code)
    }

    pub fn has_code(&self, code: &str) -> bool {
        self.diagnostics_with_code(code).next().is_some()
    }

    /// True if some diagnostic with `code` has a note equal to `note` (ignoring surrounding whitespace).
    pub fn has_note(&self, code: &str, note: &str) -> bool {
        self.diagnostics_with_code(code)
            .any(|d| d.notes.iter().any(|n| n.trim() == note))
    }

    /// `code: message` of every diagnostic, for failure messages.
    pub fn diagnostic_summary(&self) -> String {
        self.diagnostics
            .iter()
            .map(|d| {
                format!(
                    "{} {}: {} {:?}",
                    d.code,
                    d.severity.as_deref().unwrap_or("?"),
                    d.message,
                    d.notes
                )
            })
            .collect::<Vec<_>>()
            .join("\n    ")
    }
}

/// WiX error 176 as wixcheck quotes it in a note (WiX's exact text).
pub fn wix0176_note(table: &str, action: &str, other: &str) -> String {
    format!(
        "WiX: WIX0176: The {table} table contains an action '{action}' that is scheduled to come before or after action '{other}', which is also scheduled to come before or after action '{action}'. Please remove this circular dependency by changing the Before or After attribute for one of the actions."
    )
}

/// WiX error 94 as wixcheck quotes it in a note (WiX's exact text).
pub fn wix0094_note(identifier: &str) -> String {
    format!(
        "WiX: WIX0094: The identifier '{identifier}' could not be found. Ensure you have typed the reference correctly and that all the necessary inputs are provided to the linker."
    )
}

/// One diagnostic of `check --format json`.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub file: String,
    pub code: String,
    pub line: u64,
    pub column: u64,
    pub message: String,
}

/// Runs `wixcheck check --format json PATHS` and returns the exit code and the findings.
pub fn check(paths: &[&Path]) -> (i32, Vec<Finding>) {
    let mut args = vec!["check".to_string(), "--format".into(), "json".into()];
    args.extend(paths.iter().map(|p| p.display().to_string()));
    let run = run_wixcheck(&args);
    if let Some(crash) = run.crash() {
        panic!("{crash}");
    }
    let report = serde_json::from_str::<serde_json::Value>(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", run.stdout, run.stderr));
    let findings = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| Finding {
            file: d["file"].as_str().unwrap().to_string(),
            code: d["code"].as_str().unwrap().to_string(),
            line: d["line"].as_u64().unwrap(),
            column: d["column"].as_u64().unwrap(),
            message: d["message"].as_str().unwrap().to_string(),
        })
        .collect();
    (run.code.unwrap(), findings)
}

/// The only finding with `code`, failing if there is not exactly one.
pub fn only(findings: &[Finding], code: &str) -> Finding {
    let matching: Vec<&Finding> = findings.iter().filter(|f| f.code == code).collect();
    assert_eq!(matching.len(), 1, "expected one {code}: {findings:#?}");
    matching[0].clone()
}

/// 1-based line and column (in characters) where `needle` starts in `text`.
pub fn position_of(text: &str, needle: &str) -> (u64, u64) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in the text"));
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let line = before.matches('\n').count() + 1;
    (line as u64, before[line_start..].chars().count() as u64 + 1)
}

pub fn write(dir: &TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}
