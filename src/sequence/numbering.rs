//! Hanging relative actions off their anchors and numbering each table (reference §2.2–2.4,
//! WiX's `SequenceActionsCommand`, v3's `Linker.SequenceActions`).
//!
//! Every relative action has one parent: its `After` target, else its `Before` target. Each
//! absolute action's before- and after-lists are flattened depth-first (`before(C), C,
//! after(C)` for each child C) and numbered outwards from the anchor: before-blocks count
//! down, after-blocks count up, and a block that reaches the neighbouring absolute number is
//! reported (WIX0179) and doubles up as WiX does. Walks use explicit stacks and each action
//! is visited a bounded number of times, so long chains cost linear time.

use super::collate;
use super::index::{Entry, Indexed, Positions};
use super::link::Output;
use super::{Action, Fact, Placement, ResolvedTable};
use crate::model::standard_actions::{self, StandardAction};
use crate::model::Table;
use rustc_hash::FxHashMap;

/// Highest number + 1: the `nextUsed` of the last absolute action.
const PAST_LAST: i32 = 32768;

/// The before- and after-lists of every entry, stored flat: list `2n` is entry n's
/// before-list, `2n + 1` its after-list, and list `l` holds `children[starts[l]..starts[l + 1]]`
/// in the order the children were attached.
struct Forest {
    starts: Vec<usize>,
    children: Vec<usize>,
}

impl Forest {
    /// Lays out the lists of `attached` (children in attach order, each with its list).
    fn new(entries: usize, attached: &[(usize, usize)]) -> Forest {
        // Count each list's children, sum so that `starts[l]` is where list `l` ends, then
        // place children from the back, moving `starts[l]` down to where the list begins.
        let mut starts = vec![0; 2 * entries + 1];
        for &(_, list) in attached {
            starts[list] += 1;
        }
        for list in 1..starts.len() {
            starts[list] += starts[list - 1];
        }
        let mut children = vec![0; attached.len()];
        for &(child, list) in attached.iter().rev() {
            starts[list] -= 1;
            children[starts[list]] = child;
        }
        Forest { starts, children }
    }

    fn before(&self, node: usize) -> &[usize] {
        self.list(2 * node)
    }

    fn after(&self, node: usize) -> &[usize] {
        self.list(2 * node + 1)
    }

    fn list(&self, list: usize) -> &[usize] {
        &self.children[self.starts[list]..self.starts[list + 1]]
    }
}

pub(crate) fn number(indexed: Indexed<'_>, facts: &mut Vec<Fact>) -> Vec<ResolvedTable> {
    let Indexed {
        mut entries,
        mut positions,
        options,
    } = indexed;
    let mut parents = resolve_parents(&mut entries, &mut positions, facts);
    add_install_files_for_duplicate_files(&mut entries, &positions);
    parents.resize(entries.len(), None);
    let forest = build_forest(&entries, &parents, options.v3, facts);
    let mut numbers: Vec<Option<i32>> = entries.iter().map(|entry| entry.sequence).collect();
    if options.output != Output::Module {
        for table in Table::ALL {
            number_table(table, &entries, &forest, &mut numbers, facts);
        }
    }
    collect_tables(&entries, &numbers, options.v3)
}

/// Finds each relative entry's parent by name, adding standard actions that are named but
/// absent (to `entries` and `positions`); records anchors that resolve to nothing.
fn resolve_parents<'r>(
    entries: &mut Vec<Entry<'r>>,
    positions: &mut Positions<'r>,
    facts: &mut Vec<Fact>,
) -> Vec<Option<usize>> {
    let mut parents = vec![None; entries.len()];
    // Standard actions to add, numbered after the existing entries in the order first named.
    let mut added: Vec<&'static StandardAction> = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let (Some(anchor), None) = (entry.anchor(), entry.sequence) else {
            continue;
        };
        let key = (entry.table, anchor);
        if let Some(&parent) = positions.get(&key) {
            parents[index] = Some(parent);
            continue;
        }
        let standard = standard_actions::find(entry.table, anchor).filter(|s| s.sequence.is_some());
        match standard {
            Some(standard) => {
                let parent = entries.len() + added.len();
                positions.insert((standard.table, standard.name), parent);
                added.push(standard);
                parents[index] = Some(parent);
            }
            None => {
                let elsewhere = Table::ALL
                    .into_iter()
                    .filter(|&table| positions.contains_key(&(table, anchor)))
                    .collect();
                facts.push(Fact::UnresolvedAnchor {
                    table: entry.table,
                    action: entry.reference(),
                    anchor: anchor.to_string(),
                    elsewhere,
                });
            }
        }
    }
    for standard in added {
        entries.push(Entry::standard(standard));
        parents.push(None);
    }
    parents
}

/// Attaches each relative entry to its parent's list, detecting cycles as WiX does and
/// recording every cycle with all its members.
fn build_forest(
    entries: &[Entry],
    parent: &[Option<usize>],
    v3: bool,
    facts: &mut Vec<Fact>,
) -> Forest {
    let (wix_pair, attached) = if v3 {
        attach_v3(entries, parent)
    } else {
        attach_v4(entries, parent)
    };
    record_cycles(entries, parent, wix_pair, facts);
    let mut forest = Forest::new(entries.len(), &attached);
    if v3 {
        for list in 0..forest.starts.len() - 1 {
            let (start, end) = (forest.starts[list], forest.starts[list + 1]);
            forest.children[start..end]
                .sort_by(|&a, &b| collate::compare(entries[a].name(), entries[b].name()));
        }
    }
    forest
}

/// The list `child` joins: its parent's after-list if placed After, else the before-list.
fn list_of(entries: &[Entry], child: usize, parent: usize) -> usize {
    2 * parent + usize::from(entries[child].placement == Placement::After)
}

/// The first cycle WiX reports, and the attached children (with their list) in order.
type Attached = (Option<(usize, usize)>, Vec<(usize, usize)>);

/// v4+: entries attach in index order; the first cycle found by WiX's walk (each start walks
/// up its parents, claiming nodes; meeting its own claim is a cycle) is what WiX reports.
fn attach_v4(entries: &[Entry], parent: &[Option<usize>]) -> Attached {
    let mut claimed: Vec<Option<usize>> = vec![None; entries.len()];
    let mut first_cycle = None;
    let mut attached = Vec::with_capacity(entries.len());
    for start in 0..entries.len() {
        let Some(parent_of_start) = parent[start] else {
            continue;
        };
        if first_cycle.is_none() {
            first_cycle = walk_for_cycle(start, parent, &mut claimed);
        }
        attached.push((start, list_of(entries, start, parent_of_start)));
    }
    (first_cycle, attached)
}

/// One walk of WiX's `CheckForCircularActionReference`. Meeting a node another start claimed
/// means that walk went on from here to an absolute action without error, so this one would
/// too: stopping there keeps the whole check linear.
fn walk_for_cycle(
    start: usize,
    parent: &[Option<usize>],
    claimed: &mut [Option<usize>],
) -> Option<(usize, usize)> {
    let mut previous = start;
    let mut current = start;
    loop {
        match claimed[current] {
            None => claimed[current] = Some(start),
            Some(owner) if owner == start => return Some((current, previous)),
            Some(_) => return None,
        }
        let next = parent[current]?;
        previous = current;
        current = next;
    }
}

/// v3: entries attach in name order, and only an action whose parent is its own child (or
/// itself) is caught; WiX v3 stops there.
fn attach_v3(entries: &[Entry], parent: &[Option<usize>]) -> Attached {
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| {
        (entries[a].table.msi_name(), entries[a].name())
            .0
            .cmp(entries[b].table.msi_name())
            .then_with(|| collate::compare(entries[a].name(), entries[b].name()))
    });
    let mut first_cycle = None;
    let mut is_attached = vec![false; entries.len()];
    let mut attached = Vec::with_capacity(entries.len());
    for child in order {
        let Some(parent_of_child) = parent[child] else {
            continue;
        };
        // The parent is in one of the child's lists if it was attached under the child.
        let is_own_child = child == parent_of_child
            || (is_attached[parent_of_child] && parent[parent_of_child] == Some(child));
        if is_own_child {
            first_cycle.get_or_insert((child, parent_of_child));
            continue;
        }
        is_attached[child] = true;
        attached.push((child, list_of(entries, child, parent_of_child)));
    }
    (first_cycle, attached)
}

/// Every loop in the parent links, each reported once with all its members.
fn record_cycles(
    entries: &[Entry],
    parent: &[Option<usize>],
    wix_pair: Option<(usize, usize)>,
    facts: &mut Vec<Fact>,
) {
    const UNSEEN: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![UNSEEN; entries.len()];
    let mut path = Vec::new();
    for start in 0..entries.len() {
        path.clear();
        let mut current = Some(start);
        while let Some(node) = current {
            if state[node] != UNSEEN {
                break;
            }
            state[node] = ON_PATH;
            path.push(node);
            current = parent[node];
        }
        if let Some(node) = current.filter(|&node| state[node] == ON_PATH) {
            let from = path.iter().position(|&member| member == node).unwrap_or(0);
            let members: Vec<usize> = path[from..].to_vec();
            let pair = wix_pair.filter(|(a, b)| members.contains(a) && members.contains(b));
            facts.push(Fact::Cycle {
                table: entries[node].table,
                members: members.iter().map(|&m| entries[m].reference()).collect(),
                wix_pair: pair
                    .map(|(a, b)| (entries[a].name().to_string(), entries[b].name().to_string())),
            });
        }
        for &node in &path {
            state[node] = DONE;
        }
    }
}

/// WiX schedules InstallFiles whenever DuplicateFiles is in the execute sequence.
fn add_install_files_for_duplicate_files(entries: &mut Vec<Entry<'_>>, positions: &Positions<'_>) {
    let has = |name: &str| positions.contains_key(&(Table::InstallExecute, name));
    if has("DuplicateFiles") && !has("InstallFiles") {
        if let Some(install_files) = standard_actions::find(Table::InstallExecute, "InstallFiles") {
            entries.push(Entry::standard(install_files));
        }
    }
}

/// The actions of `list`'s subtrees in execution order: `before(C), C, after(C)` per child.
fn flatten(list: &[usize], forest: &Forest) -> Vec<usize> {
    enum Work {
        Expand(usize),
        Emit(usize),
    }
    let mut out = Vec::new();
    let mut work: Vec<Work> = list.iter().rev().map(|&c| Work::Expand(c)).collect();
    while let Some(item) = work.pop() {
        match item {
            Work::Emit(node) => out.push(node),
            Work::Expand(node) => {
                work.extend(forest.after(node).iter().rev().map(|&a| Work::Expand(a)));
                work.push(Work::Emit(node));
                work.extend(forest.before(node).iter().rev().map(|&b| Work::Expand(b)));
            }
        }
    }
    out
}

fn number_table(
    table: Table,
    entries: &[Entry],
    forest: &Forest,
    numbers: &mut [Option<i32>],
    facts: &mut Vec<Fact>,
) {
    let mut absolute: Vec<usize> = Vec::new();
    // WiX warns once per colliding pair; each action is reported once here, against the
    // first action with its number, so n equal numbers cost n facts rather than n².
    let mut first_with_number: FxHashMap<i32, usize> = FxHashMap::default();
    for (index, entry) in entries.iter().enumerate() {
        let Some(number) = entry.sequence.filter(|_| entry.table == table) else {
            continue;
        };
        match first_with_number.get(&number) {
            Some(&earlier) => facts.push(Fact::DuplicateNumber {
                table,
                number,
                first: entries[earlier].reference(),
                second: entry.reference(),
                reported_by_wix: true,
            }),
            None => {
                first_with_number.insert(number, index);
            }
        }
        absolute.push(index);
    }
    absolute.sort_by_key(|&index| entries[index].sequence);
    let mut no_room = vec![false; entries.len()];
    let mut previous_used = 0;
    for (position, &anchor) in absolute.iter().enumerate() {
        let anchor_number = entries[anchor].sequence.unwrap_or_default();
        let before = flatten(forest.before(anchor), forest);
        let after = flatten(forest.after(anchor), forest);
        if anchor_number < 0 && !(before.is_empty() && after.is_empty()) {
            for &relative in before.iter().chain(&after) {
                facts.push(Fact::RelativeToExit {
                    table,
                    action: entries[relative].reference(),
                    exit_action: entries[anchor].reference(),
                });
            }
            continue;
        }
        let next_used = absolute
            .get(position + 1)
            .and_then(|&next| entries[next].sequence)
            .unwrap_or(PAST_LAST);
        // A before-block is flattened in execution order and numbered from its end.
        let mut before = before;
        before.reverse();
        let before = Block {
            actions: before,
            start: anchor_number - 1,
            step: -1,
            limit: previous_used,
        };
        let after = Block {
            actions: after,
            start: anchor_number + 1,
            step: 1,
            limit: next_used,
        };
        for block in [before, after] {
            let side = block.step as isize;
            let Some(overflow) = block.number(numbers, &mut no_room) else {
                continue;
            };
            let neighbour = position
                .checked_add_signed(side)
                .and_then(|p| absolute.get(p))
                .map(|&n| entries[n].reference());
            facts.push(Fact::NoRoom {
                table,
                action: entries[overflow.first].reference(),
                more: overflow.count - 1,
                last: (overflow.count > 1).then(|| entries[overflow.last].reference()),
                absolute: entries[anchor].reference(),
                neighbour,
            });
        }
        previous_used = anchor_number;
    }
    record_silent_duplicates(table, entries, numbers, &no_room, facts);
}

/// The actions before or after one absolute action, numbered outwards from it.
struct Block {
    /// In numbering order: nearest the anchor first.
    actions: Vec<usize>,
    /// The first number to give.
    start: i32,
    /// -1 for a before-block (counting down), 1 for an after-block.
    step: i32,
    /// The neighbouring absolute number, which the block must not reach.
    limit: i32,
}

/// The actions of a block that found no free number: once a block runs out, every later
/// action of it does too.
struct Overflow {
    first: usize,
    last: usize,
    count: usize,
}

impl Block {
    /// Numbers the block as WiX does: an action that reaches the limit is reported (WIX0179)
    /// and takes the number of the one before it.
    fn number(self, numbers: &mut [Option<i32>], no_room: &mut [bool]) -> Option<Overflow> {
        let mut overflow: Option<Overflow> = None;
        let mut unused = self.start;
        for relative in self.actions {
            if unused == self.limit {
                match &mut overflow {
                    Some(overflow) => {
                        overflow.last = relative;
                        overflow.count += 1;
                    }
                    None => {
                        overflow = Some(Overflow {
                            first: relative,
                            last: relative,
                            count: 1,
                        })
                    }
                }
                no_room[relative] = true;
                unused -= self.step;
            }
            numbers[relative] = Some(unused);
            unused += self.step;
        }
        overflow
    }
}

/// Equal numbers WiX does not notice: a relative action landing on a number another block
/// (or an absolute action) already uses, without tripping the neighbour check.
fn record_silent_duplicates(
    table: Table,
    entries: &[Entry],
    numbers: &[Option<i32>],
    no_room: &[bool],
    facts: &mut Vec<Fact>,
) {
    let mut by_number: FxHashMap<i32, usize> = FxHashMap::default();
    let mut numbered: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[i].table == table && numbers[i].is_some())
        .collect();
    numbered.sort_by_key(|&i| (numbers[i], entries[i].sequence.is_none()));
    for index in numbered {
        let Some(number) = numbers[index] else {
            continue;
        };
        match by_number.get(&number) {
            Some(&first) => {
                let both_absolute =
                    entries[first].sequence.is_some() && entries[index].sequence.is_some();
                if !both_absolute && !no_room[index] && !no_room[first] {
                    facts.push(Fact::DuplicateNumber {
                        table,
                        number,
                        first: entries[first].reference(),
                        second: entries[index].reference(),
                        reported_by_wix: false,
                    });
                }
            }
            None => {
                by_number.insert(number, index);
            }
        }
    }
}

/// The tables as printed: actions sorted by number (unnumbered last, in index order).
fn collect_tables(entries: &[Entry], numbers: &[Option<i32>], v3: bool) -> Vec<ResolvedTable> {
    let slot_of = |entry: &Entry| {
        Table::ALL
            .iter()
            .position(|&table| table == entry.table)
            .unwrap_or_default()
    };
    let mut sizes = [0; Table::ALL.len()];
    for entry in entries {
        sizes[slot_of(entry)] += 1;
    }
    let mut tables: Vec<ResolvedTable> = Table::ALL
        .into_iter()
        .zip(sizes)
        .map(|(table, size)| ResolvedTable {
            table,
            actions: Vec::with_capacity(size),
        })
        .collect();
    // Sorted by number, unnumbered (`i64::MAX`) last, then by index.
    let mut order: Vec<(i64, usize)> = numbers
        .iter()
        .enumerate()
        .map(|(index, number)| (number.map_or(i64::MAX, i64::from), index))
        .collect();
    // Numbers mostly rise with the index already: the stable sort's run detection pays off.
    order.sort();
    for (_, index) in order {
        let entry = &entries[index];
        tables[slot_of(entry)].actions.push(Action {
            table: entry.table,
            name: entry.name().to_string(),
            kind: entry.kind,
            sequence: numbers[index],
            placement: entry.placement,
            condition: entry.condition(v3).map(str::to_string),
            row: entry.row().cloned(),
            custom_action: entry.custom_action,
        });
    }
    tables.retain(|table| !table.actions.is_empty());
    tables
}

#[cfg(test)]
mod tests {
    use crate::sequence::tests::install_execute;

    fn order(body: &str) -> Vec<(String, Option<i32>)> {
        install_execute(body)
            .actions
            .iter()
            .map(|action| (action.name.clone(), action.sequence))
            .collect()
    }

    #[test]
    fn anchors_resolve_past_a_suppressed_standard_action() {
        let actions = order(
            "<ValidateProductID Suppress=\"yes\" /><Custom Action=\"X\" After=\"CostFinalize\" /><Custom Action=\"Y\" Before=\"InstallFinalize\" />",
        );
        let find = |name: &str| actions.iter().find(|(n, _)| n == name).map(|(_, s)| *s);
        assert_eq!(find("ValidateProductID"), None);
        assert_eq!(find("CostFinalize"), Some(Some(1000)));
        assert_eq!(find("X"), Some(Some(1001)));
        assert_eq!(find("Y"), Some(Some(6599)));
    }

    #[test]
    fn duplicate_files_brings_install_files_into_the_numbered_table() {
        let actions = order(
            "<DuplicateFiles Sequence=\"4210\" /><Custom Action=\"X\" After=\"InstallFiles\" />",
        );
        let find = |name: &str| actions.iter().find(|(n, _)| n == name).map(|(_, s)| *s);
        assert_eq!(find("InstallFiles"), Some(Some(4000)));
        assert_eq!(find("X"), Some(Some(4001)));
        let actions = order("<DuplicateFiles Sequence=\"4210\" />");
        assert!(
            actions.contains(&("InstallFiles".to_string(), Some(4000))),
            "{actions:?}"
        );
    }
}
