//! The preprocessor's variable table and `$(...)` substitution.
//!
//! [`Variables`] holds `var.` values (seeded from `-d`, changed by `<?define?>`, `<?undef?>`
//! and `<?foreach?>`) and answers `env.` and `sys.` lookups the way WiX's `PreprocessHelper`
//! does. [`substitute`] rewrites one string, returning the problems it met as byte ranges of
//! that string, so the caller decides which file span each one lands on. Nothing here reports
//! diagnostics or touches the element tree.

use crate::source::Span;
use std::borrow::Cow;
use std::cell::{Cell, OnceCell};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::ops::Range;

/// A defined `var.` variable: its value and what set it last.
#[derive(Clone, Debug)]
pub(crate) struct Definition {
    pub value: String,
    pub origin: Origin,
}

/// What set a variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// `-d NAME=VALUE`.
    CommandLine,
    /// `<?define?>`; the span is the instruction's data.
    Define(Span),
    /// The loop variable of the `<?foreach?>` at this span.
    Foreach(Span),
}

/// What `sys.` variables need to know about the run.
#[derive(Clone, Debug, Default)]
pub(crate) struct System {
    /// The current directory, ending with a separator; asked for on first use (few files
    /// use `sys.CURRENTDIR`, and every walk has a `System`).
    pub current_dir: OnceCell<String>,
    /// `x86`, `x64` or `arm64`.
    pub arch: String,
    pub wix_major: u8,
}

/// How many bytes variable values may add to the text of one walk. Definitions that repeat
/// other variables grow exponentially (`<?define B = $(A)$(A)?>`, then C from B, …: a
/// "billion laughs" of the preprocessor); past this, references stay unexpanded.
pub(crate) const MAX_EXPANDED_BYTES: usize = 64 * 1024 * 1024;

/// The variable table of one walk.
#[derive(Debug, Default)]
pub(crate) struct Variables {
    table: HashMap<String, Definition>,
    pub system: System,
    /// Bytes substituted so far in this walk, against [`MAX_EXPANDED_BYTES`].
    expanded: Cell<usize>,
}

/// The result of looking up one variable name (the text between `$(` and `)`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Lookup {
    Value(String),
    Undefined,
    /// `$()`, `$(var.)`: not a variable reference at all.
    Malformed,
}

impl Variables {
    /// Defines or overwrites `name`; returns the previous definition.
    pub fn define(&mut self, name: &str, value: String, origin: Origin) -> Option<Definition> {
        self.table
            .insert(name.to_string(), Definition { value, origin })
    }

    /// Every defined `var.` variable, sorted by name.
    pub fn sorted(&self) -> Vec<(&str, &Definition)> {
        let mut all: Vec<(&str, &Definition)> = self
            .table
            .iter()
            .map(|(name, definition)| (name.as_str(), definition))
            .collect();
        all.sort_by(|a, b| a.0.cmp(b.0));
        all
    }

    pub fn undefine(&mut self, name: &str) -> Option<Definition> {
        self.table.remove(name)
    }

    /// A digest of every defined name and value (not where they were defined).
    pub fn digest(&self) -> u64 {
        let mut defined: Vec<(&String, &String)> = self
            .table
            .iter()
            .map(|(name, definition)| (name, &definition.value))
            .collect();
        defined.sort_unstable();
        let mut hasher = std::hash::DefaultHasher::new();
        defined.hash(&mut hasher);
        hasher.finish()
    }

    /// Looks up `name` as written inside `$(...)` (a missing prefix means `var.`); `file`
    /// gives the absolute path of the file being read, for `sys.SOURCEFILEDIR` and
    /// `sys.SOURCEFILEPATH` (finding it asks the system for the current directory, so only
    /// they ask).
    pub fn lookup(&self, name: &str, file: &dyn Fn() -> String) -> Lookup {
        let Some((prefix, rest)) = name.split_once('.') else {
            if name.is_empty() {
                return Lookup::Malformed;
            }
            return self.var(name);
        };
        if rest.is_empty() || prefix.is_empty() {
            return Lookup::Malformed;
        }
        let found = match prefix {
            "var" => self.table.get(rest).map(|d| d.value.clone()),
            "env" => environment(rest),
            "sys" => self.system(rest, file),
            _ => None,
        };
        match found {
            Some(value) => Lookup::Value(value),
            // A dot that is part of the name rather than a prefix: `<?define A.B = 1?>`.
            None => self.var(name),
        }
    }

    fn var(&self, name: &str) -> Lookup {
        match self.table.get(name) {
            Some(definition) => Lookup::Value(definition.value.clone()),
            None => Lookup::Undefined,
        }
    }

    fn system(&self, name: &str, file: &dyn Fn() -> String) -> Option<String> {
        let arch = if self.system.arch.is_empty() {
            "x86"
        } else {
            self.system.arch.as_str()
        };
        let separator = std::path::MAIN_SEPARATOR;
        Some(match name {
            "CURRENTDIR" => self.system.current_dir.get_or_init(current_dir).clone(),
            "SOURCEFILEDIR" => {
                let dir = std::path::Path::new(&file())
                    .parent()
                    .map(|dir| dir.display().to_string())
                    .unwrap_or_default();
                format!("{dir}{separator}")
            }
            "SOURCEFILEPATH" => file(),
            "BUILDARCH" | "PLATFORM" => arch.to_string(),
            "BUILDARCHSHORT" => match arch {
                "x86" => "X86".to_string(),
                "x64" => "X64".to_string(),
                "arm64" => "A64".to_string(),
                other => other.to_uppercase(),
            },
            "WIXMAJORVERSION" => self.system.wix_major.to_string(),
            "WIXVERSION" => format!("{}.0.0.0", self.system.wix_major),
            _ => return None,
        })
    }
}

/// The current directory, ending with a separator (empty when it cannot be known).
fn current_dir() -> String {
    let separator = std::path::MAIN_SEPARATOR;
    std::env::current_dir()
        .map(|dir| format!("{}{separator}", dir.display()))
        .unwrap_or_default()
}

/// An environment variable; names are matched exactly first, then ignoring case (as on
/// Windows, where WiX usually runs), preferring the smallest matching name.
fn environment(name: &str) -> Option<String> {
    if let Some(value) = std::env::var_os(name) {
        return Some(value.to_string_lossy().into_owned());
    }
    std::env::vars_os()
        .filter_map(|(key, value)| {
            let key = key.to_string_lossy().into_owned();
            key.eq_ignore_ascii_case(name)
                .then(|| (key, value.to_string_lossy().into_owned()))
        })
        .min()
        .map(|(_, value)| value)
}

/// Something [`substitute`] could not resolve, as a byte range of its input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Problem {
    pub range: Range<usize>,
    pub kind: ProblemKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ProblemKind {
    /// `$(name)` names no variable; `name` is the text between the parentheses.
    Undefined { name: String },
    /// `$(` with no matching `)`.
    Unterminated,
    /// `$()` or `$(var.)`.
    Malformed,
    /// The first reference past [`MAX_EXPANDED_BYTES`]; it and all later ones stay as written.
    ExpansionLimit,
}

/// Where a `$(...)` reference starts and ends in `text` (which starts with `$(`), and
/// whether it looks like a function call (a nested `(`), like WiX's scanner.
fn reference_end(text: &str) -> (Option<usize>, bool) {
    let mut depth = 0usize;
    let mut nested = false;
    for (index, byte) in text.bytes().enumerate().skip(1) {
        match byte {
            b'(' => {
                depth += 1;
                if depth > 1 {
                    nested = true;
                }
            }
            b')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return (Some(index + 1), nested);
                }
            }
            _ => {}
        }
    }
    (None, nested)
}

/// The length of the `$(...)` reference at the start of `text`, if it is complete.
pub(crate) fn reference_len(text: &str) -> Option<usize> {
    reference_end(text).0
}

/// Replaces `$(var.X)`, `$(X)`, `$(env.X)`, `$(sys.X)` and `$$` in `text`.
///
/// `$(loc.X)` and function calls such as `$(fun.AutoVersion(1.0))` stay as written; so does
/// every reference that cannot be resolved, after a [`Problem`] is recorded for it.
pub(crate) fn substitute<'t>(
    text: &'t str,
    variables: &Variables,
    file: &dyn Fn() -> String,
    problems: &mut Vec<Problem>,
) -> Cow<'t, str> {
    if !text.contains('$') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest_start = 0;
    while let Some(found) = text[rest_start..].find('$') {
        let dollar = rest_start + found;
        out.push_str(&text[rest_start..dollar]);
        let after = &text[dollar + 1..];
        if after.starts_with('$') {
            out.push('$');
            rest_start = dollar + 2;
            continue;
        }
        if !after.starts_with('(') {
            out.push('$');
            rest_start = dollar + 1;
            continue;
        }
        let reference = &text[dollar..];
        let (end, nested) = reference_end(reference);
        let Some(end) = end else {
            problems.push(Problem {
                range: dollar..text.len(),
                kind: ProblemKind::Unterminated,
            });
            out.push_str(reference);
            rest_start = text.len();
            break;
        };
        let written = &reference[..end];
        let name = &written[2..end - 1];
        rest_start = dollar + end;
        let is_function = nested && !name.starts_with("env.");
        if is_function || name.starts_with("loc.") {
            out.push_str(written);
            continue;
        }
        let spent = variables.expanded.get();
        if spent > MAX_EXPANDED_BYTES {
            out.push_str(written);
            continue;
        }
        match variables.lookup(name, file) {
            Lookup::Value(value) => {
                let total = spent.saturating_add(value.len());
                variables.expanded.set(total);
                if total > MAX_EXPANDED_BYTES {
                    problems.push(Problem {
                        range: dollar..dollar + end,
                        kind: ProblemKind::ExpansionLimit,
                    });
                    out.push_str(written);
                } else {
                    out.push_str(&value);
                }
            }
            Lookup::Undefined => {
                problems.push(Problem {
                    range: dollar..dollar + end,
                    kind: ProblemKind::Undefined {
                        name: name.to_string(),
                    },
                });
                out.push_str(written);
            }
            Lookup::Malformed => {
                problems.push(Problem {
                    range: dollar..dollar + end,
                    kind: ProblemKind::Malformed,
                });
                out.push_str(written);
            }
        }
    }
    out.push_str(&text[rest_start..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Variables {
        let mut variables = Variables::default();
        variables.define("A", "1".into(), Origin::CommandLine);
        variables.define("Dotted.Name", "d".into(), Origin::CommandLine);
        variables.system.arch = "x64".into();
        variables.system.wix_major = 6;
        variables
    }

    fn run(text: &str) -> (String, Vec<Problem>) {
        let mut problems = Vec::new();
        let out =
            substitute(text, &table(), &|| "/src/dir/a.wxs".into(), &mut problems).into_owned();
        (out, problems)
    }

    #[test]
    fn replaces_var_bare_and_dollar_dollar() {
        assert_eq!(run("x$(var.A)y$(A)$$z$").0, "x1y1$z$");
        assert_eq!(run("$(Dotted.Name)").0, "d");
        assert_eq!(run("$(var.Dotted.Name)").0, "d");
    }

    #[test]
    fn keeps_loc_functions_and_bind_time_references() {
        let text = "$(loc.X) $(fun.AutoVersion(1.0)) !(loc.Y) !(bind.FileVersion.f) !(wix.Z)";
        let (out, problems) = run(text);
        assert_eq!(out, text);
        assert!(problems.is_empty());
    }

    #[test]
    fn undefined_references_stay_literal_with_their_range() {
        let (out, problems) = run("ab$(var.Missing)c$(Other)");
        assert_eq!(out, "ab$(var.Missing)c$(Other)");
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].range, 2..16);
        assert_eq!(problems[1].range, 17..25);
    }

    #[test]
    fn unterminated_and_malformed_references() {
        let (out, problems) = run("a$(var.X");
        assert_eq!(out, "a$(var.X");
        assert_eq!(problems[0].kind, ProblemKind::Unterminated);
        let (_, problems) = run("$() $(var.)");
        assert_eq!(problems.len(), 2);
        assert!(problems.iter().all(|p| p.kind == ProblemKind::Malformed));
    }

    #[test]
    fn system_variables() {
        assert_eq!(run("$(sys.BUILDARCH)").0, "x64");
        assert_eq!(run("$(sys.PLATFORM)").0, "x64");
        assert_eq!(run("$(sys.BUILDARCHSHORT)").0, "X64");
        assert_eq!(run("$(sys.WIXMAJORVERSION)").0, "6");
        assert_eq!(run("$(sys.SOURCEFILEPATH)").0, "/src/dir/a.wxs");
        let dir = run("$(sys.SOURCEFILEDIR)").0;
        assert!(dir.ends_with(std::path::MAIN_SEPARATOR), "{dir}");
        assert!(!run("$(sys.NOPE)").1.is_empty());
    }

    #[test]
    fn environment_variables_resolve_and_missing_ones_are_undefined() {
        let path = std::env::var("PATH").unwrap_or_default();
        if !path.is_empty() {
            assert_eq!(run("$(env.PATH)").0, path);
        }
        let (_, problems) = run("$(env.WIXCHECK_SURELY_NOT_SET_42)");
        assert_eq!(problems.len(), 1);
    }
}
