//! Gathering the rows of the linked sections into one entry per (table, action), as WiX's
//! sequencer indexes them before numbering.
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
use std::collections::BTreeSet;
use std::sync::Arc;

/// One action in one table, before numbering.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub table: Table,
    pub name: String,
    pub kind: ActionKind,
    /// The absolute number (OnExit as a negative number); `None` for relative entries.
    pub sequence: Option<i32>,
    pub placement: Placement,
    pub anchor: Option<String>,
    pub condition: Option<String>,
    pub overridable: bool,
    pub row: Option<Arc<ActionRow>>,
    pub custom_action: Option<usize>,
}

impl Entry {
    pub fn reference(&self) -> ActionRef {
        ActionRef {
            name: self.name.clone(),
            row: self.row.clone(),
            sequence: self.sequence,
        }
    }

    pub fn standard(action: &StandardAction, v3: bool) -> Entry {
        Entry {
            table: action.table,
            name: action.name.to_string(),
            kind: ActionKind::Standard,
            sequence: action.sequence,
            placement: Placement::Default,
            anchor: None,
            condition: action.condition(v3).map(str::to_string),
            overridable: true,
            row: None,
            custom_action: None,
        }
    }
}

/// How the numbering behaves for this output.
pub(crate) struct Options {
    pub output: Output,
    /// v3 orders siblings alphabetically and only detects two-action cycles.
    pub v3: bool,
}

pub(crate) struct Indexed {
    pub entries: Vec<Entry>,
    pub options: Options,
    pub custom_actions: Vec<CustomAction>,
}

/// Builds the entries of the linked output.
pub(crate) fn index(model: &WixModel, linked: &Linked, facts: &mut Vec<Fact>) -> Indexed {
    let sections: Vec<&Section> = linked
        .sections
        .iter()
        .map(|&i| &model.sections[i])
        .collect();
    let v3 = sections.first().is_some_and(|s| s.dialect == Dialect::V3);
    let modularizer = Modularizer::new(linked, model);
    let custom_actions: Vec<CustomAction> = sections
        .iter()
        .flat_map(|section| section.custom_actions.iter())
        .map(|custom| modularizer.custom_action(custom))
        .collect();
    let by_id: FxHashMap<&str, usize> = custom_actions
        .iter()
        .enumerate()
        .rev()
        .map(|(index, custom)| (custom.id.value.as_str(), index))
        .collect();
    let rows = apply_overrides(authored_rows(&sections, linked, &modularizer));
    let mut table = EntryTable::default();
    for row in rows {
        let mut entry = entry_for(row);
        if entry.kind == ActionKind::Custom {
            entry.custom_action = by_id.get(entry.name.as_str()).copied();
        }
        table.insert_authored(entry, facts);
    }
    for action in required_standard_actions(&sections, linked, model) {
        table.insert_if_absent(Entry::standard(action, v3));
    }
    for section in &sections {
        for suppression in &section.suppressions {
            let name = modularizer.name(&suppression.action.value);
            table.suppress(suppression.table, &name);
        }
    }
    Indexed {
        entries: table.into_entries(),
        options: Options {
            output: linked.output,
            v3,
        },
        custom_actions,
    }
}

/// Rows of the linked sections in link order, with the default major upgrade if WiX adds one.
fn authored_rows(
    sections: &[&Section],
    linked: &Linked,
    modularizer: &Modularizer,
) -> Vec<Arc<ActionRow>> {
    let mut rows = Vec::new();
    for (position, section) in sections.iter().enumerate() {
        rows.extend(section.rows.iter().map(|row| modularizer.row(row)));
        if position == 0 && linked.entry.is_some() {
            rows.extend(default_major_upgrade(section, sections).map(Arc::new));
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
fn apply_overrides(rows: Vec<Arc<ActionRow>>) -> Vec<Arc<ActionRow>> {
    let overridden: BTreeSet<(Table, String)> = rows
        .iter()
        .filter(|row| row.access == Access::Override)
        .map(|row| (row.table, row.action.value.clone()))
        .collect();
    rows.into_iter()
        .filter(|row| {
            row.access != Access::Virtual
                || !overridden.contains(&(row.table, row.action.value.clone()))
        })
        .collect()
}

fn entry_for(row: Arc<ActionRow>) -> Entry {
    let (placement, sequence, anchor) = if let Some(after) = &row.after {
        (Placement::After, None, Some(after.value.clone()))
    } else if let Some(before) = &row.before {
        (Placement::Before, None, Some(before.value.clone()))
    } else if let Some(sequence) = &row.sequence {
        (Placement::Sequence, Some(sequence.value), None)
    } else if let Some(on_exit) = &row.on_exit {
        (Placement::OnExit, Some(on_exit.value), None)
    } else {
        let default = standard_actions::find(row.table, &row.action.value).and_then(|s| s.sequence);
        (Placement::Default, default, None)
    };
    Entry {
        table: row.table,
        name: row.action.value.clone(),
        kind: row.kind,
        sequence,
        placement,
        anchor,
        condition: row.condition.as_ref().map(|c| c.value.clone()),
        overridable: row.overridable || row.access == Access::Virtual,
        row: Some(row),
        custom_action: None,
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
#[derive(Default)]
struct EntryTable {
    slots: Vec<Option<Entry>>,
    positions: FxHashMap<(Table, String), usize>,
}

impl EntryTable {
    fn insert_authored(&mut self, entry: Entry, facts: &mut Vec<Fact>) {
        let key = (entry.table, entry.name.clone());
        let Some(&position) = self.positions.get(&key) else {
            self.positions.insert(key, self.slots.len());
            self.slots.push(Some(entry));
            return;
        };
        let Some(existing) = self.slots[position].as_ref() else {
            self.slots[position] = Some(entry);
            return;
        };
        if existing.overridable && !entry.overridable {
            self.slots[position] = Some(entry);
        } else if existing.overridable == entry.overridable {
            facts.push(Fact::ScheduledTwice {
                table: entry.table,
                first: existing.reference(),
                second: entry.reference(),
            });
        }
    }

    fn insert_if_absent(&mut self, entry: Entry) {
        let key = (entry.table, entry.name.clone());
        if !self.positions.contains_key(&key) {
            self.positions.insert(key, self.slots.len());
            self.slots.push(Some(entry));
        }
    }

    fn suppress(&mut self, table: Table, name: &str) {
        let Some(&position) = self.positions.get(&(table, name.to_string())) else {
            return;
        };
        if self.slots[position]
            .as_ref()
            .is_some_and(|entry| entry.overridable)
        {
            self.slots[position] = None;
            self.positions.remove(&(table, name.to_string()));
        }
    }

    fn into_entries(self) -> Vec<Entry> {
        self.slots.into_iter().flatten().collect()
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

    fn row(&self, row: &Arc<ActionRow>) -> Arc<ActionRow> {
        if self.suffix.is_none() {
            return Arc::clone(row);
        }
        Arc::new(ActionRow {
            action: self.spanned(&row.action),
            before: row.before.as_ref().map(|b| self.spanned(b)),
            after: row.after.as_ref().map(|a| self.spanned(a)),
            ..ActionRow::clone(row)
        })
    }

    fn custom_action(&self, custom: &CustomAction) -> CustomAction {
        CustomAction {
            id: self.spanned(&custom.id),
            ..custom.clone()
        }
    }
}
