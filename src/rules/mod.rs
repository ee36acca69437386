//! The rule engine: rule metadata, the context rules read, and running them.
//!
//! A rule is one file: a [`declare_rule!`] carrying its code, name, default severity and
//! documentation (What it does / Why is this bad? / Example / References), then a `check`
//! function that reads the model and the resolved schedule and pushes diagnostics. Rules
//! never print and never read files. Input rules (0xx) have no check of their own: the stage
//! that reads the input reports them, and the rule carries their documentation.

pub mod conditions;
pub mod context;
pub mod input;
pub mod lifetimes;
mod reads;
mod registry;
pub mod scheduling;
pub mod upgrade;

pub use registry::{all, find};

use crate::condition::SourceMap;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::model::{Reference, Section, Spanned, WixModel};
use crate::sequence::{Action, ResolvedTable, Schedule};
use crate::source::{SourceDb, Span};
use crate::threads::on_threads;
use reads::PropertyRead;
use rustc_hash::FxHashSet;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// The kinds of symbol that WiX libraries and extensions define for a package: a UI
/// (`ui:WixUI`), dialogs, custom actions, properties, and `Extension` for any extension
/// element.
pub const LIBRARY_KINDS: [&str; 5] = ["UI", "Dialog", "CustomAction", "Property", "Extension"];

/// Actions whose reads one thread works out at a time, in turn with the other threads.
const READS_BLOCK: usize = 64;

/// Below this many scheduled actions per thread, one thread works out their reads: starting
/// another costs more.
const ACTIONS_PER_THREAD: usize = 512;

/// The ids of one kind of symbol, shared between the cache and its readers, built by the
/// first reader (the others, on any thread, wait for it).
type DefinedIds<'a> = Arc<OnceLock<FxHashSet<&'a str>>>;

/// What a rule may read. Rules run on several threads at once: the caches are built once,
/// by the first rule that asks.
pub struct Context<'a> {
    pub db: &'a SourceDb,
    pub model: &'a WixModel,
    pub schedule: &'a Schedule,
    /// Per kind asked about, the ids the linked sections define of it, built on first use.
    definitions: Mutex<Vec<(String, DefinedIds<'a>)>>,
    /// See [`Context::first_undefined_references`], built on first use.
    outside: OnceLock<Vec<&'a Reference>>,
    /// Per table of the schedule, what each of its actions reads, built on first use.
    reads: OnceLock<Vec<Vec<Vec<PropertyRead>>>>,
}

impl<'a> Context<'a> {
    pub fn new(db: &'a SourceDb, model: &'a WixModel, schedule: &'a Schedule) -> Self {
        Context {
            db,
            model,
            schedule,
            definitions: Mutex::default(),
            outside: OnceLock::new(),
            reads: OnceLock::new(),
        }
    }

    /// What each action of `table` reads ([`reads::of_action`]), in the table's order.
    /// Several rules judge these reads; they are worked out once, for every table (on the
    /// project bench that cut the rules' instructions by 40%): by [`run`] before the rules
    /// start, or else by the first rule that asks.
    pub fn reads_in(&self, table: &ResolvedTable) -> &[Vec<PropertyRead>] {
        let all = self.reads.get_or_init(|| self.reads_of_every_action(1));
        let position = self
            .schedule
            .tables
            .iter()
            .position(|t| t.table == table.table);
        position.map_or(&[], |position| &all[position])
    }

    /// What every action of every table reads, per table, worked out on up to `jobs`
    /// threads. The actions are dealt out in blocks, in turn, so that each thread gets a
    /// like share of the custom actions (which cost the most) wherever they sit.
    fn reads_of_every_action(&self, jobs: usize) -> Vec<Vec<Vec<PropertyRead>>> {
        let actions: usize = self.schedule.tables.iter().map(|t| t.actions.len()).sum();
        self.reads_on_threads(jobs.clamp(1, (actions / ACTIONS_PER_THREAD).max(1)))
    }

    /// [`Context::reads_of_every_action`] on `threads` threads.
    fn reads_on_threads(&self, threads: usize) -> Vec<Vec<Vec<PropertyRead>>> {
        let schedule = self.schedule;
        let actions: Vec<&Action> = schedule.tables.iter().flat_map(|t| &t.actions).collect();
        let blocks: Vec<&[&Action]> = actions.chunks(READS_BLOCK).collect();
        let of_action =
            |action: &&Action| reads::of_action(self, action, schedule.custom_action(action));
        let dealt = on_threads(threads, |thread| {
            let mine = blocks.iter().skip(thread).step_by(threads);
            mine.map(|block| block.iter().map(of_action).collect::<Vec<_>>())
                .collect::<Vec<_>>()
        });
        // Block `b` went to thread `b % threads`, which did its blocks in order.
        let mut dealt: Vec<_> = dealt.into_iter().map(Vec::into_iter).collect();
        let mut in_order =
            (0..blocks.len()).flat_map(|block| dealt[block % threads].next().unwrap_or_default());
        schedule
            .tables
            .iter()
            .map(|table| {
                let mut reads = Vec::with_capacity(table.actions.len());
                reads.extend(in_order.by_ref().take(table.actions.len()));
                reads
            })
            .collect()
    }

    /// The sections that end up in the output, in link order.
    pub fn linked_sections(&self) -> impl Iterator<Item = &'a Section> + '_ {
        let sections = &self.model.sections;
        self.schedule
            .linked
            .sections
            .iter()
            .map(move |&index| &sections[index])
    }

    /// True if a linked section defines `kind:id` (e.g. `Property:INSTALLFOLDER`).
    pub fn defines(&self, kind: &str, id: &str) -> bool {
        let ids = self.defined_ids(kind);
        ids.get_or_init(|| {
            self.linked_sections()
                .flat_map(|section| section.definitions.iter())
                .filter(|symbol| symbol.kind == kind)
                .map(|symbol| &*symbol.id)
                .collect()
        })
        .contains(id)
    }

    /// The cache of the ids of `kind` the linked sections define (a few kinds are asked
    /// about, so each set holds only its kind's definitions).
    fn defined_ids(&self, kind: &str) -> DefinedIds<'a> {
        let mut definitions = self
            .definitions
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some((_, ids)) = definitions.iter().find(|(k, _)| k == kind) {
            return Arc::clone(ids);
        }
        let ids = DefinedIds::default();
        definitions.push((kind.to_string(), Arc::clone(&ids)));
        ids
    }

    /// A reference from the linked sections to a symbol of one of `kinds` (see
    /// [`LIBRARY_KINDS`]) that no input defines. The link unit then depends on a WiX library
    /// or extension (WixUI, NetFx, util…) the inputs do not contain, so findings about
    /// missing things are less certain.
    pub fn reference_outside_inputs(&self, kinds: &[&str]) -> Option<&'a Reference> {
        self.outside
            .get_or_init(|| self.first_undefined_references())
            .iter()
            .find(|reference| kinds.contains(&&*reference.symbol.kind))
            .copied()
    }

    /// Per kind, the first reference from the linked sections (in link order) to a symbol of
    /// that kind that no input defines; in link order.
    fn first_undefined_references(&self) -> Vec<&'a Reference> {
        let references = || {
            self.linked_sections()
                .flat_map(|section| section.references.iter())
        };
        let referenced: FxHashSet<&str> = references()
            .map(|reference| &*reference.symbol.kind)
            .collect();
        let defined: FxHashSet<(&str, &str)> = self
            .model
            .sections
            .iter()
            .flat_map(|section| section.definitions.iter())
            .filter(|symbol| referenced.contains(&*symbol.kind))
            .map(|symbol| (&*symbol.kind, &*symbol.id))
            .collect();
        let mut reported: FxHashSet<&str> = FxHashSet::default();
        references()
            .filter(|reference| {
                let symbol = &reference.symbol;
                !defined.contains(&(&*symbol.kind, &*symbol.id)) && reported.insert(&*symbol.kind)
            })
            .collect()
    }

    /// The file span of `range` (byte offsets into `value.value`, the text after XML
    /// unescaping and preprocessing): through entities and CDATA to the text as written; text
    /// a `$(var.X)` produced maps to the whole reference.
    pub fn narrow(&self, value: &Spanned<String>, range: Range<usize>) -> Span {
        SourceMap::new(&value.value, value.span, self.db.text(value.span)).span(range)
    }
}

/// A rule's metadata and its check.
pub struct Rule {
    pub code: Code,
    pub severity: Severity,
    /// The doc comment: a summary line, then `## What it does`, `## Why is this bad?`,
    /// `## Example`, `## References`.
    pub docs: &'static str,
    pub check: Option<fn(&Context<'_>, &mut Vec<Diagnostic>)>,
}

impl Rule {
    /// The first line of the docs.
    pub fn summary(&self) -> &'static str {
        self.docs
            .lines()
            .map(str::trim)
            .find(|line| !line.is_empty())
            .unwrap_or_default()
    }

    /// The docs as Markdown: the doc comment without the space after each `///`.
    pub fn markdown(&self) -> String {
        let lines: Vec<&str> = self
            .docs
            .lines()
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .collect();
        lines.join("\n").trim().to_string()
    }

    /// The text of one `## heading` section of the docs, without the heading.
    pub fn section(&self, heading: &str) -> Option<String> {
        let markdown = self.markdown();
        let (_, rest) = markdown.split_once(&format!("## {heading}\n"))?;
        let body = rest.split("\n## ").next().unwrap_or_default();
        Some(body.trim().to_string())
    }

    /// A diagnostic of this rule at its default severity.
    pub fn diagnostic(
        &self,
        primary: crate::source::Span,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(self.code, self.severity, primary, message)
    }
}

/// Declares a rule: `declare_rule! { /// docs… pub NAME, "WXC101", "schedule-cycle", Error, check }`.
#[macro_export]
macro_rules! declare_rule {
    ($(#[doc = $doc:literal])* pub $name:ident, $code:literal, $slug:literal, $severity:ident, $check:expr) => {
        $(#[doc = $doc])*
        pub const $name: $crate::rules::Rule = $crate::rules::Rule {
            code: $crate::diagnostic::Code { code: $code, name: $slug },
            severity: $crate::diagnostic::Severity::$severity,
            docs: concat!($($doc, "\n"),*),
            check: $check,
        };
    };
}

/// Runs every rule that has a check, on up to `jobs` threads (this one among them), once
/// what the actions read is worked out: each thread takes the next rule as it finishes one.
/// The findings come in rule order whatever the number of threads.
pub fn run(context: &Context<'_>, jobs: usize) -> Vec<Diagnostic> {
    // Four rules need what the actions read: worked out here on every thread, rather than by
    // the first of them to ask while the others wait for it.
    context
        .reads
        .get_or_init(|| context.reads_of_every_action(jobs));
    let checks: Vec<_> = all().iter().filter_map(|rule| rule.check).collect();
    let next = AtomicUsize::new(0);
    // The findings of each check one thread ran, with the check's index.
    let run_checks = || {
        let mut found = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(check) = checks.get(index) else {
                return found;
            };
            let mut diagnostics = Vec::new();
            check(context, &mut diagnostics);
            found.push((index, diagnostics));
        }
    };
    let helpers = jobs.clamp(1, checks.len().max(1)) - 1;
    let mut found = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..helpers).map(|_| scope.spawn(run_checks)).collect();
        let mut found = run_checks();
        for worker in workers {
            match worker.join() {
                Ok(theirs) => found.extend(theirs),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        found
    });
    found.sort_unstable_by_key(|(index, _)| *index);
    found
        .into_iter()
        .flat_map(|(_, diagnostics)| diagnostics)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, Analysis, Input, Settings};

    /// A package with `count` custom actions, each reading a property in its condition and
    /// another in its formatted value.
    fn package(count: usize) -> Analysis {
        let mut text = String::from(
            r#"<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs"><Package Name="P" Version="1.0" Manufacturer="M" UpgradeCode="{11111111-1111-1111-1111-111111111111}">"#,
        );
        for n in 0..count {
            text.push_str(&format!(
                r#"<SetProperty Id="TARGET{n}" Value="[SOURCE{n}]" After="CostFinalize" Condition="FLAG{n}" Sequence="execute" />"#
            ));
        }
        text.push_str("</Package></Wix>");
        let input = Input::with_bytes("reads.wxs".into(), Ok(text.into_bytes()));
        analyze(vec![input], &Settings::default())
    }

    #[test]
    fn what_actions_read_is_the_same_on_any_number_of_threads() {
        let package = package(300);
        let context = Context::new(&package.db, &package.model, &package.schedule);
        let one = context.reads_on_threads(1);
        let both = |reads: &&Vec<PropertyRead>| reads.len() == 2;
        assert!(one.iter().flatten().filter(both).count() >= 300, "{one:?}");
        for threads in 2..=5 {
            assert_eq!(context.reads_on_threads(threads), one, "{threads} threads");
        }
    }
}
