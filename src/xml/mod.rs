//! XML with exact positions: the only module that talks to quick-xml.
//!
//! [`parse`] turns a file's text into a [`Document`]: a flat array of elements, text runs,
//! comments and processing instructions, where every element, attribute name, attribute value
//! and text run keeps its byte range in the original text. quick-xml finds the markup; tag
//! contents are scanned here (quick-xml gives no attribute positions) and checked, references
//! are checked here and unescaped when a value is read while spans keep pointing at the raw
//! text, and namespace prefixes are resolved to URIs. The tree is built with an explicit
//! stack, so nesting depth costs heap, not call stack; it costs about 32 bytes per node.
//!
//! A file with no processing instruction (so no preprocessor directive: most large,
//! generated files) needs no tree: [`stream`] hands the same nodes to a [`Handler`] as it
//! finds them, with the same checks, and keeps nothing but the open elements; with
//! [`Reading::Alongside`] the parser runs on a second thread (`alongside.rs`). What would
//! need a tree is screened for as the file is read (`screen.rs`).

mod alongside;
mod check;
pub(crate) mod escape;
mod scan;
mod screen;
mod tree;

pub use tree::{Attribute, Document, Element, Instruction, NodeId, NodeRef, Text};

use crate::source::{FileId, Span};
use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::HashMap;
use std::sync::Arc;
use tree::{offset, Node, NodeKind, NO_NAMESPACE};

/// Why a file is not well-formed XML, and where.
#[derive(Debug, Clone)]
pub struct XmlError {
    pub span: Span,
    pub message: String,
}

/// The prefix `xml:` is bound by definition.
const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";

/// Parses one file; the document shares `text`.
pub fn parse(file: FileId, text: Arc<String>) -> Result<Document, XmlError> {
    // The decoder removes the byte order mark; one still there is a second one, which
    // quick-xml would skip silently, shifting every position after it.
    if text.starts_with('\u{FEFF}') {
        return Err(XmlError {
            span: Span::new(file, 0, '\u{FEFF}'.len_utf8()),
            message: "the file starts with a second byte order mark (U+FEFF)".to_string(),
        });
    }
    let forbidden = first_forbidden_char(&text);
    let nodes = Vec::with_capacity(expected_nodes(&text));
    let parsed = Builder::new(file, &text, Output::Tree(nodes)).run();
    // Report whichever problem comes first in the file.
    match (forbidden, parsed) {
        (Some((at, _)), Err(err)) if err.span.start as usize <= at => Err(err),
        (Some((at, ch)), _) => Err(forbidden_char_error(file, at, ch)),
        (None, Err(err)) => Err(err),
        (None, Ok(parts)) => Ok(parts.into_document(file, &text)),
    }
}

/// Where [`stream`] runs the parser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    /// On the calling thread, in turn with the handler.
    InTurn,
    /// On a second thread, alongside the handler: for a large file when a core is spare.
    Alongside,
}

/// How a [`stream`] ended, when the file is well-formed as far as it was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Streamed {
    /// The handler was given the whole document.
    Whole,
    /// The file has a processing instruction after the XML declaration, a character XML
    /// forbids or a second byte order mark: it must be [`parse`]d into a tree (which
    /// reports the character), and what the handler was given must be thrown away.
    NeedsTree,
}

/// Reads a file, handing its nodes to `handler` as they are found, with the same checks as
/// [`parse`] and the same error, unless it [`Streamed::NeedsTree`]; on an error the handler
/// has seen part of the file. The handler gets the same calls however the file is read, and
/// the result is the same.
pub fn stream(
    file: FileId,
    text: &str,
    reading: Reading,
    handler: &mut dyn Handler,
) -> Result<Streamed, XmlError> {
    let streamed = match reading {
        Reading::InTurn => Builder::new(file, text, Output::Stream(handler))
            .run()
            .map(|parts| parts.streamed),
        Reading::Alongside => alongside::stream_alongside(file, text, handler),
    };
    match streamed {
        // An error stands only in a file that could be streamed whole: otherwise a tree says
        // which problem comes first (a forbidden character may, even one not screened yet).
        Err(_) if !screen::Screen::new(text).clear_through(text, text.len()) => {
            Ok(Streamed::NeedsTree)
        }
        streamed => streamed,
    }
}

fn forbidden_char_error(file: FileId, at: usize, ch: char) -> XmlError {
    XmlError {
        span: Span::new(file, at, at + ch.len_utf8()),
        message: format!(
            "the character U+{:04X} is not allowed in XML; is this a binary file?",
            u32::from(ch)
        ),
    }
}

/// The first character XML 1.0 does not allow (`Char`: no NUL, no C0 controls other than tab
/// and line ends, no U+FFFE/U+FFFF; UTF-8 text holds no surrogates), and where it is.
///
/// Every file is scanned whole, so the scan looks at blocks of bytes first: a block with no
/// control byte and no `0xEF` (the lead byte of U+FFFE and U+FFFF) is skipped at once.
fn first_forbidden_char(text: &str) -> Option<(usize, char)> {
    const BLOCK: usize = 64;
    // Without branches, so that the compiler checks many bytes per instruction.
    let suspect = |byte: u8| {
        let control = (byte < 0x20) & (byte != b'\t') & (byte != b'\n') & (byte != b'\r');
        control | (byte == 0xEF)
    };
    let bytes = text.as_bytes();
    // Whole blocks, which the compiler unrolls, and one short one at the end.
    let mut whole = bytes.chunks_exact(BLOCK);
    let last = (bytes.len() / BLOCK, whole.remainder());
    let blocks = whole.by_ref().enumerate().chain(std::iter::once(last));
    let flagged = blocks.filter(|(_, block)| block.iter().fold(false, |any, &b| any | suspect(b)));
    flagged
        .flat_map(|(index, _)| {
            let start = index * BLOCK;
            let end = (start + BLOCK).min(bytes.len());
            (start..end).filter(|&at| suspect(bytes[at]))
        })
        .find_map(|at| {
            let ch = text.get(at..)?.chars().next()?;
            (!is_xml_char(ch)).then_some((at, ch))
        })
}

/// XML 1.0 `Char`.
fn is_xml_char(ch: char) -> bool {
    matches!(ch, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

struct Builder<'t, 'h> {
    file: FileId,
    text: &'t str,
    output: Output<'h>,
    /// What a stream read in turn screens the text with.
    screen: Option<screen::Screen>,
    /// How many nodes were made (the next node's id).
    made: u32,
    namespaces: Namespaces<'t>,
    root: Option<NodeId>,
    /// Open elements, innermost last.
    open: Vec<Open>,
    /// The text run being accumulated (text, references and CDATA merge into one node).
    pending_text: Option<Node>,
    /// Whitespace-only text that starts a run if a reference or CDATA section follows.
    pending_space: Option<usize>,
    /// Whether a DOCTYPE was seen (its declarations are never read).
    has_doctype: bool,
    /// The attributes of the tag being read (kept to reuse the allocation, and handed along
    /// with the element when streaming, so they are not scanned twice).
    scanned: Vec<scan::RawAttribute>,
    /// Whether `scanned` holds the tag's attributes, checked (see `check.rs`).
    attributes_checked: bool,
    /// Where `xmlns` is written: which tags may bind a namespace.
    declarations: scan::Declarations,
}

/// Where the builder's nodes go.
enum Output<'h> {
    Tree(Vec<Node>),
    Stream(&'h mut dyn Handler),
    Alongside(&'h mut alongside::Producer),
}

/// An open element: its node, where its name is, and how many namespace bindings were
/// declared before it.
struct Open {
    id: NodeId,
    start: u32,
    name_end: u32,
    declared_before: usize,
}

/// Receives a document's nodes as [`stream`] reads them, without a tree being kept.
pub trait Handler {
    /// An element (its start tag: see [`Element::span`]), a text run, a comment or an
    /// instruction, in document order.
    fn node(&mut self, node: NodeRef<'_>);
    /// The innermost open element ends; `span` is the whole element.
    fn end_element(&mut self, span: Span);
}

/// What the builder hands over: everything but the text, which the document shares.
struct Parts<'h> {
    output: Output<'h>,
    namespaces: Vec<Box<str>>,
    root: Option<NodeId>,
    /// Always [`Streamed::Whole`] for a tree.
    streamed: Streamed,
}

impl Parts<'_> {
    fn into_document(self, file: FileId, text: &Arc<String>) -> Document {
        let nodes = match self.output {
            // Give back what the estimate reserved beyond the nodes made (no copy for a
            // large array: the allocator shrinks it in place).
            Output::Tree(mut nodes) => {
                nodes.shrink_to_fit();
                nodes
            }
            Output::Stream(_) | Output::Alongside(_) => Vec::new(),
        };
        Document {
            file,
            text: Arc::clone(text),
            nodes,
            namespaces: self.namespaces,
            root: self.root,
        }
    }
}

/// Namespace bindings in scope, and every URI seen (each once).
#[derive(Default)]
struct Namespaces<'t> {
    uris: Vec<Box<str>>,
    index_of: HashMap<Box<str>, u32>,
    /// Bindings in declaration order: the prefix (`None` for `xmlns=`).
    declared: Vec<Option<&'t str>>,
    /// The default namespace in force, innermost last (`None`: no namespace).
    default: Vec<Option<u32>>,
    /// Prefixed bindings in force, innermost last per prefix.
    prefixed: HashMap<&'t str, Vec<Option<u32>>>,
}

impl<'t> Namespaces<'t> {
    /// Declares a binding on the element being opened (an empty URI unbinds).
    fn bind(&mut self, prefix: Option<&'t str>, uri: &str) {
        let index = (!uri.is_empty()).then(|| self.intern(uri));
        match prefix {
            None => self.default.push(index),
            Some(prefix) => self.prefixed.entry(prefix).or_default().push(index),
        }
        self.declared.push(prefix);
    }

    fn intern(&mut self, uri: &str) -> u32 {
        if let Some(&index) = self.index_of.get(uri) {
            return index;
        }
        let index = offset(self.uris.len());
        self.uris.push(uri.into());
        self.index_of.insert(uri.into(), index);
        index
    }

    /// The namespace of a prefix: `Some(None)` for no namespace, `None` if undeclared.
    fn lookup(&mut self, prefix: Option<&'t str>) -> Option<Option<u32>> {
        match prefix {
            None => Some(self.default.last().copied().flatten()),
            Some("xml") => Some(Some(self.intern(XML_NAMESPACE))),
            Some(prefix) => self.prefixed.get(prefix)?.last().copied(),
        }
    }

    /// Forgets the bindings declared after the first `len`.
    fn unbind_to(&mut self, len: usize) {
        for prefix in self.declared.drain(len.min(self.declared.len())..) {
            match prefix {
                None => {
                    self.default.pop();
                }
                Some(prefix) => {
                    self.prefixed.get_mut(prefix).and_then(Vec::pop);
                }
            }
        }
    }
}

/// What kind of character data an event is.
#[derive(Clone, Copy, PartialEq)]
enum Piece {
    Text,
    Reference,
    CData,
}

impl<'t, 'h> Builder<'t, 'h> {
    fn new(file: FileId, text: &'t str, output: Output<'h>) -> Self {
        // Reading alongside, the handler's thread screens (`alongside.rs`).
        let screen = match output {
            Output::Stream(_) => Some(screen::Screen::new(text)),
            Output::Tree(_) | Output::Alongside(_) => None,
        };
        Builder {
            file,
            text,
            output,
            screen,
            made: 0,
            namespaces: Namespaces::default(),
            root: None,
            open: Vec::new(),
            pending_text: None,
            pending_space: None,
            has_doctype: false,
            scanned: Vec::new(),
            attributes_checked: false,
            declarations: scan::Declarations::new(),
        }
    }

    fn run(mut self) -> Result<Parts<'h>, XmlError> {
        let mut reader = Reader::from_str(self.text);
        let config = reader.config_mut();
        config.trim_text(false);
        config.check_comments = true;
        config.check_end_names = true;
        loop {
            let start = position(reader.buffer_position());
            let event = match reader.read_event() {
                Err(err) => {
                    let at = position(reader.error_position()).min(self.text.len());
                    return Err(self.error(at, at, format!("{err}")));
                }
                Ok(event) => event,
            };
            let end = position(reader.buffer_position());
            if !self.may_go_on(end) {
                return Ok(self.into_parts(Streamed::NeedsTree));
            }
            match event {
                Event::Start(_) => self.start_element(start, end, false)?,
                Event::Empty(_) => self.start_element(start, end, true)?,
                Event::End(_) => self.end_element(end),
                Event::Text(_) => self.character_data(start, end, Piece::Text)?,
                Event::GeneralRef(_) => self.character_data(start, end, Piece::Reference)?,
                Event::CData(_) => self.character_data(start, end, Piece::CData)?,
                Event::Comment(_) => {
                    self.push(NodeKind::Comment, start, end);
                }
                Event::PI(pi) => self.instruction(pi.target().len(), start, end),
                Event::Decl(_) => self.end_text(),
                Event::DocType(_) => {
                    self.end_text();
                    self.has_doctype = true;
                }
                Event::Eof => break,
            }
        }
        self.end_text();
        if let Some(open) = self.open.last() {
            let (start, end) = (open.start as usize + 1, open.name_end as usize);
            let name = self.text[start..end].to_string();
            return Err(self.error(
                start,
                end,
                format!("the file ends before `<{name}>` is closed"),
            ));
        }
        if self.root.is_none() {
            let end = self.text.len();
            let message = match self.text.trim().is_empty() {
                true => "the file is empty; expected a `<Wix>` root element",
                false => "the file has no root element",
            };
            return Err(self.error(0, end, message.to_string()));
        }
        Ok(self.into_parts(Streamed::Whole))
    }

    /// Whether to read on after an event that ends at `end`: a stream read in turn stops at
    /// text that needs a tree (a tree may hold anything), one read alongside when the
    /// handler's side no longer listens (what the parser returns is then not used).
    fn may_go_on(&mut self, end: usize) -> bool {
        let text = self.text;
        let screened = |screen: &mut screen::Screen| screen.clear_through(text, end);
        match &self.output {
            Output::Alongside(producer) => !producer.unheard(),
            Output::Tree(_) | Output::Stream(_) => self.screen.as_mut().is_none_or(screened),
        }
    }

    fn into_parts(self, streamed: Streamed) -> Parts<'h> {
        Parts {
            output: self.output,
            namespaces: self.namespaces.uris,
            root: self.root,
            streamed,
        }
    }

    fn start_element(&mut self, start: usize, end: usize, empty: bool) -> Result<(), XmlError> {
        if self.open.is_empty() && self.root.is_some() {
            return Err(self.error(start, end, "only one root element is allowed".to_string()));
        }
        let declared_before = self.namespaces.declared.len();
        let text = self.text;
        let (name, _) = scan::start_tag(text, start, end);
        // Reading alongside, the handler's thread checks the attributes unless it is behind
        // (`alongside.rs`); tags that may bind a namespace are checked here, to resolve names.
        let binds = self.declarations.within(text.as_bytes(), start, end);
        let checks_here = match &self.output {
            Output::Alongside(producer) => producer.checks_attributes(),
            Output::Tree(_) | Output::Stream(_) => true,
        };
        self.attributes_checked = binds || checks_here;
        if self.attributes_checked {
            check::attributes(self.place(), start, end, &mut self.scanned)?;
        }
        if binds {
            self.bind_namespaces();
        }
        let prefix = name.prefix(text);
        let Some(namespace) = self.namespaces.lookup(prefix) else {
            // Report what a problem in the attributes would have reported first.
            if !self.attributes_checked {
                check::attributes(self.place(), start, end, &mut self.scanned)?;
            }
            let prefix = prefix.unwrap_or_default();
            return Err(self.error(
                name.start,
                name.end,
                format!("the namespace prefix `{prefix}` is not declared"),
            ));
        };
        let kind = NodeKind::Element {
            local: offset(name.local),
            name_end: offset(name.end),
            tag_end: offset(end),
            namespace: namespace.unwrap_or(NO_NAMESPACE),
        };
        let id = self.push(kind, start, end);
        if self.open.is_empty() {
            self.root = Some(id);
        }
        let open = Open {
            id,
            start: offset(start),
            name_end: offset(name.end),
            declared_before,
        };
        match empty {
            true => self.close(open, end),
            false => self.open.push(open),
        }
        Ok(())
    }

    fn end_element(&mut self, end: usize) {
        self.end_text();
        if let Some(open) = self.open.pop() {
            self.close(open, end);
        }
    }

    /// An element ends at `end`.
    fn close(&mut self, open: Open, end: usize) {
        self.namespaces.unbind_to(open.declared_before);
        let span = Span::new(self.file, open.start as usize, end);
        match &mut self.output {
            Output::Tree(nodes) => {
                let after = offset(nodes.len());
                if let Some(node) = nodes.get_mut(open.id.index()) {
                    node.end = offset(end);
                    node.after = after;
                }
            }
            Output::Stream(handler) => handler.end_element(span),
            Output::Alongside(producer) => producer.end_element(span),
        }
    }

    fn character_data(&mut self, start: usize, end: usize, piece: Piece) -> Result<(), XmlError> {
        let (content_start, content_end) = match piece {
            Piece::CData => (start + 9, end - 3),
            Piece::Text | Piece::Reference => (start, end),
        };
        let raw = &self.text[content_start..content_end];
        let xml_space = |byte: u8| matches!(byte, b' ' | b'\t' | b'\n' | b'\r');
        // The indentation between tags, most text events: nothing to unescape or keep yet.
        if piece == Piece::Text && self.pending_text.is_none() && raw.bytes().all(xml_space) {
            if !self.open.is_empty() {
                self.pending_space.get_or_insert(start);
            }
            return Ok(());
        }
        let value = match piece {
            Piece::CData => std::borrow::Cow::Borrowed(raw),
            Piece::Text | Piece::Reference => {
                escape::unescape(raw).map_err(|bad| self.reference_error(content_start, bad))?
            }
        };
        let blank = raw.bytes().all(xml_space) || value.trim().is_empty();
        if self.open.is_empty() {
            if blank {
                return Ok(());
            }
            return Err(self.error(
                start,
                end,
                "text is not allowed outside the root element".to_string(),
            ));
        }
        let plain = piece == Piece::Text && !raw.contains('&');
        match &mut self.pending_text {
            Some(node) => {
                node.end = offset(end);
                if let NodeKind::Text {
                    content,
                    plain: run_plain,
                } = &mut node.kind
                {
                    content.1 = offset(content_end);
                    *run_plain &= plain;
                }
            }
            None if piece == Piece::Text && blank => {
                self.pending_space.get_or_insert(start);
            }
            None => {
                let (start, content_start, plain) = match self.pending_space.take() {
                    Some(space) => (space, space, false),
                    None => (start, content_start, plain),
                };
                let kind = NodeKind::Text {
                    content: (offset(content_start), offset(content_end)),
                    plain,
                };
                self.pending_text = Some(Node {
                    start: offset(start),
                    end: offset(end),
                    after: 0,
                    kind,
                });
            }
        }
        Ok(())
    }

    fn instruction(&mut self, target_len: usize, start: usize, end: usize) {
        let target_end = start + 2 + target_len;
        let data_start = target_end.min(end - 2);
        let inner = &self.text[data_start..end - 2];
        let data_start = data_start + (inner.len() - inner.trim_start().len());
        let data_end = data_start + inner.trim().len();
        let kind = NodeKind::Instruction {
            target_end: offset(target_end),
            data: (offset(data_start), offset(data_end)),
        };
        self.push(kind, start, end);
    }

    /// Ends the text run being accumulated, if any: it becomes a node.
    fn end_text(&mut self) {
        self.pending_space = None;
        if let Some(run) = self.pending_text.take() {
            self.emit(run);
        }
    }

    fn push(&mut self, kind: NodeKind, start: usize, end: usize) -> NodeId {
        self.end_text();
        let node = Node {
            start: offset(start),
            end: offset(end),
            after: 0,
            kind,
        };
        self.emit(node)
    }

    /// Hands a finished node (an element: its start) to the output.
    fn emit(&mut self, mut node: Node) -> NodeId {
        let id = NodeId(self.made);
        self.made += 1;
        node.after = self.made;
        match &mut self.output {
            Output::Tree(nodes) => nodes.push(node),
            Output::Stream(handler) => {
                let uris = &self.namespaces.uris;
                let scanned = Some(self.scanned.as_slice());
                let node = tree::node_ref(self.text, self.file, uris, id, &node, scanned);
                handler.node(node);
            }
            Output::Alongside(producer) => {
                let scanned = self.attributes_checked.then_some(self.scanned.as_slice());
                let uris = &self.namespaces.uris;
                producer.node(node, scanned, uris, self.has_doctype);
            }
        }
        id
    }

    /// A reference that does not resolve, in text that starts at `start`.
    fn reference_error(&self, start: usize, bad: escape::BadReference) -> XmlError {
        self.place().reference_error(start, bad)
    }

    fn error(&self, start: usize, end: usize, message: String) -> XmlError {
        self.place().error(start, end, message)
    }

    fn place(&self) -> check::Place<'t> {
        check::Place {
            file: self.file,
            text: self.text,
            has_doctype: self.has_doctype,
        }
    }

    /// Declares the namespace bindings among the attributes just scanned.
    fn bind_namespaces(&mut self) {
        let text = self.text;
        for attribute in &self.scanned {
            let prefix = match (attribute.name.prefix(text), attribute.name.local(text)) {
                (None, "xmlns") => None,
                (Some("xmlns"), prefix) => Some(prefix),
                _ => continue,
            };
            let (start, end) = attribute.value;
            let raw = &text[start..end];
            // Checked already: the references resolve.
            let value = escape::unescape(raw).unwrap_or(std::borrow::Cow::Borrowed(raw));
            self.namespaces.bind(prefix, &value);
        }
    }
}

/// About how many nodes a text makes: one per `<` that does not start an end tag, plus an
/// eighth for text runs. Reserving this up front keeps a large file's node array from
/// growing by doubling, which would leave up to half of it unused at the peak.
fn expected_nodes(text: &str) -> usize {
    let bytes = text.as_bytes();
    let markup = memchr::memchr_iter(b'<', bytes).count();
    let end_tags = memchr::memmem::find_iter(bytes, "</").count();
    let nodes = markup.saturating_sub(end_tags);
    nodes + nodes / 8
}

fn position(value: u64) -> usize {
    usize::try_from(value).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests;
