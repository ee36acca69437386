//! `wixcheck.toml`: finding it, reading it with spans, and turning it into settings.
//!
//! The file is found by walking up from the current directory (or named with `--config`). It
//! is added to the [`SourceDb`] like any source, so a bad entry is an ordinary diagnostic
//! (WXC008 invalid-config) with a span into the TOML. Everything valid still applies; an
//! entry that is wrong is skipped. Relative paths and globs in the file are relative to the
//! directory the file is in.
//!
//! ```toml
//! wix = 4                          # WiX semantics for v4-namespace sources
//! include-dirs = ["include"]       # <?include?> search path
//! exclude = ["generated/**"]       # sources never checked
//!
//! [defines]                        # like -d NAME=VALUE
//! Platform = "x64"
//!
//! [rules]                          # by code or name: allow | info | warn | deny
//! WXC110 = "allow"
//! restart-manager-key-too-late = "warn"
//!
//! [reads]                          # custom action → properties it reads (DLL actions)
//! CheckRestartManager = ["MsiRestartManagerSessionKey"]
//! ```

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::model::Spanned;
use crate::rules;
use crate::rules::input::invalid_config::INVALID_CONFIG;
use crate::source::{FileId, SourceDb, Span};
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue};

/// The file name looked for in the current directory and its ancestors.
pub const FILE_NAME: &str = "wixcheck.toml";

const KEYS: &str = "wix, include-dirs, exclude, defines, rules, reads";

/// How a rule is configured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Allow,
    Info,
    Warn,
    Deny,
}

impl Level {
    fn parse(text: &str) -> Option<Level> {
        match text {
            "allow" => Some(Level::Allow),
            "info" => Some(Level::Info),
            "warn" => Some(Level::Warn),
            "deny" => Some(Level::Deny),
            _ => None,
        }
    }

    /// The severity findings get, or `None` when they are dropped.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Allow => None,
            Level::Info => Some(Severity::Info),
            Level::Warn => Some(Severity::Warning),
            Level::Deny => Some(Severity::Error),
        }
    }
}

/// A read `wixcheck.toml`.
#[derive(Debug, Default)]
pub struct Config {
    pub wix: Option<u8>,
    pub include_dirs: Vec<PathBuf>,
    pub defines: Vec<(String, String)>,
    pub levels: Vec<(Code, Level)>,
    /// `(action id, "reads PROPERTY")` pairs, in the annotation's words, spanned in the TOML.
    pub reads: Vec<(String, Spanned<String>)>,
    exclude: Option<GlobSet>,
    dir: PathBuf,
}

impl Config {
    /// True when `path` (as given on the command line) matches an `exclude` glob. Paths under
    /// the config's directory are matched relative to it.
    pub fn excludes(&self, path: &Path) -> bool {
        let Some(exclude) = &self.exclude else {
            return false;
        };
        let absolute = std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf());
        let relative = absolute.strip_prefix(&self.dir).unwrap_or(path);
        exclude.is_match(relative) || exclude.is_match(path)
    }
}

/// The closest `wixcheck.toml` in `start` or one of its ancestors, written relative to
/// `start` (`wixcheck.toml`, `../wixcheck.toml`, …).
pub fn discover(start: &Path) -> Option<PathBuf> {
    let mut shown = PathBuf::new();
    for dir in start.ancestors() {
        if dir.join(FILE_NAME).is_file() {
            return Some(shown.join(FILE_NAME));
        }
        shown.push("..");
    }
    None
}

/// Reads the config at `path` into `db`; problems in it become diagnostics.
pub fn load(
    db: &mut SourceDb,
    path: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> std::io::Result<Config> {
    let text = std::fs::read_to_string(path)?;
    let file = db.add(path.display().to_string(), text);
    let dir = std::path::absolute(path)?
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let (table, errors) = DeTable::parse_recoverable(db.file(file).text());
    for error in &errors {
        let range = error.span().unwrap_or(0..0);
        let message = error.message().trim();
        diagnostics.push(INVALID_CONFIG.diagnostic(
            Span::new(file, range.start, range.end),
            format!("invalid TOML: {message}"),
        ));
    }
    let mut reader = Reader {
        file,
        dir,
        config: Config::default(),
        syntax_errors: errors.iter().filter_map(toml::de::Error::span).collect(),
        diagnostics,
    };
    reader.top_level(table.get_ref());
    let mut config = reader.config;
    config.dir = reader.dir;
    Ok(config)
}

type Entry<'t, 'i> = (
    &'t toml::Spanned<toml::de::DeString<'i>>,
    &'t toml::Spanned<DeValue<'i>>,
);

struct Reader<'d> {
    file: FileId,
    dir: PathBuf,
    config: Config,
    /// Where the TOML did not parse: values there are what recovery made up, not reported.
    syntax_errors: Vec<std::ops::Range<usize>>,
    diagnostics: &'d mut Vec<Diagnostic>,
}

impl Reader<'_> {
    fn report(&mut self, range: std::ops::Range<usize>, message: String, help: Option<String>) {
        let recovered = self
            .syntax_errors
            .iter()
            .any(|error| error.start <= range.start && range.start <= error.end);
        if recovered {
            return;
        }
        let span = Span::new(self.file, range.start, range.end);
        let mut diagnostic = INVALID_CONFIG.diagnostic(span, message);
        diagnostic.help = help;
        self.diagnostics.push(diagnostic);
    }

    fn top_level(&mut self, table: &DeTable<'_>) {
        let mut exclude = GlobSetBuilder::new();
        let mut has_exclude = false;
        for (key, value) in table {
            match key.get_ref().as_ref() {
                "wix" => self.wix(value),
                "include-dirs" => {
                    for dir in self.strings((key, value)) {
                        self.config.include_dirs.push(self.dir.join(dir.value));
                    }
                }
                "exclude" => {
                    for pattern in self.strings((key, value)) {
                        match Glob::new(&pattern.value) {
                            Ok(glob) => {
                                exclude.add(glob);
                                has_exclude = true;
                            }
                            Err(err) => self.report(
                                pattern.range,
                                format!("invalid glob `{}`: {}", pattern.value, err.kind()),
                                None,
                            ),
                        }
                    }
                }
                "defines" => self.table((key, value), Self::define),
                "rules" => self.table((key, value), Self::rule),
                "reads" => self.table((key, value), Self::reads),
                other => self.report(
                    key.span(),
                    format!("unknown key `{other}`"),
                    Some(format!("wixcheck.toml knows {KEYS}")),
                ),
            }
        }
        if has_exclude {
            self.config.exclude = exclude.build().ok();
        }
    }

    fn wix(&mut self, value: &toml::Spanned<DeValue<'_>>) {
        let version = match value.get_ref() {
            DeValue::Integer(number) => number.as_str().parse::<u8>().ok(),
            _ => None,
        };
        match version {
            Some(version @ 3..=6) => self.config.wix = Some(version),
            _ => self.report(
                value.span(),
                "`wix` must be 3, 4, 5 or 6".to_string(),
                Some("write the WiX major version as a number: wix = 4".to_string()),
            ),
        }
    }

    /// A table's entries, each handed to `entry`; anything else is reported.
    fn table(&mut self, (key, value): Entry<'_, '_>, entry: fn(&mut Self, Entry<'_, '_>)) {
        match value.get_ref() {
            DeValue::Table(table) => {
                for pair in table {
                    entry(self, pair);
                }
            }
            _ => self.report(
                value.span(),
                format!("`{}` must be a table", key.get_ref()),
                Some(format!("write it as a [{}] section", key.get_ref())),
            ),
        }
    }

    fn define(&mut self, (key, value): Entry<'_, '_>) {
        match value.get_ref() {
            DeValue::String(text) => self
                .config
                .defines
                .push((key.get_ref().to_string(), text.to_string())),
            _ => self.report(
                value.span(),
                format!("the value of define `{}` must be a string", key.get_ref()),
                Some("quote it: NAME = \"VALUE\"".to_string()),
            ),
        }
    }

    fn rule(&mut self, (key, value): Entry<'_, '_>) {
        let Some(rule) = rules::find(key.get_ref()) else {
            return self.report(
                key.span(),
                format!("no rule `{}`", key.get_ref()),
                Some("`wixcheck rules` lists the codes and names".to_string()),
            );
        };
        let level = match value.get_ref() {
            DeValue::String(text) => Level::parse(text),
            _ => None,
        };
        match level {
            Some(level) => self.config.levels.push((rule.code, level)),
            None => self.report(
                value.span(),
                format!("`{}` must be a level", key.get_ref()),
                Some("use \"allow\", \"info\", \"warn\" or \"deny\"".to_string()),
            ),
        }
    }

    fn reads(&mut self, (key, value): Entry<'_, '_>) {
        let action = key.get_ref().to_string();
        for property in self.strings((key, value)) {
            let span = Span::new(self.file, property.range.start, property.range.end);
            let annotation = Spanned::new(format!("reads {}", property.value), span);
            self.config.reads.push((action.clone(), annotation));
        }
    }

    /// A string or an array of strings; anything else is reported.
    fn strings(&mut self, (key, value): Entry<'_, '_>) -> Vec<Located> {
        let items: Vec<&toml::Spanned<DeValue<'_>>> = match value.get_ref() {
            DeValue::Array(array) => array.iter().collect(),
            _ => vec![value],
        };
        let mut strings = Vec::new();
        for item in items {
            match item.get_ref() {
                DeValue::String(text) => strings.push(Located {
                    value: text.to_string(),
                    range: item.span(),
                }),
                _ => self.report(
                    item.span(),
                    format!("`{}` must be a string or a list of strings", key.get_ref()),
                    None,
                ),
            }
        }
        strings
    }
}

/// A string from the TOML and where it is written.
struct Located {
    value: String,
    range: std::ops::Range<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Config, Vec<Diagnostic>, SourceDb) {
        let dir = std::env::temp_dir().join(format!("wixcheck-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = dir.join(format!("{n}.toml"));
        std::fs::write(&path, text).unwrap();
        let mut db = SourceDb::new();
        let mut diagnostics = Vec::new();
        let config = load(&mut db, &path, &mut diagnostics).unwrap();
        let _ = std::fs::remove_file(&path);
        (config, diagnostics, db)
    }

    #[test]
    fn reads_every_key() {
        let (config, diagnostics, _) = read(
            "wix = 4\ninclude-dirs = [\"inc\"]\nexclude = \"gen/**\"\n[defines]\nA = \"1\"\n[rules]\nWXC110 = \"allow\"\nschedule-cycle = \"warn\"\n[reads]\nDll = [\"P1\", \"P2\"]\n",
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(config.wix, Some(4));
        assert!(config.include_dirs[0].ends_with("inc"));
        assert_eq!(config.defines, [("A".to_string(), "1".to_string())]);
        let levels: Vec<_> = config.levels.iter().map(|(c, l)| (c.code, *l)).collect();
        assert_eq!(levels, [("WXC110", Level::Allow), ("WXC101", Level::Warn)]);
        let reads: Vec<_> = config
            .reads
            .iter()
            .map(|(a, r)| (a.as_str(), r.value.as_str()))
            .collect();
        assert_eq!(reads, [("Dll", "reads P1"), ("Dll", "reads P2")]);
        assert!(config.excludes(Path::new(&config.dir.join("gen/a.wxs"))));
        assert!(!config.excludes(Path::new(&config.dir.join("src/a.wxs"))));
    }

    #[test]
    fn bad_entries_are_spanned_diagnostics() {
        let text = "wix = 9\ncolour = 1\n[rules]\nWXC999 = \"allow\"\nWXC101 = \"loud\"\n";
        let (config, mut diagnostics, db) = read(text);
        diagnostics.sort_by_key(|d| d.primary.start);
        let spans: Vec<&str> = diagnostics.iter().map(|d| db.text(d.primary)).collect();
        assert_eq!(spans, ["9", "colour", "WXC999", "\"loud\""]);
        assert!(diagnostics.iter().all(|d| d.code.code == "WXC008"));
        assert_eq!(config.wix, None);
        assert!(config.levels.is_empty());
    }

    #[test]
    fn syntax_errors_point_into_the_file() {
        let (_, diagnostics, db) = read("wix = \n");
        assert!(!diagnostics.is_empty());
        assert!(
            diagnostics
                .iter()
                .all(|d| d.message.starts_with("invalid TOML")),
            "{diagnostics:?}"
        );
        assert_eq!(
            db.file(diagnostics[0].primary.file)
                .line_column(diagnostics[0].primary.start)
                .0,
            1
        );
    }
}
