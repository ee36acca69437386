//! Linking: which sections of the link unit end up in the output, and in what order.
//!
//! Like WiX's `ResolveReferencesCommand`, the walk starts at the entry section
//! (Package/Product/Module) and follows references depth-first, taking each section the first
//! time a reference reaches it; the order sections are first reached is the link order that
//! decides v4+ sibling order. Without an entry section (a library of fragments) every section
//! counts, in command-line and document order.

use crate::model::{SectionKind, WixModel};
use rustc_hash::{FxHashMap, FxHashSet};

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

/// Links `model` starting from its first entry section.
pub fn link(model: &WixModel) -> Linked {
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
    let definers = definers(model);
    let mut linked = vec![false; model.sections.len()];
    let mut order = vec![entry];
    linked[entry] = true;
    // Depth-first over references, with an explicit stack of (section, next reference);
    // when no section defines anything referenced there is nothing to follow.
    let mut stack = if definers.is_empty() {
        Vec::new()
    } else {
        vec![(entry, 0usize)]
    };
    while let Some((section, next)) = stack.last_mut() {
        let references = &model.sections[*section].references;
        let Some(reference) = references.get(*next) else {
            stack.pop();
            continue;
        };
        *next += 1;
        let symbol = &reference.symbol;
        if let Some(&target) = definers.get(&(&*symbol.kind, &*symbol.id)) {
            if !linked[target] {
                linked[target] = true;
                order.push(target);
                stack.push((target, 0));
            }
        }
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

/// The section that defines each referenced kind of symbol (the first one, if several do).
///
/// Only kinds some section references can link anything: a package's thousands of
/// Component and File definitions are skipped unless something references those kinds.
fn definers(model: &WixModel) -> FxHashMap<(&str, &str), usize> {
    let mut definers = FxHashMap::default();
    // A lone section has nothing to link.
    if model.sections.len() < 2 {
        return definers;
    }
    let referenced: FxHashSet<&str> = model
        .sections
        .iter()
        .flat_map(|section| section.references.iter())
        .map(|reference| &*reference.symbol.kind)
        .collect();
    for (index, section) in model.sections.iter().enumerate() {
        let definitions = section
            .definitions
            .iter()
            .filter(|symbol| referenced.contains(&&*symbol.kind));
        for symbol in definitions {
            definers
                .entry((&*symbol.kind, &*symbol.id))
                .or_insert(index);
        }
    }
    definers
}
