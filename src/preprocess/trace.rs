//! What the preprocessor did, kept so that a diagnostic can be explained in terms of the text
//! as written.
//!
//! A [`Trace`] records, for one link unit: every attribute value and text run that `$(…)`
//! substitution changed (keyed by the span of the text as written), the `<?include?>` chains
//! each included file was read through, and the variables in force at the end of each entry
//! file. [`Trace::explain`] turns the first two into a note and labels on any diagnostic, so
//! rules never need to know about the preprocessor; `order` prints the third.

use super::variables::Origin;
use super::{INCLUDE_ERROR, PREPROCESSOR_ERROR, UNDEFINED_VARIABLE};
use crate::diagnostic::{Diagnostic, Label};
use crate::source::{FileId, Span};
use std::collections::{btree_map, BTreeMap, BTreeSet};

/// How many distinct values one expansion note lists before it says "and N more".
const LISTED_VALUES: usize = 5;

/// The preprocessor's record of one link unit.
#[derive(Debug, Default)]
pub struct Trace {
    expansions: BTreeMap<Span, Expanded>,
    /// Per file, each distinct chain of `<?include?>` instructions it was read through,
    /// innermost first; an empty chain means the file was also read as an entry file.
    chains: BTreeMap<FileId, Vec<Vec<Span>>>,
    defines: Vec<FileDefines>,
}

/// A value as written and what it became, once per distinct result (a `<?foreach?>` body or
/// a file included twice is read more than once).
#[derive(Debug)]
struct Expanded {
    written: String,
    /// The distinct values, up to [`MAX_RECORDED_VALUES`].
    values: Vec<String>,
    /// Whether expansions past that limit were left out.
    capped: bool,
}

/// How many distinct values one span keeps: a `<?foreach?>` can expand one span millions of
/// times, and each new value is compared with those kept.
const MAX_RECORDED_VALUES: usize = 64;

/// The variables in force when the walk of one entry file ended.
#[derive(Clone, Debug)]
pub struct FileDefines {
    pub file: FileId,
    /// Sorted by name.
    pub defines: Vec<Define>,
}

/// One variable in force.
#[derive(Clone, Debug)]
pub struct Define {
    pub name: String,
    pub value: String,
    pub origin: Origin,
}

impl Trace {
    /// The variables in force at the end of each entry file, in the order the files were read.
    pub fn defines(&self) -> &[FileDefines] {
        &self.defines
    }

    pub(super) fn expanded(&mut self, span: Span, written: &str, value: &str) {
        let entry = self.expansions.entry(span).or_insert_with(|| Expanded {
            written: written.to_string(),
            values: Vec::new(),
            capped: false,
        });
        if entry.capped || entry.values.iter().any(|known| known == value) {
            return;
        }
        if entry.values.len() == MAX_RECORDED_VALUES {
            entry.capped = true;
        } else {
            entry.values.push(value.to_string());
        }
    }

    pub(super) fn read_through(&mut self, file: FileId, chain: &[Span]) {
        let chains = self.chains.entry(file).or_default();
        if !chains.iter().any(|known| known == chain) {
            chains.push(chain.to_vec());
        }
    }

    pub(super) fn ended(&mut self, defines: FileDefines) {
        self.defines.push(defines);
    }

    /// Adds the record of a walk made apart (on another thread) after this one's, as if
    /// that walk had recorded here.
    pub fn absorb(&mut self, other: Trace) {
        for (span, expanded) in other.expansions {
            // One search for the usual case, a span not seen before.
            let known = match self.expansions.entry(span) {
                btree_map::Entry::Vacant(vacant) => {
                    vacant.insert(expanded);
                    continue;
                }
                btree_map::Entry::Occupied(known) => known.into_mut(),
            };
            let capped = known.capped || expanded.capped;
            for value in &expanded.values {
                self.expanded(span, &expanded.written, value);
            }
            if let (true, Some(entry)) = (capped, self.expansions.get_mut(&span)) {
                entry.capped = true;
            }
        }
        for (file, chains) in other.chains {
            for chain in chains {
                self.read_through(file, &chain);
            }
        }
        self.defines.extend(other.defines);
    }

    /// Adds what the preprocessor knows about the diagnostic's primary span: labels at the
    /// `<?include?>` chain that brought its file in, and a note saying what the value there
    /// expanded to.
    pub fn explain(&self, diagnostic: &mut Diagnostic) {
        self.label_includes(diagnostic);
        let own = [UNDEFINED_VARIABLE, PREPROCESSOR_ERROR, INCLUDE_ERROR];
        // The preprocessor's own findings are about the text as written.
        if !own.contains(&diagnostic.code) {
            if let Some(note) = self.expansion_note(diagnostic) {
                diagnostic.notes.push(note);
            }
        }
    }

    fn label_includes(&self, diagnostic: &mut Diagnostic) {
        let Some(chains) = self.chains.get(&diagnostic.primary.file) else {
            return;
        };
        // A file that is also an entry file: which reading the finding is about is unknown.
        if chains.iter().any(Vec::is_empty) {
            return;
        }
        let mut seen: BTreeSet<Span> = diagnostic.labels.iter().map(|l| l.span).collect();
        // The walker labels its own findings with the exact chain.
        if chains.iter().flatten().any(|span| seen.contains(span)) {
            return;
        }
        for chain in chains {
            label_chain(diagnostic, chain, &mut seen);
        }
    }

    fn expansion_note(&self, diagnostic: &Diagnostic) -> Option<String> {
        let primary = diagnostic.primary;
        let first = Span::new(primary.file, 0, 0);
        let last = Span::new(primary.file, primary.start as usize, u32::MAX as usize);
        let (_, expanded) = self
            .expansions
            .range(first..=last)
            .rev()
            .find(|(span, _)| span.end >= primary.end)?;
        let written = &expanded.written;
        let mentioned: Vec<String> = expanded
            .values
            .iter()
            .filter(|value| diagnostic.message.contains(&format!("`{value}`")))
            .cloned()
            .collect();
        let values = match (expanded.values.as_slice(), mentioned.as_slice()) {
            ([only], _) | (_, [only]) => return Some(format!("`{written}` expanded to `{only}`")),
            (all, _) => all,
        };
        let mut listed: Vec<String> = values
            .iter()
            .take(LISTED_VALUES)
            .map(|value| format!("`{value}`"))
            .collect();
        if expanded.capped {
            listed.push("more".to_string());
        } else if values.len() > LISTED_VALUES {
            listed.push(format!("{} more", values.len() - LISTED_VALUES));
        }
        Some(format!(
            "`{written}` is read more than once (a `<?foreach?>`, or a file included twice) and expanded to {}",
            listed.join(", ")
        ))
    }
}

/// Labels each `<?include?>` of `chain` (innermost first) not already in `seen`.
pub(super) fn label_chain(diagnostic: &mut Diagnostic, chain: &[Span], seen: &mut BTreeSet<Span>) {
    for (depth, &span) in chain.iter().enumerate() {
        if !seen.insert(span) {
            continue;
        }
        let message = if depth == 0 {
            "included from here"
        } else {
            "which is included from here"
        };
        diagnostic.labels.push(Label {
            span,
            message: message.to_string(),
        });
    }
}
