//! Sequencing: the effective MSI sequence tables, numbered exactly as WiX numbers them.
//!
//! [`resolve`] links the model ([`link`]), gathers the rows of the linked sections, adds the
//! standard actions WiX adds, applies overrides and suppressions ([`index`]), hangs relative
//! actions off their anchors and numbers each table ([`numbering`]). Along the way it records
//! [`Fact`]s — cycles, unresolved anchors, blocks with no room, anchors on exit actions, equal
//! numbers — each with the spans that explain it. Facts are not diagnostics: rules judge them.
//! Everything is iterative and near-linear in the number of actions.

mod collate;
mod index;
pub mod link;
mod numbering;
mod symbols;

pub use link::{Linked, Output};

use crate::model::{ActionKind, ActionRow, CustomAction, Table, WixModel};
use crate::source::Span;
use rustc_hash::FxHashMap;
use std::collections::HashSet;
use std::sync::Arc;

/// How an action got its place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// A standard action at its default number.
    Default,
    Sequence,
    Before,
    After,
    OnExit,
}

impl Placement {
    pub fn as_str(self) -> &'static str {
        match self {
            Placement::Default => "default",
            Placement::Sequence => "sequence",
            Placement::Before => "before",
            Placement::After => "after",
            Placement::OnExit => "onexit",
        }
    }
}

/// One action in an effective table.
#[derive(Clone, Debug)]
pub struct Action {
    pub table: Table,
    /// The action's name as it appears in the MSI (modularized in merge modules).
    pub name: String,
    pub kind: ActionKind,
    /// `None` for a merge module's relative row, or when the action could not be numbered.
    pub sequence: Option<i32>,
    pub placement: Placement,
    pub condition: Option<String>,
    /// The authored row, `None` for built-in standard actions (shared with the facts that
    /// name the action).
    pub row: Option<Arc<ActionRow>>,
    /// The custom action it runs, if defined in the link unit.
    pub custom_action: Option<usize>,
}

impl Action {
    /// The action it is placed before or after (the MSI name): its row's `After`, else its
    /// `Before`.
    pub fn anchor(&self) -> Option<&str> {
        let anchor = self.row.as_deref().and_then(ActionRow::anchor)?;
        Some(&anchor.value)
    }

    /// The attribute that placed this action, or the element when nothing did.
    pub fn placement_span(&self) -> Option<Span> {
        self.row.as_deref().map(ActionRow::placement_span)
    }
}

/// An effective sequence table, sorted by number.
#[derive(Clone, Debug)]
pub struct ResolvedTable {
    pub table: Table,
    pub actions: Vec<Action>,
}

impl ResolvedTable {
    pub fn find(&self, name: &str) -> Option<&Action> {
        self.actions.iter().find(|action| action.name == name)
    }

    /// The actions placed before or after `name`, directly or through a chain of anchors
    /// (`name` itself only if its own chain leads back to it).
    pub fn placed_relative_to(&self, name: &str) -> HashSet<&str> {
        #[derive(Clone, Copy, PartialEq)]
        enum Reach {
            Unknown,
            Walking,
            Yes,
            No,
        }
        let positions: FxHashMap<&str, usize> = self
            .actions
            .iter()
            .enumerate()
            .map(|(position, action)| (action.name.as_str(), position))
            .collect();
        // Each action has one anchor, so following anchors from an action is one path;
        // every path walked is settled at once, so each action is walked once.
        let mut reach = vec![Reach::Unknown; self.actions.len()];
        let mut path = Vec::new();
        for start in 0..self.actions.len() {
            let mut current = start;
            let settled = loop {
                match reach[current] {
                    Reach::Yes => break Reach::Yes,
                    Reach::No | Reach::Walking => break Reach::No,
                    Reach::Unknown => {}
                }
                reach[current] = Reach::Walking;
                path.push(current);
                let Some(anchor) = self.actions[current].anchor() else {
                    break Reach::No;
                };
                if anchor == name {
                    break Reach::Yes;
                }
                match positions.get(anchor) {
                    Some(&position) => current = position,
                    None => break Reach::No,
                }
            };
            for position in path.drain(..) {
                reach[position] = settled;
            }
        }
        self.actions
            .iter()
            .zip(reach)
            .filter(|(_, reach)| *reach == Reach::Yes)
            .map(|(action, _)| action.name.as_str())
            .collect()
    }

    /// The MSI name: `ModuleInstallExecuteSequence` in merge modules.
    pub fn name(&self, output: Output) -> &'static str {
        match output {
            Output::Module => self.table.module_name(),
            _ => self.table.msi_name(),
        }
    }
}

/// An action referred to by a fact: its table position and, when authored, its row.
#[derive(Clone, Debug)]
pub struct ActionRef {
    pub name: String,
    pub row: Option<Arc<ActionRow>>,
    pub sequence: Option<i32>,
}

impl ActionRef {
    pub fn span(&self) -> Option<Span> {
        self.row.as_deref().map(ActionRow::placement_span)
    }
}

/// Something about the schedule that rules may judge.
#[derive(Clone, Debug)]
pub enum Fact {
    /// Before/After links that form a loop. `members` in loop order, each placed relative to
    /// the next; `wix_pair` is what WiX's own check reports first (WIX0176), if it does.
    Cycle {
        table: Table,
        members: Vec<ActionRef>,
        wix_pair: Option<(String, String)>,
    },
    /// Before/After names an action that is neither standard nor scheduled in this table.
    /// `elsewhere` lists tables where that action is scheduled.
    UnresolvedAnchor {
        table: Table,
        action: ActionRef,
        anchor: String,
        elsewhere: Vec<Table>,
    },
    /// WIX0179: relative actions do not fit between two absolute numbers. Once the block of
    /// actions before (or after) `absolute` runs out of numbers, every later action of it
    /// does too: `action` is the first, `more` counts the others and `last` is the last.
    NoRoom {
        table: Table,
        action: ActionRef,
        more: usize,
        last: Option<ActionRef>,
        absolute: ActionRef,
        neighbour: Option<ActionRef>,
    },
    /// WIX0177: an action placed relative to an OnExit action.
    RelativeToExit {
        table: Table,
        action: ActionRef,
        exit_action: ActionRef,
    },
    /// Two actions with one number. `reported_by_wix` is false for the silent collisions
    /// WiX misses (only ICE82 catches them).
    DuplicateNumber {
        table: Table,
        number: i32,
        first: ActionRef,
        second: ActionRef,
        reported_by_wix: bool,
    },
    /// The same action scheduled twice in one table.
    ScheduledTwice {
        table: Table,
        first: ActionRef,
        second: ActionRef,
    },
    /// A fragment with content that nothing links into the output.
    UnlinkedFragment { section: usize },
}

/// The effective tables of one link unit and the facts found while building them.
#[derive(Debug)]
pub struct Schedule {
    pub linked: Linked,
    pub tables: Vec<ResolvedTable>,
    /// Custom actions of the linked sections, modularized in merge modules.
    pub custom_actions: Vec<Arc<CustomAction>>,
    pub facts: Vec<Fact>,
}

impl Schedule {
    pub fn table(&self, table: Table) -> Option<&ResolvedTable> {
        self.tables.iter().find(|resolved| resolved.table == table)
    }

    pub fn custom_action(&self, action: &Action) -> Option<&CustomAction> {
        action
            .custom_action
            .map(|index| &*self.custom_actions[index])
    }

    /// The numbered actions of `table` that run a custom action defined in the link unit,
    /// with their number and definition.
    pub fn custom_actions_in<'s>(
        &'s self,
        table: &'s ResolvedTable,
    ) -> impl Iterator<Item = (&'s Action, i32, &'s CustomAction)> + 's {
        table
            .actions
            .iter()
            .filter_map(move |action| Some((action, action.sequence?, self.custom_action(action)?)))
    }
}

/// Links and numbers the model, linking on up to `jobs` threads.
pub fn resolve(model: &WixModel, jobs: usize) -> Schedule {
    let linked = link::link(model, jobs);
    let mut facts: Vec<Fact> = linked
        .unlinked
        .iter()
        .filter(|&&index| {
            let section = &model.sections[index];
            !section.rows.is_empty() || !section.custom_actions.is_empty()
        })
        .map(|&section| Fact::UnlinkedFragment { section })
        .collect();
    let authored = index::Authored::gather(model, &linked);
    let indexed = index::index(&authored, model, &linked, &mut facts);
    let tables = numbering::number(indexed, &mut facts);
    Schedule {
        linked,
        tables,
        custom_actions: authored.custom_actions,
        facts,
    }
}

#[cfg(test)]
mod tests {
    use super::ResolvedTable;
    use crate::analysis::{analyze, Input, Settings};
    use crate::model::Table;

    /// The InstallExecuteSequence of a v4+ package whose sequence element holds `body`.
    pub(super) fn install_execute(body: &str) -> ResolvedTable {
        let text = format!(
            "<Wix xmlns=\"http://wixtoolset.org/schemas/v4/wxs\"><Package Name=\"P\" Manufacturer=\"M\" Version=\"1.0.0\"><InstallExecuteSequence>{body}</InstallExecuteSequence></Package></Wix>"
        );
        let input = Input::with_bytes("t.wxs".into(), Ok(text.into_bytes()));
        let analysis = analyze(vec![input], &Settings::default());
        analysis
            .schedule
            .table(Table::InstallExecute)
            .unwrap()
            .clone()
    }

    fn sorted(names: std::collections::HashSet<&str>) -> Vec<&str> {
        let mut names: Vec<&str> = names.into_iter().collect();
        names.sort_unstable();
        names
    }

    #[test]
    fn placed_relative_to_follows_chains_and_loops() {
        let table = install_execute(concat!(
            "<Custom Action=\"C\" After=\"B\" />",
            "<Custom Action=\"A\" After=\"RemoveExistingProducts\" />",
            "<Custom Action=\"B\" Before=\"A\" />",
            "<Custom Action=\"D\" After=\"InstallFiles\" />",
            "<Custom Action=\"X\" After=\"Y\" />",
            "<Custom Action=\"Y\" After=\"X\" />",
            "<Custom Action=\"Z\" After=\"Y\" />",
            "<Custom Action=\"E\" After=\"Nowhere\" />",
        ));
        let placed = |name| sorted(table.placed_relative_to(name));
        assert_eq!(placed("RemoveExistingProducts"), ["A", "B", "C"]);
        assert_eq!(placed("B"), ["C"]);
        assert_eq!(placed("X"), ["X", "Y", "Z"]);
        assert_eq!(placed("Nowhere"), ["E"]);
        assert!(placed("D").is_empty());
    }
}
