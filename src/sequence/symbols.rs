//! Which section each reference names: the first section that defines its symbol, found on up
//! to `jobs` threads.
//!
//! A package of a few thousand fragments defines and references tens of thousands of symbols,
//! and hashing them is most of linking, so it is shared out. The sections are split into one
//! run per thread, and each thread hashes its run's references, sorting them into one shard
//! per thread by hash and noting the kinds they name; then its run's definitions of those
//! kinds, sorted the same way. Last each thread takes a shard, indexes its definitions in
//! section order (the first definer wins) and looks up its references. Only the walk over
//! the targets found is left to one thread. The targets do not depend on the number of
//! threads.

use crate::model::{Section, Symbol, WixModel};
use crate::threads::on_threads;
use rustc_hash::{FxBuildHasher, FxHashSet};
use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hash, Hasher};

/// Below this many symbols per thread, one thread does it all: starting another costs more.
const SYMBOLS_PER_THREAD: usize = 8192;

/// For every reference of every section, in order, the section defining what it names.
pub(super) struct Targets {
    /// Section `s`'s references are `targets[starts[s]..starts[s + 1]]`.
    starts: Vec<usize>,
    targets: Vec<Option<usize>>,
}

impl Targets {
    /// The target of each of `section`'s references, in order.
    pub fn of(&self, section: usize) -> &[Option<usize>] {
        &self.targets[self.starts[section]..self.starts[section + 1]]
    }
}

/// Finds the targets of every reference in `model`, on up to `jobs` threads.
///
/// Only kinds some section references can be targets: a package's thousands of Component
/// and File definitions are skipped unless something references those kinds.
pub(super) fn find(model: &WixModel, jobs: usize) -> Targets {
    let symbols: usize = model.sections.iter().map(symbols).sum();
    find_on(model, jobs.clamp(1, (symbols / SYMBOLS_PER_THREAD).max(1)))
}

/// How many symbols a section defines and references.
fn symbols(section: &Section) -> usize {
    section.definitions.len() + section.references.len()
}

/// [`find`] on `threads` threads.
fn find_on(model: &WixModel, threads: usize) -> Targets {
    let sections = &model.sections;
    let mut starts = Vec::with_capacity(sections.len() + 1);
    starts.push(0);
    for section in sections {
        starts.push(starts[starts.len() - 1] + section.references.len());
    }
    let runs = runs(sections, threads);
    let references = on_threads(threads, |run| References::sort(runs[run], &starts, threads));
    let referenced: FxHashSet<&str> = references
        .iter()
        .flat_map(|run| run.kinds.iter().copied())
        .collect();
    let definitions = on_threads(threads, |run| {
        sort_definitions(runs[run], &referenced, threads)
    });
    let found = on_threads(threads, |shard| {
        resolve_shard(&definitions, &references, shard)
    });
    let mut targets = vec![None; starts[sections.len()]];
    for (reference, target) in found.into_iter().flatten() {
        targets[reference] = Some(target);
    }
    Targets { starts, targets }
}

/// A run of sections, with the index of its first.
type Run<'m> = (usize, &'m [Section]);

/// Splits the sections into `count` runs of about as many symbols each, with the index of
/// each run's first section.
fn runs(sections: &[Section], count: usize) -> Vec<Run<'_>> {
    let weight = |section: &Section| symbols(section) + 1;
    let total: usize = sections.iter().map(weight).sum();
    let mut runs = Vec::with_capacity(count);
    let (mut first, mut taken) = (0, 0);
    for (index, section) in sections.iter().enumerate() {
        taken += weight(section);
        let is_last = index + 1 == sections.len();
        // Run `r` ends once the runs so far hold `(r + 1) / count` of the total.
        if is_last || taken * count >= total * (runs.len() + 1) {
            runs.push((first, &sections[first..=index]));
            first = index + 1;
        }
    }
    runs.resize(count, (sections.len(), &[]));
    runs
}

/// A symbol with its hash, which its maps use as it is rather than hashing it again.
#[derive(Clone, Copy)]
struct Hashed<'m> {
    hash: u64,
    symbol: &'m Symbol,
}

impl<'m> Hashed<'m> {
    fn new(symbol: &'m Symbol) -> Self {
        Hashed {
            hash: FxBuildHasher.hash_one((&*symbol.kind, &*symbol.id)),
            symbol,
        }
    }

    /// Which of `shards` the symbol goes to: high bits, since the maps index by the low ones.
    fn shard(&self, shards: usize) -> usize {
        (self.hash >> 32) as usize % shards
    }
}

impl PartialEq for Hashed<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash && self.symbol == other.symbol
    }
}

impl Eq for Hashed<'_> {}

impl Hash for Hashed<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// A hasher for keys that carry their hash: it keeps the last `u64` written.
#[derive(Default)]
struct KeptHash(u64);

impl Hasher for KeptHash {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }

    fn write_u64(&mut self, hash: u64) {
        self.0 = hash;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The references of a run of sections, each with its position among all references,
/// sorted into shards, and the kinds they name.
struct References<'m> {
    shards: Vec<Vec<(Hashed<'m>, usize)>>,
    kinds: FxHashSet<&'m str>,
}

impl<'m> References<'m> {
    fn sort((first, sections): Run<'m>, starts: &[usize], shards: usize) -> Self {
        let mut sorted = References {
            shards: vec![Vec::new(); shards],
            kinds: FxHashSet::default(),
        };
        // References of one kind often come together: look a kind up when it changes.
        let mut previous = None;
        for (index, section) in (first..).zip(sections) {
            for (position, reference) in (starts[index]..).zip(&section.references) {
                let hashed = Hashed::new(&reference.symbol);
                sorted.shards[hashed.shard(shards)].push((hashed, position));
                let kind = &*reference.symbol.kind;
                if previous != Some(kind) {
                    sorted.kinds.insert(kind);
                    previous = Some(kind);
                }
            }
        }
        sorted
    }
}

/// The definitions of kinds in `referenced` of a run of sections, each with its section,
/// sorted into shards.
fn sort_definitions<'m>(
    (first, sections): Run<'m>,
    referenced: &FxHashSet<&str>,
    shards: usize,
) -> Vec<Vec<(Hashed<'m>, usize)>> {
    let mut sorted = vec![Vec::new(); shards];
    for (index, section) in (first..).zip(sections) {
        let definitions = section
            .definitions
            .iter()
            .filter(|symbol| referenced.contains(&*symbol.kind));
        for symbol in definitions {
            let hashed = Hashed::new(symbol);
            sorted[hashed.shard(shards)].push((hashed, index));
        }
    }
    sorted
}

/// Indexes one shard's definitions, all runs in order, and finds its references' targets
/// as `(reference position, section)`.
fn resolve_shard(
    definitions: &[Vec<Vec<(Hashed<'_>, usize)>>],
    references: &[References<'_>],
    shard: usize,
) -> Vec<(usize, usize)> {
    let count = definitions.iter().map(|run| run[shard].len()).sum();
    let mut definers: HashMap<Hashed<'_>, usize, BuildHasherDefault<KeptHash>> =
        HashMap::with_capacity_and_hasher(count, BuildHasherDefault::default());
    for &(symbol, section) in definitions.iter().flat_map(|run| &run[shard]) {
        definers.entry(symbol).or_insert(section);
    }
    references
        .iter()
        .flat_map(|run| &run.shards[shard])
        .filter_map(|(symbol, position)| Some((*position, *definers.get(symbol)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, Input, Settings};
    use std::collections::{BTreeMap, BTreeSet};

    /// A link unit of `fragments` files, each defining and referencing symbols of the
    /// others, some defined twice and some not at all.
    fn model(fragments: usize) -> WixModel {
        let mut inputs = Vec::new();
        for n in 0..fragments {
            let next = (n + 1) % fragments;
            let text = format!(
                r#"<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">
                <Fragment>
                  <ComponentGroup Id="G{n}"><ComponentRef Id="C{next}" /><ComponentRef Id="Gone{n}" /></ComponentGroup>
                  <Component Id="C{n}" Directory="D" /><Component Id="C{next}" Directory="D" />
                  <CustomAction Id="A{n}" Property="P" Value="v" />
                </Fragment>
                <Fragment>
                  <ComponentGroupRef Id="G{next}" /><CustomActionRef Id="A{next}" />
                  <InstallExecuteSequence><Custom Action="A{n}" After="A{next}" /></InstallExecuteSequence>
                </Fragment>
                </Wix>"#
            );
            let path = format!("f{n}.wxs").into();
            inputs.push(Input::with_bytes(path, Ok(text.into_bytes())));
        }
        analyze(inputs, &Settings::default()).model
    }

    /// The first section defining each referenced symbol, found the plain way.
    fn plain_targets(model: &WixModel) -> Vec<Option<usize>> {
        let references = model.sections.iter().flat_map(|s| &s.references);
        let kinds: BTreeSet<&str> = references.map(|r| &*r.symbol.kind).collect();
        let mut definers = BTreeMap::new();
        for (index, section) in model.sections.iter().enumerate() {
            for symbol in &section.definitions {
                if kinds.contains(&*symbol.kind) {
                    definers.entry(symbol).or_insert(index);
                }
            }
        }
        let references = model.sections.iter().flat_map(|s| &s.references);
        references
            .map(|r| definers.get(&r.symbol).copied())
            .collect()
    }

    #[test]
    fn targets_are_the_first_definers_on_any_number_of_threads() {
        let model = model(40);
        let plain = plain_targets(&model);
        assert!(plain.iter().any(Option::is_none) && plain.iter().any(Option::is_some));
        for threads in 1..=5 {
            let targets = find_on(&model, threads);
            let found: Vec<Option<usize>> = (0..model.sections.len())
                .flat_map(|section| targets.of(section).iter().copied())
                .collect();
            assert_eq!(found, plain, "{threads} threads");
        }
    }

    #[test]
    fn runs_cover_every_section_once_in_order() {
        let model = model(3);
        for count in 1..=9 {
            let runs = runs(&model.sections, count);
            assert_eq!(runs.len(), count);
            let mut next = 0;
            for (first, run) in runs {
                assert_eq!(first, next);
                next += run.len();
            }
            assert_eq!(next, model.sections.len());
        }
    }
}
