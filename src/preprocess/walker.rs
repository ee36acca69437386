//! The walk itself: an explicit stack of sibling lists, so that neither element nesting nor
//! includes nor foreach loops use the call stack.
//!
//! Each [`Frame`] walks a range of one node list (an element's children, or a document's top
//! level) and owns the `<?if?>` stack opened among those siblings; when it runs out it
//! closes what it stood for: an element (`end_element`), an included file, or one iteration
//! of a `<?foreach?>` (which rewinds the frame for the next value). Elements, text and
//! comments are delivered here, and every value `$(…)` changed is recorded in the [`Trace`];
//! processing instructions go to `directives.rs`.

use super::include;
use super::trace::{self, Define, FileDefines, Trace};
use super::variables::{self, Origin, Problem, ProblemKind, Variables};
use super::{AttributeView, ElementView, Includes, Settings, Visitor, Walked};
use super::{PREPROCESSOR_ERROR, UNDEFINED_VARIABLE};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{FileId, Span};
use crate::xml::{self, Attribute, Document, Element, NodeId, NodeRef, Text, XmlError};
use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::{BTreeSet, HashMap};
use std::ops::{Deref, Range};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// A streamed walk: the parser's nodes go straight to the visitor.
struct Streamed<'s, 'w> {
    walker: &'s mut Walker<'w>,
    visitor: &'s mut dyn Visitor,
}

impl xml::Handler for Streamed<'_, '_> {
    fn node(&mut self, node: NodeRef<'_>) {
        let source = self.walker.main_text;
        let walker = &mut *self.walker;
        match node {
            _ if walker.deferred => {}
            NodeRef::Element(element) => walker.deliver_element(element, source, self.visitor),
            NodeRef::Text(text) => walker.deliver_text(&text, source, self.visitor),
            NodeRef::Comment(text, span) => self.visitor.comment(text, span),
            NodeRef::Instruction(_) => walker.deferred = true,
        }
    }

    fn end_element(&mut self, span: Span) {
        if !self.walker.deferred {
            self.visitor.end_element(span);
        }
    }
}

/// Which node list a frame walks.
#[derive(Clone, Copy, Debug)]
pub(super) enum List {
    TopLevel,
    Children(NodeId),
}

/// One open `<?if?>`/`<?ifdef?>`/`<?ifndef?>`.
#[derive(Clone, Debug)]
pub(super) struct Condition {
    /// The opening instruction.
    pub span: Span,
    /// Whether the siblings around the `<?if?>` are being read at all.
    pub parent_active: bool,
    /// Whether some branch has been chosen already.
    pub taken: bool,
    /// Whether the current branch is the chosen one.
    pub active: bool,
    pub seen_else: bool,
}

/// What finishing a frame means.
pub(super) enum Exit {
    /// Nothing: the top level of the main file, or an included file's `<Include>` root.
    Nothing,
    /// The end of the element with this span.
    EndElement(Span),
    /// Leave the included file this frame walks the top level of.
    EndInclude,
    Foreach(Foreach),
}

/// A `<?foreach?>` being repeated: the frame's range is its body.
pub(super) struct Foreach {
    /// `None` when the directive was malformed (the body is then read once).
    pub variable: Option<String>,
    pub values: Vec<String>,
    pub index: usize,
    pub start: usize,
    pub span: Span,
}

pub(super) struct Frame {
    /// 0 for the main document, `n` for `loaded[n - 1]`.
    pub doc: usize,
    pub list: List,
    pub next: usize,
    pub end: usize,
    pub conditions: Vec<Condition>,
    pub exit: Exit,
}

impl Frame {
    /// A frame walking the nodes at `positions` of a list.
    pub fn new(doc: usize, list: List, positions: Range<usize>, exit: Exit) -> Frame {
        Frame {
            doc,
            list,
            next: positions.start,
            end: positions.end,
            conditions: Vec::new(),
            exit,
        }
    }

    pub fn is_active(&self) -> bool {
        self.conditions.last().is_none_or(|c| c.active)
    }
}

/// A file being read: the main one, then each include.
pub(super) struct OpenFile {
    /// The path as stored in the [`SourceDb`].
    pub path: PathBuf,
    /// What cycle detection compares; see [`OpenFile::identity`].
    pub identity: OnceCell<PathBuf>,
    /// The absolute path, for `sys.SOURCEFILEPATH`; see [`OpenFile::absolute`].
    pub absolute: OnceCell<String>,
    /// [`Variables::digest`] when the file was entered: entering it again with the same
    /// variables would repeat the same walk forever, with others it is a guarded include.
    pub entered_with: u64,
}

impl OpenFile {
    /// Its canonical path (see [`include::identity`]); for the main file, found only when an
    /// include is compared with it, since most files include nothing.
    pub fn identity(&self) -> &PathBuf {
        self.identity.get_or_init(|| include::identity(&self.path))
    }

    /// Its absolute path, found when `sys.SOURCEFILEPATH` or `sys.SOURCEFILEDIR` is first
    /// read (it asks the system for the current directory).
    pub fn absolute(&self) -> &str {
        self.absolute
            .get_or_init(|| include::absolute(&self.path).display().to_string())
    }
}

/// A document being walked: the caller's, or one this walk parsed.
pub(super) enum Handle<'w> {
    Main(&'w Document),
    Loaded(Rc<Document>),
}

impl Deref for Handle<'_> {
    type Target = Document;

    fn deref(&self) -> &Document {
        match self {
            Handle::Main(document) => document,
            Handle::Loaded(document) => document,
        }
    }
}

/// The positions of a node list's nodes in its document (see [`Document::after`]).
pub(super) fn positions(document: &Document, list: List) -> Range<usize> {
    match list {
        List::TopLevel => document.top_level(),
        List::Children(id) => document.children_of(id),
    }
}

/// How many node visits one walk may make beyond visiting each node of each file once.
/// Nested loops multiply (five loops of 100 values repeat a body 10^10 times), and so do
/// files included many times, so past this the walk stops rather than run for hours; a large
/// file read once never reaches it. (Unit tests use a smaller budget to stay fast;
/// `tests/hostile.rs` runs the binary against the real one.)
const MAX_REPEATED_VISITS: usize = if cfg!(test) { 100_000 } else { 1_000_000 };

pub(crate) struct Walker<'w> {
    pub includes: Includes<'w>,
    /// Whether the walk stopped at an `<?include?>` it could not follow.
    pub deferred: bool,
    pub settings: &'w Settings,
    diagnostics: &'w mut Vec<Diagnostic>,
    pub trace: &'w mut Trace,
    pub variables: Variables,
    main_file: FileId,
    main_text: &'w str,
    /// The main document's tree, when it is walked as one ([`Walker::run`]).
    main: Option<&'w Document>,
    /// Included documents parsed by this walk.
    pub loaded: Vec<Rc<Document>>,
    /// How many nodes they have together.
    pub loaded_nodes: usize,
    /// Parse results by file: the `loaded` index plus one, or `None` if it did not parse.
    pub parsed: HashMap<FileId, Option<usize>>,
    pub files: Vec<OpenFile>,
    /// The `<?include?>` instructions being read, innermost first.
    pub included_from: Vec<Span>,
    /// The allocation of the last element's attribute list, to reuse for the next one.
    spare_attributes: Vec<AttributeView<'static>>,
}

impl<'w> Walker<'w> {
    pub fn new(
        path: &Path,
        includes: Includes<'w>,
        (main_file, main_text): (FileId, &'w str),
        settings: &'w Settings,
        diagnostics: &'w mut Vec<Diagnostic>,
        trace: &'w mut Trace,
    ) -> Self {
        let mut variables = Variables::default();
        for (name, value) in &settings.defines {
            let name = name.strip_prefix("var.").unwrap_or(name);
            variables.define(name, value.clone(), Origin::CommandLine);
        }
        variables.system.arch = settings.arch.to_ascii_lowercase();
        variables.system.wix_major = settings.wix_major.unwrap_or(6);
        let path = path.to_path_buf();
        let files = vec![OpenFile {
            entered_with: variables.digest(),
            identity: OnceCell::new(),
            absolute: OnceCell::new(),
            path,
        }];
        trace.read_through(main_file, &[]);
        Walker {
            includes,
            deferred: false,
            settings,
            diagnostics,
            trace,
            variables,
            main_file,
            main_text,
            main: None,
            loaded: Vec::new(),
            loaded_nodes: 0,
            parsed: HashMap::new(),
            files,
            included_from: Vec::new(),
            spare_attributes: Vec::new(),
        }
    }

    /// The document a frame walks (`None` only for a streamed walk, which has no frames).
    pub fn handle(&self, doc: usize) -> Option<Handle<'w>> {
        match doc.checked_sub(1).and_then(|index| self.loaded.get(index)) {
            Some(document) => Some(Handle::Loaded(Rc::clone(document))),
            None => self.main.map(Handle::Main),
        }
    }

    /// Walks the main document's tree.
    pub fn run(mut self, main: &'w Document, visitor: &mut dyn Visitor) -> Walked {
        self.main = Some(main);
        let top_level = positions(main, List::TopLevel);
        let mut stack = vec![Frame::new(0, List::TopLevel, top_level, Exit::Nothing)];
        let mut visited = 0usize;
        let budget = main.top_level().len() + MAX_REPEATED_VISITS;
        while let Some(frame) = stack.last_mut() {
            let Some(doc) = self.handle(frame.doc) else {
                break;
            };
            let Some(id) = doc.at(frame.next).filter(|_| frame.next < frame.end) else {
                self.finish(&mut stack, visitor);
                continue;
            };
            visited += 1;
            if visited > budget + self.loaded_nodes {
                self.stop(&mut stack, budget + self.loaded_nodes);
                continue;
            }
            let index = frame.next;
            frame.next = doc.after(id);
            let active = frame.is_active();
            // WiX copies only elements, instructions and whitespace out of a loop body.
            let loop_body = matches!(frame.exit, Exit::Foreach(_));
            let (doc_index, list) = (frame.doc, frame.list);
            match doc.node(id) {
                NodeRef::Instruction(pi) => self.instruction(&mut stack, &pi, index),
                _ if !active => {}
                NodeRef::Element(element) => {
                    if doc_index != 0 && matches!(list, List::TopLevel) {
                        self.include_root(element);
                        let children = List::Children(element.id());
                        let range = positions(&doc, children);
                        stack.push(Frame::new(doc_index, children, range, Exit::Nothing));
                        continue;
                    }
                    self.deliver_element(element, doc.text(), visitor);
                    let children = List::Children(element.id());
                    let range = positions(&doc, children);
                    let exit = Exit::EndElement(element.span());
                    stack.push(Frame::new(doc_index, children, range, exit));
                }
                NodeRef::Text(_) if loop_body => {}
                NodeRef::Text(text) => self.deliver_text(&text, doc.text(), visitor),
                NodeRef::Comment(text, span) => visitor.comment(text, span),
            }
        }
        self.end()
    }

    /// Walks the main document as it is read, without a tree: the stream stops at the first
    /// instruction (so directive), which makes the walk [`Walked::Deferred`]; without one
    /// the walk is the document in order.
    pub fn stream(
        mut self,
        reading: xml::Reading,
        visitor: &mut dyn Visitor,
    ) -> Result<Walked, XmlError> {
        let (file, text) = (self.main_file, self.main_text);
        let mut reader = Streamed {
            walker: &mut self,
            visitor,
        };
        match xml::stream(file, text, reading, &mut reader)? {
            xml::Streamed::Whole => Ok(self.end()),
            xml::Streamed::NeedsTree => Ok(Walked::Deferred),
        }
    }

    /// Hands an element to the visitor; `source` is the text of its file.
    fn deliver_element(&mut self, element: Element<'_>, source: &str, visitor: &mut dyn Visitor) {
        let mut attributes = reuse(std::mem::take(&mut self.spare_attributes));
        self.attributes(element, &mut attributes);
        let view = ElementView {
            element,
            attributes,
            included_from: &self.included_from,
            source,
        };
        visitor.start_element(&view);
        self.spare_attributes = reuse(view.attributes);
    }

    /// Hands a text run to the visitor, after substitution.
    fn deliver_text(&mut self, text: &Text<'_>, source: &str, visitor: &mut dyn Visitor) {
        let value = self.substitute_mapped(&text.value, text.content_span);
        if value != text.value {
            self.trace.expanded(text.span, &text.value, &value);
        }
        let raw = source.get(text.span.start as usize..text.span.end as usize);
        visitor.text(&value, raw.unwrap_or_default(), text.span);
    }

    /// Records the variables in force at the end and says how the walk ended.
    fn end(self) -> Walked {
        let defines = self
            .variables
            .sorted()
            .into_iter()
            .map(|(name, definition)| Define {
                name: name.to_string(),
                value: definition.value.clone(),
                origin: definition.origin,
            })
            .collect();
        self.trace.ended(FileDefines {
            file: self.main_file,
            defines,
        });
        match self.deferred {
            true => Walked::Deferred,
            false => Walked::Complete,
        }
    }

    /// Ends a runaway walk: reports it at the innermost `<?foreach?>` (whose repetitions are
    /// the only way to get there) and lets every open frame finish without repeating.
    fn stop(&mut self, stack: &mut [Frame], budget: usize) {
        self.report_runaway(stack, budget);
        Self::abandon(stack);
    }

    /// Stops the walk where it is: every open frame finishes without reading on or repeating.
    pub fn abandon(stack: &mut [Frame]) {
        for frame in stack {
            frame.next = usize::MAX;
            if let Exit::Foreach(foreach) = &mut frame.exit {
                foreach.index = foreach.values.len();
            }
        }
    }

    fn report_runaway(&mut self, stack: &[Frame], budget: usize) {
        let innermost = stack.iter().rev().find_map(|frame| match &frame.exit {
            Exit::Foreach(foreach) => Some(foreach.span),
            _ => None,
        });
        let span = innermost.unwrap_or_else(|| {
            let root = self
                .main
                .and_then(Document::root)
                .map(|root| root.name_span());
            root.unwrap_or_else(|| Span::new(self.main_file, 0, 0))
        });
        let diagnostic = Diagnostic::new(
            PREPROCESSOR_ERROR,
            Severity::Error,
            span,
            format!("the preprocessed document has more than {budget} nodes; the rest is not read"),
        )
        .with_help("nested `<?foreach?>` loops multiply: check their value lists");
        self.report(diagnostic);
    }

    /// Closes the innermost frame (or starts its next `<?foreach?>` iteration).
    fn finish(&mut self, stack: &mut Vec<Frame>, visitor: &mut dyn Visitor) {
        let Some(frame) = stack.last_mut() else {
            return;
        };
        for condition in std::mem::take(&mut frame.conditions) {
            let diagnostic = Diagnostic::new(
                PREPROCESSOR_ERROR,
                Severity::Error,
                condition.span,
                "this `<?if?>` is not closed by an `<?endif?>` among the same sibling nodes",
            )
            .with_help("add `<?endif?>` before the end of the enclosing element (or file)");
            self.report(diagnostic);
        }
        if let Exit::Foreach(foreach) = &mut frame.exit {
            if foreach.index + 1 < foreach.values.len() {
                foreach.index += 1;
                frame.next = foreach.start;
                if let (Some(name), Some(value)) =
                    (&foreach.variable, foreach.values.get(foreach.index))
                {
                    self.variables
                        .define(name, value.clone(), Origin::Foreach(foreach.span));
                }
                return;
            }
        }
        let Some(frame) = stack.pop() else {
            return;
        };
        match frame.exit {
            Exit::EndElement(span) => visitor.end_element(span),
            Exit::EndInclude => {
                if !self.included_from.is_empty() {
                    self.included_from.remove(0);
                }
                self.files.pop();
            }
            Exit::Nothing | Exit::Foreach(_) => {}
        }
    }

    /// An included file's root: its children are spliced in; it should be `<Include>`.
    fn include_root(&mut self, element: Element<'_>) {
        if element.name() == "Include" {
            return;
        }
        let name = element.name().to_string();
        let diagnostic = Diagnostic::new(
            super::INCLUDE_ERROR,
            Severity::Error,
            element.name_span(),
            format!("the root element of an included file must be `<Include>`, not `<{name}>`"),
        )
        .with_help("wrap the included content in `<Include>` … `</Include>`");
        self.report(diagnostic);
    }

    /// Adds `element`'s attributes to `views`, with their values as the visitor sees them.
    fn attributes<'d>(&mut self, element: Element<'d>, views: &mut Vec<AttributeView<'d>>) {
        // Most tags have neither references nor `$`: their values are the text as written.
        let plain = memchr::memchr2(b'&', b'$', element.start_tag().as_bytes()).is_none();
        views.extend(element.attributes().map(|attribute| {
            let value = match plain {
                true => Cow::Borrowed(attribute.raw_value()),
                false => self.substituted(&attribute),
            };
            AttributeView {
                attribute,
                value,
                name_span: attribute.name_span(),
                value_span: attribute.value_span(),
            }
        }));
    }

    /// An attribute's value after unescaping and `$(…)` substitution; what substitution
    /// changed is recorded in the trace.
    fn substituted<'d>(&mut self, attribute: &Attribute<'d>) -> Cow<'d, str> {
        let value_span = attribute.value_span();
        let unescaped = attribute.value();
        let changed = match self.substitute_mapped(&unescaped, value_span) {
            Cow::Owned(value) if value != *unescaped => Some(value),
            _ => None,
        };
        match changed {
            Some(value) => {
                self.trace.expanded(value_span, &unescaped, &value);
                Cow::Owned(value)
            }
            None => unescaped,
        }
    }

    /// Substitutes a value that was unescaped from the raw text at `raw_span`: problems are
    /// placed by finding the same reference in the raw text.
    fn substitute_mapped<'t>(&mut self, value: &'t str, raw_span: Span) -> Cow<'t, str> {
        if !value.contains('$') {
            return Cow::Borrowed(value);
        }
        let mut problems = Vec::new();
        let file = || self.current_file();
        let out = variables::substitute(value, &self.variables, &file, &mut problems);
        if !problems.is_empty() {
            let raw = self.text_at(raw_span).to_string();
            self.report_problems(&problems, |range| {
                locate_in_raw(value, range, &raw, raw_span)
            });
        }
        out
    }

    /// Substitutes text written verbatim at `start` (instruction data): offsets map directly.
    pub fn substitute_at(&mut self, text: &str, start: Span) -> String {
        let mut problems = Vec::new();
        let file = || self.current_file();
        let out = variables::substitute(text, &self.variables, &file, &mut problems).into_owned();
        self.report_problems(&problems, |range| shifted(start, range));
        out
    }

    /// The text at `span`, in the main document or one this walk included.
    fn text_at(&self, span: Span) -> &str {
        let mut loaded = self.loaded.iter();
        let text = match span.file == self.main_file {
            true => self.main_text,
            false => loaded
                .find(|document| document.file() == span.file)
                .map_or("", |document| document.text()),
        };
        text.get(span.start as usize..span.end as usize)
            .unwrap_or_default()
    }

    pub fn current_file(&self) -> String {
        self.files
            .last()
            .map(|file| file.absolute().to_owned())
            .unwrap_or_default()
    }

    pub fn report_problems(&mut self, problems: &[Problem], locate: impl Fn(Range<usize>) -> Span) {
        for problem in problems {
            let span = locate(problem.range.clone());
            let diagnostic = match &problem.kind {
                ProblemKind::Undefined { name } => undefined(name, span),
                ProblemKind::Unterminated => Diagnostic::new(
                    PREPROCESSOR_ERROR,
                    Severity::Error,
                    span,
                    "this `$(` is not closed by `)`",
                )
                .with_help("close the reference with `)`, or write `$$` for a literal `$`"),
                ProblemKind::Malformed => Diagnostic::new(
                    PREPROCESSOR_ERROR,
                    Severity::Error,
                    span,
                    "this preprocessor variable reference has no name",
                )
                .with_help("write `$(var.Name)`, `$(env.NAME)` or `$(sys.NAME)`"),
                ProblemKind::ExpansionLimit => Diagnostic::new(
                    PREPROCESSOR_ERROR,
                    Severity::Error,
                    span,
                    format!(
                        "preprocessor variables expand to more than {} MiB here; this and later references are left unexpanded",
                        variables::MAX_EXPANDED_BYTES / (1024 * 1024)
                    ),
                )
                .with_help("look for definitions that repeat other variables, which double in size with each `<?define?>`"),
            };
            self.report(diagnostic);
        }
    }

    /// How many diagnostics have been reported so far.
    pub fn reported(&self) -> usize {
        self.diagnostics.len()
    }

    /// Records a diagnostic; inside an included file it gets labels at the `<?include?>`
    /// chain that is being read.
    pub fn report(&mut self, mut diagnostic: Diagnostic) {
        let outside = |span: &Span| span.file != diagnostic.primary.file;
        if self.included_from.first().is_some_and(outside) {
            let mut seen: BTreeSet<Span> = diagnostic.labels.iter().map(|l| l.span).collect();
            trace::label_chain(&mut diagnostic, &self.included_from, &mut seen);
        }
        self.diagnostics.push(diagnostic);
    }
}

/// The diagnostic for `$(name)` that names nothing.
pub(super) fn undefined(name: &str, span: Span) -> Diagnostic {
    let help = match name.split_once('.') {
        Some(("env", variable)) => format!(
            "set the environment variable `{variable}` where wixcheck runs, or define a default with `<?ifndef?>`"
        ),
        Some(("sys", _)) => "`sys.` provides CURRENTDIR, SOURCEFILEDIR, SOURCEFILEPATH, BUILDARCH, BUILDARCHSHORT, PLATFORM, WIXMAJORVERSION and WIXVERSION".to_string(),
        Some(("var", variable)) => format!(
            "define it before this point with `<?define {variable} = value?>`, or pass `-d {variable}=value`"
        ),
        Some((prefix, _)) => format!(
            "`{prefix}.` is not a preprocessor prefix (use `var.`, `env.` or `sys.`); preprocessor extensions are not run"
        ),
        None => format!(
            "define it before this point with `<?define {name} = value?>`, or pass `-d {name}=value`"
        ),
    };
    Diagnostic::new(
        UNDEFINED_VARIABLE,
        Severity::Error,
        span,
        format!("undefined preprocessor variable `$({name})`"),
    )
    .with_help(help)
}

/// `range` of text that starts at `start`.
pub(super) fn shifted(start: Span, range: Range<usize>) -> Span {
    let base = start.start as usize;
    Span::new(start.file, base + range.start, base + range.end)
}

/// Where `value[range]` is written in `raw` (the text `value` was unescaped from): the same
/// occurrence of the same text, or all of `raw_span` when an escape hides it.
fn locate_in_raw(value: &str, range: Range<usize>, raw: &str, raw_span: Span) -> Span {
    let Some(needle) = value.get(range.clone()).filter(|n| !n.is_empty()) else {
        return raw_span;
    };
    let occurrence = value
        .match_indices(needle)
        .take_while(|(at, _)| *at <= range.start)
        .count();
    match raw.match_indices(needle).nth(occurrence.saturating_sub(1)) {
        Some((at, _)) if occurrence > 0 => {
            let start = raw_span.start as usize + at;
            Span::new(raw_span.file, start, start + needle.len())
        }
        _ => raw_span,
    }
}

/// An empty list in the allocation of `views`, whatever the lifetime of the views that were
/// in it: collecting an emptied `vec::IntoIter` through a map to a type of the same size
/// reuses its buffer, so elements after the first cost no allocation for their attributes.
fn reuse<'a>(mut views: Vec<AttributeView<'_>>) -> Vec<AttributeView<'a>> {
    views.clear();
    views.into_iter().map(|_| unreachable!()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reused_attribute_lists_keep_their_allocation() {
        let views: Vec<AttributeView<'_>> = Vec::with_capacity(8);
        let reused: Vec<AttributeView<'_>> = reuse(views);
        assert!(reused.is_empty());
        assert_eq!(reused.capacity(), 8);
    }
}
