//! Linking: which sections of the link unit end up in the output, and in what order.
//!
//! Like WiX's `ResolveReferencesCommand`, the walk starts at the entry section
//! (Package/Product/Module) and follows references depth-first, taking each section the first
//! time a reference reaches it; the order sections are first reached is the link order that
//! decides v4+ sibling order. Without an entry section (a library of fragments) every section
//! counts, in command-line and document order.

use super::symbols::{self, Targets};
use crate::model::{SectionKind, WixModel};

/// What the link unit builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    Package,
    Module,
    /// No Package/Product/Module: a library of fragments.
    Library,
}

/// The result of linking: sections in link order, and the ones left out.
#[derive(Debug)]
pub struct Linked {
    pub output: Output,
    /// Index of the entry section in `model.sections`.
    pub entry: Option<usize>,
    /// Further entry sections (a link unit may have only one).
    pub extra_entries: Vec<usize>,
    /// Linked sections, entry first, in link order.
    pub sections: Vec<usize>,
    /// Fragments that nothing links.
    pub unlinked: Vec<usize>,
}

/// Links `model` starting from its first entry section, finding what references name on up
/// to `jobs` threads.
pub fn link(model: &WixModel, jobs: usize) -> Linked {
    let entries: Vec<usize> = model
        .sections
        .iter()
        .enumerate()
        .filter(|(_, section)| matches!(section.kind, SectionKind::Package | SectionKind::Module))
        .map(|(index, _)| index)
        .collect();
    let Some(&entry) = entries.first() else {
        return Linked {
            output: Output::Library,
            entry: None,
            extra_entries: Vec::new(),
            sections: (0..model.sections.len()).collect(),
            unlinked: Vec::new(),
        };
    };
    let output = match model.sections[entry].kind {
        SectionKind::Module => Output::Module,
        _ => Output::Package,
    };
    let mut linked = vec![false; model.sections.len()];
    let mut order = vec![entry];
    linked[entry] = true;
    // A lone section has nothing to link.
    if model.sections.len() > 1 {
        walk(entry, &symbols::find(model, jobs), &mut linked, &mut order);
    }
    let unlinked = (0..model.sections.len())
        .filter(|&index| !linked[index] && model.sections[index].kind == SectionKind::Fragment)
        .collect();
    Linked {
        output,
        entry: Some(entry),
        extra_entries: entries[1..].to_vec(),
        sections: order,
        unlinked,
    }
}

/// Takes the sections reachable from `entry`, depth-first, in the order first reached.
fn walk(entry: usize, targets: &Targets, linked: &mut [bool], order: &mut Vec<usize>) {
    // An explicit stack of (section, next reference).
    let mut stack = vec![(entry, 0usize)];
    while let Some((section, next)) = stack.last_mut() {
        let Some(target) = targets.of(*section).get(*next) else {
            stack.pop();
            continue;
        };
        *next += 1;
        if let Some(target) = *target {
            if !linked[target] {
                linked[target] = true;
                order.push(target);
                stack.push((target, 0));
            }
        }
    }
}
