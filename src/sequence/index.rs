//! Gathering the rows of the linked sections into one entry per (table, action), as WiX's
//! sequencer indexes them before numbering.
//!
//! [`Authored`] holds what the linked sections author (rows, custom actions, suppressions),
//! modularized in merge modules; entries borrow their names, anchors and conditions from it,
//! so indexing a long chain copies no strings.
//!
//! Order matters: v4+ sibling order is the order entries are indexed. Authored rows come in
//! link order (the entry section first, including WiX v5+'s default major upgrade appended to
//! it), then the standard actions the output needs. Overridable rows give way to
//! non-overridable ones (keeping the position the key was first indexed at); in v5+ an
//! `override` row removes the virtual one before that. Suppressions then remove overridable
//! entries. In merge modules non-standard identifiers are modularized with the module Guid.

use super::link::{Linked, Output};
use super::{ActionRef, Fact, Placement};
use crate::model::standard_actions::{self, StandardAction};
use crate::model::{
    Access, ActionKind, ActionRow, CustomAction, Dialect, RowOrigin, Section, SectionKind, Spanned,
    Table, Trigger, WixModel,
};
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::collections::hash_map;
use std::collections::BTreeSet;
use std::sync::Arc;

/// One action in one table, before numbering. Small and borrowed: its name, anchor and
/// condition are read from where it comes from.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry<'r> {
    pub table: Table,
    pub kind: ActionKind,
    pub placement: Placement,
    pub overridable: bool,
    /// The absolute number (OnExit as a negative number); `None` for relative entries.
    pub sequence: Option<i32>,
    pub custom_action: Option<usize>,
    pub source: Source<'r>,
}

/// Where an entry comes from.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Source<'r> {
    Row(&'r Arc<ActionRow>),
    Standard(&'static StandardAction),
}

impl<'r> Entry<'r> {
    pub fn reference(&self) -> ActionRef {
        ActionRef {
            name: self.name().to_string(),
            row: self.row().cloned(),
            sequence: self.sequence,
        }
    }

    pub fn standard(action: &'static StandardAction) -> Entry<'r> {
        Entry {
            table: action.table,
            kind: ActionKind::Standard,
            placement: Placement::Default,
            overridable: true,
            sequence: action.sequence,
            custom_action: None,
            source: Source::Standard(action),
        }
    }

    /// The name in the MSI (modularized in merge modules).
    pub fn name(&self) -> &'r str {
        match self.source {
            Source::Row(row) => &row.action.value,
            Source::Standard(action) => action.name,
        }
    }

    /// The action a relative entry is placed before or after.
    pub fn anchor(&self) -> Option<&'r str> {
        let anchor = self.row()?.anchor()?;
        Some(&anchor.value)
    }

    pub fn condition(&self, v3: bool) -> Option<&'r str> {
        match self.source {
            Source::Row(row) => row.condition.as_ref().map(|c| c.value.as_str()),
            Source::Standard(action) => action.condition(v3),
        }
    }

    /// The authored row, `None` for a built-in standard action.
    pub fn row(&self) -> Option<&'r Arc<ActionRow>> {
        match self.source {
            Source::Row(row) => Some(row),
            Source::Standard(_) => None,
        }
    }
}

/// How the numbering behaves for this output.
pub(crate) struct Options {
    pub output: Output,
    /// v3 orders siblings alphabetically and only detects two-action cycles.
    pub v3: bool,
}

/// Where each (table, action) is in a list of entries.
pub(crate) type Positions<'r> = FxHashMap<(Table, &'r str), usize>;

pub(crate) struct Indexed<'r> {
    pub entries: Vec<Entry<'r>>,
    /// The position of every entry, for finding anchors.
    pub positions: Positions<'r>,
    pub options: Options,
}

/// What the linked sections author, in link order, with identifiers modularized in merge
/// modules: the text the entries borrow.
pub(crate) struct Authored<'m> {
    /// Rows in link order, with the default major upgrade if WiX adds one; `override` rows
    /// have replaced the virtual rows of their action. Borrowed from the model unless
    /// modularized.
    rows: Vec<Cow<'m, Arc<ActionRow>>>,
    pub custom_actions: Vec<Arc<CustomAction>>,
    suppressions: Vec<(Table, String)>,
}

impl<'m> Authored<'m> {
    /// Gathers the rows, custom actions and suppressions of the linked sections.
    pub fn gather(model: &'m WixModel, linked: &Linked) -> Authored<'m> {
        let sections = linked_sections(model, linked);
        let modularizer = Modularizer::new(linked, model);
        let mut custom_actions =
            Vec::with_capacity(sections.iter().map(|s| s.custom_actions.len()).sum());
        custom_actions.extend(
            sections
                .iter()
                .flat_map(|section| section.custom_actions.iter())
                .map(|custom| modularizer.custom_action(custom)),
        );
        let suppressions = sections
            .iter()
            .flat_map(|section| section.suppressions.iter())
            .map(|suppression| {
                let name = modularizer.name(&suppression.action.value);
                (suppression.table, name)
            })
            .collect();
        Authored {
            rows: apply_overrides(authored_rows(&sections, linked, &modularizer)),
            custom_actions,
            suppressions,
        }
    }
}

fn linked_sections<'m>(model: &'m WixModel, linked: &Linked) -> Vec<&'m Section> {
    linked
        .sections
        .iter()
        .map(|&i| &model.sections[i])
        .collect()
}

/// Builds the entries of the linked output.
pub(crate) fn index<'r>(
    authored: &'r Authored<'_>,
    model: &WixModel,
    linked: &Linked,
    facts: &mut Vec<Fact>,
) -> Indexed<'r> {
    let sections = linked_sections(model, linked);
    let v3 = sections.first().is_some_and(|s| s.dialect == Dialect::V3);
    let by_id: FxHashMap<&str, usize> = authored
        .custom_actions
        .iter()
        .enumerate()
        .rev()
        .map(|(index, custom)| (custom.id.value.as_str(), index))
        .collect();
    let required = required_standard_actions(&sections, linked, model);
    let mut table = EntryTable::with_capacity(authored.rows.len() + required.len());
    for row in &authored.rows {
        let mut entry = entry_for(row);
        if entry.kind == ActionKind::Custom {
            entry.custom_action = by_id.get(entry.name()).copied();
        }
        table.insert_authored(entry, facts);
    }
    for action in required {
        table.insert_if_absent(Entry::standard(action));
    }
    for (suppressed, name) in &authored.suppressions {
        table.suppress(*suppressed, name);
    }
    let (entries, positions) = table.into_entries();
    Indexed {
        entries,
        positions,
        options: Options {
            output: linked.output,
            v3,
        },
    }
}

/// Rows of the linked sections in link order, with the default major upgrade if WiX adds one.
fn authored_rows<'m>(
    sections: &[&'m Section],
    linked: &Linked,
    modularizer: &Modularizer,
) -> Vec<Cow<'m, Arc<ActionRow>>> {
    let mut rows = Vec::with_capacity(sections.iter().map(|section| section.rows.len()).sum());
    for (position, section) in sections.iter().enumerate() {
        rows.extend(section.rows.iter().map(|row| modularizer.row(row)));
        if position == 0 && linked.entry.is_some() {
            let upgrade = default_major_upgrade(section, sections);
            rows.extend(upgrade.map(|row| Cow::Owned(Arc::new(row))));
        }
    }
    rows
}

/// WiX v5+ gives a Package that authors no upgrade an overridable RemoveExistingProducts
/// After InstallValidate (`AddDefaultSymbolsCommand`).
fn default_major_upgrade(entry: &Section, sections: &[&Section]) -> Option<ActionRow> {
    let package = entry.package.as_ref()?;
    let applies = entry.version.0 >= 5
        && package.has_upgrade_code
        && package.major_upgrade_strategy
        && !sections.iter().any(|section| section.has_upgrade_row);
    applies.then(|| ActionRow {
        table: Table::InstallExecute,
        action: Spanned::new("RemoveExistingProducts".to_string(), entry.span),
        kind: ActionKind::Standard,
        sequence: None,
        before: None,
        after: Some(Spanned::new("InstallValidate".to_string(), entry.span)),
        on_exit: None,
        condition: None,
        overridable: true,
        access: Access::Virtual,
        element: entry.span,
        origin: RowOrigin::DefaultMajorUpgrade,
    })
}

/// v5+: an `override` row replaces the virtual row of the same action; the linker drops the
/// virtual one before sequencing.
fn apply_overrides(mut rows: Vec<Cow<'_, Arc<ActionRow>>>) -> Vec<Cow<'_, Arc<ActionRow>>> {
    let overridden: BTreeSet<(Table, String)> = rows
        .iter()
        .filter(|row| row.access == Access::Override)
        .map(|row| (row.table, row.action.value.clone()))
        .collect();
    if !overridden.is_empty() {
        rows.retain(|row| {
            row.access != Access::Virtual
                || !overridden.contains(&(row.table, row.action.value.clone()))
        });
    }
    rows
}

fn entry_for(row: &Arc<ActionRow>) -> Entry<'_> {
    let (placement, sequence) = if row.after.is_some() {
        (Placement::After, None)
    } else if row.before.is_some() {
        (Placement::Before, None)
    } else if let Some(sequence) = &row.sequence {
        (Placement::Sequence, Some(sequence.value))
    } else if let Some(on_exit) = &row.on_exit {
        (Placement::OnExit, Some(on_exit.value))
    } else {
        let default = standard_actions::find(row.table, &row.action.value).and_then(|s| s.sequence);
        (Placement::Default, default)
    };
    Entry {
        table: row.table,
        kind: row.kind,
        placement,
        overridable: row.overridable || row.access == Access::Virtual,
        sequence,
        custom_action: None,
        source: Source::Row(row),
    }
}

/// Standard actions added by output type and content (reference §1.1 steps 1–2).
fn required_standard_actions(
    sections: &[&Section],
    linked: &Linked,
    model: &WixModel,
) -> Vec<&'static StandardAction> {
    let mut required: Vec<&'static StandardAction> = Vec::new();
    if linked.output != Output::Module {
        required.extend(standard_actions::baseline());
    }
    let mut triggers: BTreeSet<Trigger> = sections
        .iter()
        .flat_map(|section| section.content.iter().copied())
        .collect();
    let entry_has_default_upgrade = linked
        .entry
        .map(|entry| &model.sections[entry])
        .and_then(|entry| default_major_upgrade(entry, sections))
        .is_some();
    if entry_has_default_upgrade {
        triggers.extend([
            Trigger::Upgrade,
            Trigger::MigrateFeatures,
            Trigger::LaunchCondition,
        ]);
    }
    for trigger in triggers {
        for &(table, name) in trigger.actions() {
            required.extend(standard_actions::find(table, name));
        }
    }
    required
}

/// WiX's dictionary of required actions: insertion-ordered, one entry per (table, action).
struct EntryTable<'r> {
    entries: Vec<Entry<'r>>,
    positions: Positions<'r>,
    /// Positions of the entries suppressions removed (already gone from `positions`).
    suppressed: Vec<usize>,
}

impl<'r> EntryTable<'r> {
    fn with_capacity(capacity: usize) -> Self {
        let mut positions = FxHashMap::default();
        positions.reserve(capacity);
        EntryTable {
            entries: Vec::with_capacity(capacity),
            positions,
            suppressed: Vec::new(),
        }
    }

    fn insert_authored(&mut self, entry: Entry<'r>, facts: &mut Vec<Fact>) {
        let position = match self.positions.entry((entry.table, entry.name())) {
            hash_map::Entry::Occupied(occupied) => *occupied.get(),
            hash_map::Entry::Vacant(vacant) => {
                vacant.insert(self.entries.len());
                self.entries.push(entry);
                return;
            }
        };
        let existing = &self.entries[position];
        if existing.overridable && !entry.overridable {
            self.entries[position] = entry;
        } else if existing.overridable == entry.overridable {
            facts.push(Fact::ScheduledTwice {
                table: entry.table,
                first: existing.reference(),
                second: entry.reference(),
            });
        }
    }

    fn insert_if_absent(&mut self, entry: Entry<'r>) {
        if let hash_map::Entry::Vacant(vacant) = self.positions.entry((entry.table, entry.name())) {
            vacant.insert(self.entries.len());
            self.entries.push(entry);
        }
    }

    fn suppress(&mut self, table: Table, name: &'r str) {
        let Some(&position) = self.positions.get(&(table, name)) else {
            return;
        };
        if self.entries[position].overridable {
            self.suppressed.push(position);
            self.positions.remove(&(table, name));
        }
    }

    /// The entries in insertion order, and where each now is.
    fn into_entries(self) -> (Vec<Entry<'r>>, Positions<'r>) {
        let EntryTable {
            mut entries,
            mut positions,
            mut suppressed,
        } = self;
        if suppressed.is_empty() {
            return (entries, positions);
        }
        suppressed.sort_unstable();
        // Each position moves down by the suppressed entries before it.
        for position in positions.values_mut() {
            *position -= suppressed.partition_point(|&gone| gone < *position);
        }
        let mut position = 0;
        entries.retain(|_| {
            let kept = suppressed.binary_search(&position).is_err();
            position += 1;
            kept
        });
        (entries, positions)
    }
}

/// Appends the module Guid to non-standard identifiers in merge modules.
struct Modularizer {
    suffix: Option<String>,
}

impl Modularizer {
    fn new(linked: &Linked, model: &WixModel) -> Self {
        let suffix = linked
            .entry
            .map(|entry| &model.sections[entry])
            .filter(|entry| entry.kind == SectionKind::Module)
            .and_then(|entry| entry.module_guid.as_deref())
            .map(|guid| {
                let guid = guid.trim_matches(|c| c == '{' || c == '}');
                format!(".{}", guid.replace('-', "_").to_ascii_uppercase())
            });
        Modularizer { suffix }
    }

    fn name(&self, name: &str) -> String {
        match &self.suffix {
            Some(suffix) if !standard_actions::is_standard(name) => format!("{name}{suffix}"),
            _ => name.to_string(),
        }
    }

    fn spanned(&self, value: &Spanned<String>) -> Spanned<String> {
        Spanned::new(self.name(&value.value), value.span)
    }

    fn row<'m>(&self, row: &'m Arc<ActionRow>) -> Cow<'m, Arc<ActionRow>> {
        if self.suffix.is_none() {
            return Cow::Borrowed(row);
        }
        Cow::Owned(Arc::new(ActionRow {
            action: self.spanned(&row.action),
            before: row.before.as_ref().map(|b| self.spanned(b)),
            after: row.after.as_ref().map(|a| self.spanned(a)),
            ..ActionRow::clone(row)
        }))
    }

    /// The schedule's custom action: the model's, shared, unless a merge module renames it
    /// (then a copy with the new id; the attributes are shared still).
    fn custom_action(&self, custom: &Arc<CustomAction>) -> Arc<CustomAction> {
        if self.suffix.is_none() {
            return Arc::clone(custom);
        }
        let mut copy = CustomAction::clone(custom);
        copy.id.value = self.name(&custom.id.value);
        Arc::new(copy)
    }
}
