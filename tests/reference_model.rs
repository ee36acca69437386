//! Randomised comparison of `wixcheck order` with an independent model of WiX's
//! sequence numbering (wix-sequencing.md §2.2–2.4; WiX v4+
//! `SequenceActionsCommand`, WiX v3 `Linker.SequenceActions`).
//!
//! Each generated case is one `.wxs` file, half WiX v3 (`<Product>`), half v4+
//! (`<Package>`, run with `--wix 6`), with a handful of DLL custom actions
//! scheduled in InstallExecuteSequence: Before/After standard actions (which pulls
//! missing ones in with their default numbers), Before/After other custom actions
//! (chains, forward and backward in the document), absolute `Sequence` values
//! (near standard actions so blocks run out of room, and duplicates), `OnExit`,
//! and deliberate cycles. The model numbers the whole table; the test compares
//! every row, the exit code and the presence of WXC101 (cycle), WXC106 (no room)
//! and WXC108 (relative to an OnExit action).
//!
//! The generator is a seeded xorshift PRNG: set `WIXCHECK_MODEL_SEED` and
//! `WIXCHECK_MODEL_CASES` to replay or widen a run. Failing cases are printed
//! with their seed and their `.wxs` text.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::Mutex;

use common::{run_wixcheck, wix0176_note, Report, Row, TempDir};

const TABLE: &str = "InstallExecuteSequence";

/// The InstallExecuteSequence actions every Package/Product gets (§1.1).
const BASELINE: [(&str, i32); 13] = [
    ("ValidateProductID", 700),
    ("CostInitialize", 800),
    ("FileCost", 900),
    ("CostFinalize", 1000),
    ("InstallValidate", 1400),
    ("InstallInitialize", 1500),
    ("ProcessComponents", 1600),
    ("UnpublishFeatures", 1800),
    ("RegisterUser", 6000),
    ("RegisterProduct", 6100),
    ("PublishFeatures", 6300),
    ("PublishProduct", 6400),
    ("InstallFinalize", 6600),
];

/// Standard actions outside the baseline, added only when named in Before/After.
const PULLED_IN: [(&str, i32); 7] = [
    ("FindRelatedProducts", 25),
    ("AppSearch", 50),
    ("LaunchConditions", 100),
    ("RemoveFiles", 3500),
    ("InstallFiles", 4000),
    ("WriteRegistryValues", 5000),
    ("InstallExecute", 6500),
];

const ON_EXIT: [(&str, i32); 4] = [
    ("success", -1),
    ("cancel", -2),
    ("error", -3),
    ("suspend", -4),
];

fn standard_number(name: &str) -> Option<i32> {
    BASELINE
        .iter()
        .chain(PULLED_IN.iter())
        .find(|(n, _)| *n == name)
        .map(|&(_, s)| s)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dialect {
    V3,
    V4,
}

#[derive(Clone, Debug)]
enum Schedule {
    Sequence(i32),
    OnExit(usize),
    After(String),
    Before(String),
}

impl Schedule {
    fn parent(&self) -> Option<(&str, bool)> {
        match self {
            Schedule::After(t) => Some((t, true)),
            Schedule::Before(t) => Some((t, false)),
            _ => None,
        }
    }

    fn number(&self) -> Option<i32> {
        match self {
            Schedule::Sequence(n) => Some(*n),
            Schedule::OnExit(i) => Some(ON_EXIT[*i].1),
            _ => None,
        }
    }

    fn attribute(&self) -> String {
        match self {
            Schedule::Sequence(n) => format!("Sequence=\"{n}\""),
            Schedule::OnExit(i) => format!("OnExit=\"{}\"", ON_EXIT[*i].0),
            Schedule::After(t) => format!("After=\"{t}\""),
            Schedule::Before(t) => format!("Before=\"{t}\""),
        }
    }
}

/// One generated package: custom actions in document order of their `<Custom>`.
#[derive(Clone, Debug)]
struct Case {
    dialect: Dialect,
    actions: Vec<(String, Schedule)>,
}

impl Case {
    fn to_wxs(&self) -> String {
        let (open, close, binary_attr) = match self.dialect {
            Dialect::V3 => (
                "<Wix xmlns=\"http://schemas.microsoft.com/wix/2006/wi\">\n  <Product Id=\"*\" Name=\"Model\" Language=\"1033\" Version=\"1.0.0.0\" Manufacturer=\"wixcheck\">\n    <Package InstallerVersion=\"200\" />\n",
                "  </Product>\n</Wix>\n",
                "BinaryKey",
            ),
            Dialect::V4 => (
                "<Wix xmlns=\"http://wixtoolset.org/schemas/v4/wxs\">\n  <Package Name=\"Model\" Language=\"1033\" Version=\"1.0.0.0\" Manufacturer=\"wixcheck\">\n",
                "  </Package>\n</Wix>\n",
                "BinaryRef",
            ),
        };
        let mut s = String::from(open);
        s.push_str("    <Binary Id=\"B\" SourceFile=\"b.dll\" />\n");
        for (name, _) in &self.actions {
            let _ = writeln!(
                s,
                "    <CustomAction Id=\"{name}\" {binary_attr}=\"B\" DllEntry=\"x\" />"
            );
        }
        s.push_str("    <InstallExecuteSequence>\n");
        for (name, schedule) in &self.actions {
            let _ = writeln!(
                s,
                "      <Custom Action=\"{name}\" {} />",
                schedule.attribute()
            );
        }
        s.push_str("    </InstallExecuteSequence>\n");
        s.push_str(close);
        s
    }
}

// ---------------------------------------------------------------------------
// Random case generation.

/// xorshift64* — deterministic, no dependencies.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        // splitmix64 so that neighbouring seeds give unrelated streams.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo + 1) as u64)) as i64
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() as i64 - 1) as usize]
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.range(0, i as i64) as usize);
        }
    }
}

/// Letters-only names, unique ignoring case (so v3's culture-sorted lists have no ties),
/// with mixed case so that ordinal and case-insensitive order differ.
fn names(rng: &mut Rng, n: usize) -> Vec<String> {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut out: Vec<String> = Vec::new();
    while out.len() < n {
        let len = rng.range(1, 3);
        let name: String = std::iter::once("Ca".to_string())
            .chain((0..len).map(|_| (*rng.pick(LETTERS) as char).to_string()))
            .collect();
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&name)) {
            out.push(name);
        }
    }
    out
}

fn standard_anchor(rng: &mut Rng) -> (&'static str, i32) {
    const FAVOURITES: [&str; 5] = [
        "InstallValidate",
        "InstallInitialize",
        "InstallFinalize",
        "CostFinalize",
        "InstallFiles",
    ];
    let name = if rng.chance(50) {
        *rng.pick(&FAVOURITES)
    } else if rng.chance(75) {
        rng.pick(&BASELINE).0
    } else {
        rng.pick(&PULLED_IN).0
    };
    (name, standard_number(name).expect("known standard action"))
}

fn relative(rng: &mut Rng, target: &str) -> Schedule {
    if rng.chance(50) {
        Schedule::After(target.to_string())
    } else {
        Schedule::Before(target.to_string())
    }
}

fn absolute(rng: &mut Rng, taken: &[i32]) -> Schedule {
    let n = match rng.range(0, 9) {
        0..=3 => standard_anchor(rng).1 + rng.range(-2, 2) as i32,
        4 => rng.range(1, 3) as i32,
        5 => rng.range(32765, 32767) as i32,
        6 if !taken.is_empty() => *rng.pick(taken),
        _ => rng.range(1, 32767) as i32,
    };
    Schedule::Sequence(n.clamp(1, 32767))
}

fn generate(rng: &mut Rng, dialect: Dialect) -> Case {
    let n = rng.range(1, 9) as usize;
    let names = names(rng, n);
    // A hidden creation order: custom-action references point to earlier actions only
    // (so they form chains, not cycles) until a cycle is injected deliberately below.
    let mut schedules: Vec<Schedule> = Vec::with_capacity(n);
    for i in 0..n {
        let taken: Vec<i32> = schedules
            .iter()
            .filter_map(|s| {
                if let Schedule::Sequence(v) = s {
                    Some(*v)
                } else {
                    None
                }
            })
            .collect();
        let schedule = match rng.range(0, 99) {
            35..=69 if i > 0 => {
                let target = &names[rng.range(0, i as i64 - 1) as usize];
                relative(rng, target)
            }
            70..=95 => absolute(rng, &taken),
            96..=99 => Schedule::OnExit(rng.range(0, 3) as usize),
            _ => {
                let (target, _) = standard_anchor(rng);
                relative(rng, target)
            }
        };
        schedules.push(schedule);
    }
    if n >= 2 && rng.chance(15) {
        crowd_an_anchor(rng, &mut schedules);
    }
    if n >= 2 && rng.chance(10) {
        let len = rng.range(2, n.min(4) as i64) as usize;
        let mut ring: Vec<usize> = (0..n).collect();
        rng.shuffle(&mut ring);
        ring.truncate(len);
        for (k, &member) in ring.iter().enumerate() {
            let target = &names[ring[(k + 1) % len]];
            schedules[member] = relative(rng, target);
        }
    }
    let mut actions: Vec<(String, Schedule)> = names.into_iter().zip(schedules).collect();
    rng.shuffle(&mut actions);
    Case { dialect, actions }
}

/// Puts an absolute action right next to a standard action and schedules another
/// action relative to it on that side, so the block has no room.
fn crowd_an_anchor(rng: &mut Rng, schedules: &mut [Schedule]) {
    let (anchor, number) = standard_anchor(rng);
    let a = rng.range(0, schedules.len() as i64 - 1) as usize;
    let b = (a + 1 + rng.range(0, schedules.len() as i64 - 2) as usize) % schedules.len();
    let gap = rng.range(1, 2) as i32;
    if rng.chance(50) {
        schedules[a] = Schedule::Sequence(number + gap);
        schedules[b] = Schedule::After(anchor.to_string());
    } else {
        schedules[a] = Schedule::Sequence((number - gap).max(1));
        schedules[b] = Schedule::Before(anchor.to_string());
    }
}

// ---------------------------------------------------------------------------
// The reference model.

#[derive(Debug)]
struct Node {
    name: String,
    number: Option<i32>,
    parent: Option<(String, bool)>,
    before: Vec<String>,
    after: Vec<String>,
}

/// What WiX does with one case (for one order of equal absolute numbers).
#[derive(Debug, Default, Clone)]
struct Outcome {
    /// Every InstallExecuteSequence action; `None` = never numbered.
    numbers: BTreeMap<String, Option<i32>>,
    /// v4+: the pair WiX's error 176 names; v3: the 2-cycle that stops light.exe.
    cycle: Option<(String, String)>,
    /// v3 only: a cycle longer than two, which WiX silently leaves unnumbered.
    silent_cycle: bool,
    /// Actions named in error 179 (no unique sequence number).
    no_room: Vec<String>,
    /// Actions named in error 177 (relative to an OnExit action).
    exit_relative: Vec<String>,
}

impl Outcome {
    fn wix_fails(&self) -> bool {
        self.cycle.is_some() || !self.no_room.is_empty() || !self.exit_relative.is_empty()
    }
}

/// The dependency forest built by WiX before numbering.
struct Forest {
    dialect: Dialect,
    nodes: Vec<Node>,
    index: HashMap<String, usize>,
    cycle: Option<(String, String)>,
    v3_fatal: bool,
}

impl Forest {
    fn build(case: &Case) -> Forest {
        let mut forest = Forest {
            dialect: case.dialect,
            nodes: Vec::new(),
            index: HashMap::new(),
            cycle: None,
            v3_fatal: false,
        };
        for (name, schedule) in &case.actions {
            forest.add(
                name,
                schedule.number(),
                schedule.parent().map(|(t, after)| (t.to_string(), after)),
            );
        }
        for (name, number) in BASELINE {
            if !forest.index.contains_key(name) {
                forest.add(name, Some(number), None);
            }
        }
        let mut relatives: Vec<String> = forest
            .nodes
            .iter()
            .filter(|n| n.parent.is_some())
            .map(|n| n.name.clone())
            .collect();
        if case.dialect == Dialect::V3 {
            // v3 keeps actions in a SortedList keyed "Table/Action" (culture order).
            relatives.sort_by_key(|n| n.to_ascii_lowercase());
        }
        let mut first_reference: HashMap<String, String> = HashMap::new();
        for name in relatives {
            let (target, after) = forest.nodes[forest.index[&name]]
                .parent
                .clone()
                .expect("relative");
            if !forest.index.contains_key(&target) {
                let number = standard_number(&target)
                    .unwrap_or_else(|| panic!("generator made an unresolved {target}"));
                forest.add(&target, Some(number), None);
            }
            match forest.dialect {
                Dialect::V4 => forest.check_cycle_v4(&name, &mut first_reference),
                Dialect::V3 => {
                    let node = &forest.nodes[forest.index[&name]];
                    if node.before.contains(&target) || node.after.contains(&target) {
                        forest.cycle = Some((name.clone(), target.clone()));
                        forest.v3_fatal = true;
                    }
                }
            }
            let parent = forest.index[&target];
            if after {
                forest.nodes[parent].after.push(name);
            } else {
                forest.nodes[parent].before.push(name);
            }
        }
        forest
    }

    fn add(&mut self, name: &str, number: Option<i32>, parent: Option<(String, bool)>) {
        self.index.insert(name.to_string(), self.nodes.len());
        self.nodes.push(Node {
            name: name.to_string(),
            number,
            parent,
            before: Vec::new(),
            after: Vec::new(),
        });
    }

    /// `SequenceActionsCommand.CheckForCircularActionReference`: walk up the parents,
    /// remembering which start reached each action first; meeting an action claimed by
    /// the same start is a cycle. After the first error every walk stops after one step.
    fn check_cycle_v4(&mut self, start: &str, first_reference: &mut HashMap<String, String>) {
        let mut current: Option<String> = None;
        let mut next = Some(start.to_string());
        while let Some(parent) = next {
            let previous = current.clone().unwrap_or_else(|| parent.clone());
            match first_reference.get(&parent) {
                None => {
                    first_reference.insert(parent.clone(), start.to_string());
                }
                Some(s) if s == start && self.cycle.is_none() => {
                    self.cycle = Some((parent.clone(), previous))
                }
                Some(_) => {}
            }
            next = self.parent_of(&parent).filter(|_| self.cycle.is_none());
            current = Some(parent);
        }
    }

    /// `GetParentActionSymbol`: the target, whether or not it has been added yet.
    fn parent_of(&self, name: &str) -> Option<String> {
        match self.index.get(name) {
            Some(&i) => self.nodes[i].parent.as_ref().map(|(t, _)| t.clone()),
            None => None, // a standard action not yet added: it has no parent
        }
    }

    /// `before(C), C, after(C)` for each child, recursively, in list order
    /// (v4+: the order actions were processed; v3: alphabetical).
    fn flatten(&self, children: &[String], out: &mut Vec<String>) {
        let mut children: Vec<&String> = children.iter().collect();
        if self.dialect == Dialect::V3 {
            children.sort_by_key(|n| n.to_ascii_lowercase());
        }
        for child in children {
            let node = &self.nodes[self.index[child]];
            self.flatten(&node.before, out);
            out.push(child.clone());
            self.flatten(&node.after, out);
        }
    }

    /// Absolute actions sorted by number; one ordering per way WiX's unstable
    /// sort could order equal numbers where that order can matter.
    fn absolute_orders(&self) -> Vec<Vec<usize>> {
        let mut sorted: Vec<usize> = (0..self.nodes.len())
            .filter(|&i| self.nodes[i].number.is_some())
            .collect();
        sorted.sort_by_key(|&i| self.nodes[i].number);
        let mut orders = vec![sorted.clone()];
        let mut start = 0;
        while start < sorted.len() {
            let number = self.nodes[sorted[start]].number;
            let end = start
                + sorted[start..]
                    .iter()
                    .take_while(|&&i| self.nodes[i].number == number)
                    .count();
            let has_relatives = sorted[start..end]
                .iter()
                .any(|&i| !self.nodes[i].before.is_empty() || !self.nodes[i].after.is_empty());
            if end - start > 1 && has_relatives {
                orders = orders
                    .iter()
                    .flat_map(|order| {
                        permutations(&sorted[start..end]).into_iter().map(move |p| {
                            let mut o = order.clone();
                            o[start..end].copy_from_slice(&p);
                            o
                        })
                    })
                    .collect();
            }
            start = end;
        }
        orders
    }

    /// `ScheduleActions` for one ordering of the absolute actions.
    fn number(&self, order: &[usize]) -> Outcome {
        let mut outcome = Outcome {
            cycle: self.cycle.clone(),
            ..Outcome::default()
        };
        for node in &self.nodes {
            outcome.numbers.insert(node.name.clone(), node.number);
        }
        let mut previous_used = 0;
        for (j, &x) in order.iter().enumerate() {
            let anchor = &self.nodes[x];
            let number = anchor.number.expect("absolute");
            let (mut before, mut after) = (Vec::new(), Vec::new());
            self.flatten(&anchor.before, &mut before);
            self.flatten(&anchor.after, &mut after);
            if number < 0 && !(before.is_empty() && after.is_empty()) {
                outcome
                    .exit_relative
                    .extend(before.into_iter().chain(after));
                continue;
            }
            let mut unused = number - 1;
            for name in before.iter().rev() {
                if unused == previous_used {
                    outcome.no_room.push(name.clone());
                    unused += 1;
                }
                outcome.numbers.insert(name.clone(), Some(unused));
                unused -= 1;
            }
            let next_used = order.get(j + 1).map_or(i32::from(i16::MAX) + 1, |&n| {
                self.nodes[n].number.expect("absolute")
            });
            let mut unused = number + 1;
            for name in &after {
                if unused == next_used {
                    outcome.no_room.push(name.clone());
                    unused -= 1;
                }
                outcome.numbers.insert(name.clone(), Some(unused));
                unused += 1;
            }
            previous_used = number;
        }
        if self.v3_fatal {
            // light.exe stops at the 2-cycle: nothing after it is reported.
            outcome.no_room.clear();
            outcome.exit_relative.clear();
        } else if self.dialect == Dialect::V3 {
            // Relative actions never reached from an absolute one hang off a longer cycle.
            outcome.silent_cycle = self.nodes.iter().any(|n| {
                n.parent.is_some()
                    && outcome.numbers[&n.name].is_none()
                    && !outcome.exit_relative.contains(&n.name)
            });
        }
        outcome
    }
}

fn permutations(items: &[usize]) -> Vec<Vec<usize>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    (0..items.len())
        .flat_map(|i| {
            let mut rest = items.to_vec();
            let first = rest.remove(i);
            permutations(&rest).into_iter().map(move |mut p| {
                p.insert(0, first);
                p
            })
        })
        .collect()
}

/// Every outcome WiX could produce for the case (more than one only when equal
/// absolute numbers with relatives make the result depend on sort order).
fn model(case: &Case) -> (Forest, Vec<Outcome>) {
    let forest = Forest::build(case);
    let outcomes = forest
        .absolute_orders()
        .iter()
        .take(64)
        .map(|o| forest.number(o))
        .collect();
    (forest, outcomes)
}

// ---------------------------------------------------------------------------
// Comparing wixcheck with the model.

/// Mismatches between wixcheck's report and one model outcome (empty = agreement).
fn mismatches(
    case: &Case,
    forest: &Forest,
    want: &Outcome,
    code: Option<i32>,
    report: &Report,
) -> Vec<String> {
    let mut out = Vec::new();
    let v3_fatal = forest.v3_fatal;
    for (name, expected) in &want.numbers {
        let got = report.row(TABLE, name);
        // light.exe stops at a v3 2-cycle, so only absolute numbers are certain there.
        let lenient = v3_fatal && forest.nodes[forest.index[name]].parent.is_some();
        match (expected, got) {
            (_, Row::Duplicated(k)) => out.push(format!("{name}: listed {k} times")),
            (Some(n), Row::Once(r)) if r.sequence == Some(i64::from(*n)) => {}
            (Some(_), Row::Absent) if lenient => {}
            (Some(_), Row::Once(r)) if lenient && r.sequence.is_none() => {}
            (Some(n), got) => out.push(format!("{name}: expected {n}, got {}", describe(&got))),
            (None, Row::Absent) => {}
            (None, Row::Once(r)) if r.sequence.is_none() => {}
            (None, got) => out.push(format!(
                "{name}: expected no number, got {}",
                describe(&got)
            )),
        }
    }
    for row in report.rows(TABLE) {
        if !want.numbers.contains_key(&row.action) {
            out.push(format!(
                "{}: not in WiX's table, got {:?}",
                row.action, row.sequence
            ));
        }
    }
    out.extend(diagnostic_mismatches(case, want, code, report));
    out
}

fn diagnostic_mismatches(
    case: &Case,
    want: &Outcome,
    code: Option<i32>,
    report: &Report,
) -> Vec<String> {
    let mut out = Vec::new();
    let flagged_silent_cycle = want.silent_cycle && report.has_code("WXC101");
    let code_ok = match code {
        Some(1) => want.wix_fails() || flagged_silent_cycle,
        Some(0) => !want.wix_fails(),
        _ => false,
    };
    if !code_ok {
        out.push(format!(
            "exit code {code:?}, but WiX {}",
            if want.wix_fails() {
                "fails"
            } else {
                "succeeds"
            }
        ));
    }
    if let Some((action, other)) = &want.cycle {
        match case.dialect {
            Dialect::V4 if !report.has_note("WXC101", &wix0176_note(TABLE, action, other)) => out
                .push(format!(
                    "no WXC101 with the WIX0176 note naming '{action}' and '{other}'"
                )),
            Dialect::V3 if !report.has_code("WXC101") => {
                out.push(format!("no WXC101 for the 2-cycle {action}/{other}"))
            }
            _ => {}
        }
    }
    if !want.no_room.is_empty() && !report.has_code("WXC106") {
        out.push(format!(
            "no WXC106 although WiX reports 179 for {:?}",
            want.no_room
        ));
    }
    if !want.exit_relative.is_empty() && !report.has_code("WXC108") {
        out.push(format!(
            "no WXC108 although WiX reports 177 for {:?}",
            want.exit_relative
        ));
    }
    out
}

fn describe(row: &Row) -> String {
    match row {
        Row::Absent => "no row".to_string(),
        Row::Duplicated(k) => format!("{k} rows"),
        Row::Once(r) => format!("{:?}", r.sequence),
    }
}

/// How many generated cases exercised each feature of the model, so that a
/// generator change that stops producing (say) cycles does not go unnoticed.
#[derive(Debug, Default)]
struct Coverage {
    chains: usize,
    shared_anchor: usize,
    v4_cycles: usize,
    v3_two_cycles: usize,
    v3_silent_cycles: usize,
    no_room: usize,
    on_exit_relative: usize,
    tie_orders: usize,
    wix_fails: usize,
}

impl Coverage {
    fn add(&mut self, case: &Case, forest: &Forest, outcomes: &[Outcome]) {
        let want = &outcomes[0];
        let count = |flag: bool| usize::from(flag);
        self.chains += count(forest.nodes.iter().any(|n| {
            n.parent
                .as_ref()
                .is_some_and(|(t, _)| forest.nodes[forest.index[t]].parent.is_some())
        }));
        self.shared_anchor += count(
            forest
                .nodes
                .iter()
                .any(|n| n.before.len() + n.after.len() > 1),
        );
        self.v4_cycles += count(case.dialect == Dialect::V4 && want.cycle.is_some());
        self.v3_two_cycles += count(forest.v3_fatal);
        self.v3_silent_cycles += count(want.silent_cycle);
        self.no_room += count(!want.no_room.is_empty());
        self.on_exit_relative += count(!want.exit_relative.is_empty());
        self.tie_orders += count(outcomes.len() > 1);
        self.wix_fails += count(want.wix_fails());
    }
}

/// Runs one case; `Err` is a printable failure report.
fn check_case(
    dir: &std::path::Path,
    seed: u64,
    case: &Case,
    (forest, outcomes): &(Forest, Vec<Outcome>),
) -> Result<(), String> {
    let path = dir.join(format!("case-{seed:016x}.wxs"));
    let wxs = case.to_wxs();
    std::fs::write(&path, &wxs).expect("write case");
    let mut args = vec![
        "order".to_string(),
        "--format".into(),
        "json".into(),
        path.display().to_string(),
    ];
    if case.dialect == Dialect::V4 {
        args.extend(["--wix".to_string(), "6".to_string()]);
    }
    let run = run_wixcheck(&args);
    let _ = std::fs::remove_file(&path);
    let problems = match (run.crash(), run.report()) {
        (Some(crash), _) => vec![crash],
        (None, Err(e)) => vec![e],
        (None, Ok(report)) => {
            let all: Vec<Vec<String>> = outcomes
                .iter()
                .map(|o| mismatches(case, forest, o, run.code, &report))
                .collect();
            if all.iter().any(Vec::is_empty) {
                return Ok(());
            }
            let mut problems = all.into_iter().min_by_key(Vec::len).unwrap_or_default();
            problems.push(format!(
                "wixcheck table: {}",
                table_text(report.rows(TABLE).iter().map(|r| (&r.action, r.sequence)))
            ));
            problems.push(format!("diagnostics: {}", report.diagnostic_summary()));
            problems
        }
    };
    let want = &outcomes[0];
    Err(format!(
        "seed {seed:#018x} ({:?}):\n{wxs}  model:    {}\n  model diagnostics: cycle {:?}, silent v3 cycle {}, no room {:?}, relative to OnExit {:?}\n  - {}",
        case.dialect,
        table_text(want.numbers.iter().map(|(a, n)| (a, n.map(i64::from)))),
        want.cycle,
        want.silent_cycle,
        want.no_room,
        want.exit_relative,
        problems.join("\n  - ")
    ))
}

/// `Name=N` pairs sorted by number, unnumbered last.
fn table_text<'a>(rows: impl Iterator<Item = (&'a String, Option<i64>)>) -> String {
    let mut rows: Vec<(&String, Option<i64>)> = rows.collect();
    rows.sort_by_key(|(a, n)| (n.unwrap_or(i64::MAX), a.to_string()));
    rows.iter()
        .map(|(a, n)| format!("{a}={}", n.map_or("-".to_string(), |n| n.to_string())))
        .collect::<Vec<_>>()
        .join(" ")
}

fn env_u64(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => {
            let v = v.trim();
            let parsed = match v.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => v.parse(),
            };
            parsed.unwrap_or_else(|_| panic!("{name} must be a number, got {v:?}"))
        }
        Err(_) => default,
    }
}

#[test]
fn wixcheck_numbers_like_the_reference_model() {
    let base_seed = env_u64("WIXCHECK_MODEL_SEED", 0x5EED_2024_0000_0001);
    let cases = env_u64("WIXCHECK_MODEL_CASES", 3000);
    eprintln!("reference model: {cases} cases, WIXCHECK_MODEL_SEED={base_seed:#x}");
    let dir = TempDir::new("model");
    let failures = Mutex::new(Vec::new());
    let coverage = Mutex::new(Coverage::default());
    let threads = std::thread::available_parallelism()
        .map_or(4, |n| n.get())
        .min(16) as u64;
    std::thread::scope(|scope| {
        for t in 0..threads {
            let (dir, failures, coverage) = (&dir, &failures, &coverage);
            scope.spawn(move || {
                for i in (t..cases).step_by(threads as usize) {
                    let seed = base_seed ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
                    let mut rng = Rng::new(seed);
                    let dialect = if i % 2 == 0 { Dialect::V3 } else { Dialect::V4 };
                    let case = generate(&mut rng, dialect);
                    let expected = model(&case);
                    coverage
                        .lock()
                        .expect("lock")
                        .add(&case, &expected.0, &expected.1);
                    if let Err(report) = check_case(dir.path(), seed, &case, &expected) {
                        failures.lock().expect("lock").push((i, report));
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().expect("lock");
    failures.sort_by_key(|(i, _)| *i);
    let shown: Vec<&str> = failures.iter().take(8).map(|(_, r)| r.as_str()).collect();
    eprintln!(
        "reference model: {}/{cases} cases agree; cases with {:?}",
        cases - failures.len() as u64,
        coverage.into_inner().expect("lock")
    );
    assert!(
        failures.is_empty(),
        "{} of {cases} cases disagree with the model; first ones:\n\n{}",
        failures.len(),
        shown.join("\n\n")
    );
}

// ---------------------------------------------------------------------------
// The model itself, against the worked examples of wix-sequencing.md §2.5 and
// WiX's cycle tests (no binary involved).

fn case(dialect: Dialect, actions: &[(&str, &str)]) -> Case {
    let parse = |s: &str| match s.split_once(' ') {
        Some(("After", t)) => Schedule::After(t.to_string()),
        Some(("Before", t)) => Schedule::Before(t.to_string()),
        Some(("Sequence", n)) => Schedule::Sequence(n.parse().expect("number")),
        _ => panic!("bad schedule {s}"),
    };
    Case {
        dialect,
        actions: actions
            .iter()
            .map(|(n, s)| (n.to_string(), parse(s)))
            .collect(),
    }
}

fn single_outcome(case: &Case) -> Outcome {
    let (_, mut outcomes) = model(case);
    assert_eq!(outcomes.len(), 1);
    outcomes.remove(0)
}

fn numbers_of(outcome: &Outcome, names: &[&str]) -> Vec<Option<i32>> {
    names.iter().map(|n| outcome.numbers[*n]).collect()
}

#[test]
fn model_list_order_differs_between_v3_and_v4() {
    let actions = [
        ("Z", "After InstallFiles"),
        ("A", "After InstallFiles"),
        ("C", "After Z"),
        ("B", "Before Z"),
    ];
    let v4 = single_outcome(&case(Dialect::V4, &actions));
    assert_eq!(
        numbers_of(&v4, &["B", "Z", "C", "A", "InstallFiles"]),
        [4001, 4002, 4003, 4004, 4000].map(Some)
    );
    let v3 = single_outcome(&case(Dialect::V3, &actions));
    assert_eq!(
        numbers_of(&v3, &["A", "B", "Z", "C"]),
        [4001, 4002, 4003, 4004].map(Some)
    );
}

#[test]
fn model_before_blocks_count_down() {
    let o = single_outcome(&case(
        Dialect::V4,
        &[
            ("P1", "Before InstallFinalize"),
            ("P2", "Before InstallFinalize"),
            ("P0", "Before P1"),
        ],
    ));
    assert_eq!(
        numbers_of(&o, &["P0", "P1", "P2"]),
        [6597, 6598, 6599].map(Some)
    );
    assert!(!o.wix_fails());
}

#[test]
fn model_runs_out_of_room() {
    let o = single_outcome(&case(
        Dialect::V4,
        &[
            ("X", "Sequence 100"),
            ("Y", "Sequence 102"),
            ("A", "After X"),
            ("B", "After X"),
            ("C", "After X"),
        ],
    ));
    assert_eq!(numbers_of(&o, &["A", "B", "C"]), [101, 101, 101].map(Some));
    assert_eq!(o.no_room, ["B", "C"]);
    let o = single_outcome(&case(
        Dialect::V4,
        &[("X", "Sequence 2"), ("A", "Before X"), ("B", "Before X")],
    ));
    assert_eq!(numbers_of(&o, &["B", "A"]), [Some(1), Some(1)]);
    assert_eq!(o.no_room, ["A"]);
}

#[test]
fn model_reports_wix_cycle_pairs() {
    let cycle = [
        ("Action1", "After Action2"),
        ("Action2", "After Action3"),
        ("Action3", "After Action1"),
    ];
    let o = single_outcome(&case(Dialect::V4, &cycle));
    assert_eq!(
        o.cycle,
        Some(("Action1".to_string(), "Action3".to_string()))
    );
    assert_eq!(
        numbers_of(&o, &["Action1", "Action2", "Action3"]),
        [None, None, None]
    );
    let tail = [
        ("Action1", "After Action2"),
        ("Action2", "After Action3"),
        ("Action3", "After Action4"),
        ("Action4", "After Action2"),
    ];
    let o = single_outcome(&case(Dialect::V4, &tail));
    assert_eq!(
        o.cycle,
        Some(("Action2".to_string(), "Action4".to_string()))
    );
    // v3 only sees two-action cycles; longer ones silently vanish from the table.
    let o = single_outcome(&case(Dialect::V3, &cycle));
    assert!(o.cycle.is_none() && o.silent_cycle && !o.wix_fails());
    let o = single_outcome(&case(
        Dialect::V3,
        &[
            ("A", "After B"),
            ("B", "Before A"),
            ("C", "After InstallFiles"),
        ],
    ));
    assert!(o.cycle.is_some() && o.wix_fails());
}

#[test]
fn model_considers_every_order_of_equal_numbers() {
    // Two actions at 1400 (one is InstallValidate); the block Before the one sorted
    // second never meets previousUsed, the one sorted first does.
    let (_, outcomes) = model(&case(
        Dialect::V4,
        &[
            ("X", "Sequence 1400"),
            ("Y", "Sequence 1399"),
            ("A", "Before InstallValidate"),
        ],
    ));
    assert_eq!(outcomes.len(), 2);
    let numbers: Vec<Option<i32>> = outcomes.iter().map(|o| o.numbers["A"]).collect();
    assert!(
        numbers.contains(&Some(1399)) && numbers.contains(&Some(1400)),
        "{numbers:?}"
    );
}

#[test]
fn generated_cases_are_valid_wix() {
    let mut rng = Rng::new(7);
    for i in 0..500 {
        let case = generate(&mut rng, if i % 2 == 0 { Dialect::V3 } else { Dialect::V4 });
        for (name, schedule) in &case.actions {
            if let Some((target, _)) = schedule.parent() {
                assert_ne!(target, name, "self reference is a compile error");
                assert!(
                    standard_number(target).is_some()
                        || case.actions.iter().any(|(n, _)| n == target),
                    "unresolved {target}"
                );
            }
        }
        let _ = model(&case);
    }
}
