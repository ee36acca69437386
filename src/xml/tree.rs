//! The element tree: a flat array of nodes in document order, each with the byte span of
//! its markup, so that every element, attribute name, attribute value and text run can be
//! pointed at in the original file.
//!
//! The tree is kept small, because heat-generated files reach tens of megabytes: a node is
//! a few offsets into the file's text (which the document shares with the [`SourceDb`]
//! rather than copying), names and values are read from that text when asked for, and
//! attributes are not stored at all: [`Element::attributes`] scans the start tag again.
//! Children follow their parent in the array; each node records where its subtree ends,
//! which is where its next sibling starts. Whitespace-only text is not kept.
//!
//! [`SourceDb`]: crate::source::SourceDb

use super::escape;
use super::scan;
use crate::source::{FileId, Span};
use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

/// Index of a node in a [`Document`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub(crate) u32);

impl NodeId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A parsed file.
pub struct Document {
    pub(crate) file: FileId,
    pub(crate) text: Arc<String>,
    pub(crate) nodes: Vec<Node>,
    /// Namespace URIs, each once; elements refer to them by index.
    pub(crate) namespaces: Vec<Box<str>>,
    pub(crate) root: Option<NodeId>,
}

pub(crate) struct Node {
    /// The whole markup: an element from `<` to the end of its end tag.
    pub(crate) start: u32,
    pub(crate) end: u32,
    /// One past the last node of this one's subtree: where its next sibling would be.
    pub(crate) after: u32,
    pub(crate) kind: NodeKind,
}

/// The namespace index of an element in no namespace.
pub(crate) const NO_NAMESPACE: u32 = u32::MAX;

pub(crate) enum NodeKind {
    /// The name runs from `start + 1` to `name_end`, its local part from `local`; the start
    /// tag ends at `tag_end`. `namespace` indexes the URIs, [`NO_NAMESPACE`] for none.
    Element {
        local: u32,
        name_end: u32,
        tag_end: u32,
        namespace: u32,
    },
    /// Text, references and CDATA sections merged into one run.
    Text {
        content: (u32, u32),
        /// The run is plain text (no reference, no CDATA): its value is its content as is.
        plain: bool,
    },
    Comment,
    Instruction {
        target_end: u32,
        data: (u32, u32),
    },
}

/// An attribute: its name, its value and where both are written.
#[derive(Clone, Copy, Debug)]
pub struct Attribute<'d> {
    /// The local name (after any `prefix:`).
    local: &'d str,
    prefixed: bool,
    raw_value: &'d str,
    name_span: Span,
    value_span: Span,
}

impl<'d> Attribute<'d> {
    /// The local name (after any `prefix:`).
    pub fn name(&self) -> &'d str {
        self.local
    }

    /// True for attributes in no namespace, the only ones WiX elements define themselves.
    pub fn is_unprefixed(&self) -> bool {
        !self.prefixed
    }

    /// The value as written, references and all.
    pub fn raw_value(&self) -> &'d str {
        self.raw_value
    }

    /// The value with entity and character references replaced.
    pub fn value(&self) -> Cow<'d, str> {
        // The parser checked every reference, so this cannot fail.
        escape::unescape(self.raw_value).unwrap_or(Cow::Borrowed(self.raw_value))
    }

    pub fn name_span(&self) -> Span {
        self.name_span
    }

    /// The value as written, between the quotes.
    pub fn value_span(&self) -> Span {
        self.value_span
    }
}

/// What a node is, as seen by the rest of wixcheck.
pub enum NodeRef<'d> {
    Element(Element<'d>),
    Text(Text<'d>),
    Comment(&'d str, Span),
    Instruction(Instruction<'d>),
}

/// A borrowed view of an element.
#[derive(Clone, Copy)]
pub struct Element<'d> {
    text: &'d str,
    file: FileId,
    id: NodeId,
    start: u32,
    /// Where the element ends: after its end tag in a parsed tree; while a document is
    /// streamed, after its start tag (its end is not known yet).
    end: u32,
    local: u32,
    name_end: u32,
    tag_end: u32,
    namespace: Option<&'d str>,
    /// The attributes, when the parser hands them along (see [`Element::attributes`]).
    scanned: Option<&'d [scan::RawAttribute]>,
}

/// A run of character data (text, references and CDATA sections merged).
pub struct Text<'d> {
    pub value: Cow<'d, str>,
    pub span: Span,
    pub content_span: Span,
}

/// A processing instruction `<?target data?>`.
pub struct Instruction<'d> {
    pub target: &'d str,
    pub data: &'d str,
    pub span: Span,
    pub data_span: Span,
}

impl Document {
    pub fn file(&self) -> FileId {
        self.file
    }

    /// The text the document was parsed from.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn root(&self) -> Option<Element<'_>> {
        self.root.and_then(|id| self.element(id))
    }

    pub fn node(&self, id: NodeId) -> NodeRef<'_> {
        let node = &self.nodes[id.index()];
        node_ref(&self.text, self.file, &self.namespaces, id, node, None)
    }

    pub fn element(&self, id: NodeId) -> Option<Element<'_>> {
        match self.node(id) {
            NodeRef::Element(element) => Some(element),
            _ => None,
        }
    }

    /// The positions of the top-level nodes (comments and instructions around the root, and
    /// the root), to be stepped through with [`Document::next_sibling`].
    pub fn top_level(&self) -> Range<usize> {
        0..self.nodes.len()
    }

    /// The positions a node's children are in: from its first child to the end of its
    /// subtree.
    pub fn children_of(&self, id: NodeId) -> Range<usize> {
        id.index() + 1..self.after(id)
    }

    /// The node at a position, if the position is inside the document.
    pub fn at(&self, position: usize) -> Option<NodeId> {
        (position < self.nodes.len()).then(|| NodeId(offset(position)))
    }

    /// The position after a node and all its descendants: its next sibling's, if it has one.
    pub fn after(&self, id: NodeId) -> usize {
        self.nodes[id.index()].after as usize
    }

    /// The element children of a node, in order.
    pub fn child_elements(&self, id: NodeId) -> impl Iterator<Item = Element<'_>> {
        let range = self.children_of(id);
        let mut next = range.start;
        std::iter::from_fn(move || {
            while next < range.end {
                let id = self.at(next)?;
                next = self.after(id);
                if let Some(element) = self.element(id) {
                    return Some(element);
                }
            }
            None
        })
    }
}

/// The node `id`, recorded as `node`, of a document with `text` and namespace URIs `uris`;
/// `scanned` holds an element's attributes if the parser has them at hand.
pub(crate) fn node_ref<'d>(
    text: &'d str,
    file: FileId,
    uris: &'d [Box<str>],
    id: NodeId,
    node: &Node,
    scanned: Option<&'d [scan::RawAttribute]>,
) -> NodeRef<'d> {
    let slice = |start: u32, end: u32| text.get(start as usize..end as usize).unwrap_or_default();
    let span = |start: u32, end: u32| Span { file, start, end };
    match node.kind {
        NodeKind::Element {
            local,
            name_end,
            tag_end,
            namespace,
        } => NodeRef::Element(Element {
            text,
            file,
            id,
            start: node.start,
            end: node.end,
            local,
            name_end,
            tag_end,
            namespace: uris.get(namespace as usize).map(AsRef::as_ref),
            scanned,
        }),
        NodeKind::Text { content, plain } => NodeRef::Text(Text {
            value: match plain {
                true => Cow::Borrowed(slice(content.0, content.1)),
                false => run_value(slice(node.start, node.end)),
            },
            span: span(node.start, node.end),
            content_span: span(content.0, content.1),
        }),
        NodeKind::Comment => {
            let comment = slice(node.start + 4, node.end.saturating_sub(3));
            NodeRef::Comment(comment, span(node.start, node.end))
        }
        NodeKind::Instruction { target_end, data } => NodeRef::Instruction(Instruction {
            target: slice(node.start + 2, target_end),
            data: slice(data.0, data.1),
            span: span(node.start, node.end),
            data_span: span(data.0, data.1),
        }),
    }
}

impl<'d> Element<'d> {
    /// Where the element is in its document (see [`Document::children_of`]).
    pub fn id(&self) -> NodeId {
        self.id
    }

    /// The local name, without prefix.
    pub fn name(&self) -> &'d str {
        self.slice(self.local, self.name_end)
    }

    /// The resolved namespace URI, if any.
    pub fn namespace(&self) -> Option<&'d str> {
        self.namespace
    }

    /// The element from `<` to the end of its end tag (while a document is streamed, to the
    /// end of its start tag: the visitor is told the whole span when the element ends).
    pub fn span(&self) -> Span {
        Span::new(self.file, self.start as usize, self.end as usize)
    }

    /// The element name in its start tag.
    pub fn name_span(&self) -> Span {
        Span::new(self.file, self.start as usize + 1, self.name_end as usize)
    }

    /// The start tag as written, from `<` to `>`.
    pub fn start_tag(&self) -> &'d str {
        self.slice(self.start, self.tag_end)
    }

    /// The attributes, in the order written: as the parser found them, or read from the
    /// start tag again.
    pub fn attributes(&self) -> impl Iterator<Item = Attribute<'d>> {
        let (text, file) = (self.text, self.file);
        let raw = match self.scanned {
            Some(scanned) => RawAttributes::Scanned(scanned.iter()),
            None => {
                let (start, end) = (self.start as usize, self.tag_end as usize);
                RawAttributes::Scan(scan::start_tag(text, start, end).1)
            }
        };
        raw.map(move |raw| Attribute {
            local: raw.name.local(text),
            prefixed: raw.name.local > raw.name.start,
            raw_value: &text[raw.value.0..raw.value.1],
            name_span: Span::new(file, raw.name.start, raw.name.end),
            value_span: Span::new(file, raw.value.0, raw.value.1),
        })
    }

    fn slice(&self, start: u32, end: u32) -> &'d str {
        self.text
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }
}

/// An element's attributes as ranges: handed along by the parser, or scanned again.
enum RawAttributes<'d> {
    Scanned(std::slice::Iter<'d, scan::RawAttribute>),
    Scan(scan::Attributes<'d>),
}

impl Iterator for RawAttributes<'_> {
    type Item = scan::RawAttribute;

    fn next(&mut self) -> Option<scan::RawAttribute> {
        match self {
            RawAttributes::Scanned(scanned) => scanned.next().copied(),
            // The parser checked the tag: no error can end the scan early.
            RawAttributes::Scan(scan) => scan.next()?.ok(),
        }
    }
}

/// The value of a text run written `raw`: references replaced, CDATA sections unwrapped.
fn run_value(raw: &str) -> Cow<'_, str> {
    const OPEN: &str = "<![CDATA[";
    let unescaped = |text| escape::unescape(text).unwrap_or(Cow::Borrowed(text));
    if !raw.contains(OPEN) {
        return unescaped(raw);
    }
    let mut value = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(open) = rest.find(OPEN) {
        value.push_str(&unescaped(&rest[..open]));
        let section = &rest[open + OPEN.len()..];
        let close = section.find("]]>").unwrap_or(section.len());
        value.push_str(&section[..close]);
        rest = section.get(close + 3..).unwrap_or_default();
    }
    value.push_str(&unescaped(rest));
    Cow::Owned(value)
}

pub(crate) fn offset(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}
