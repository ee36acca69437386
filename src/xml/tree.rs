//! The element tree: an arena of nodes in document order, each with the byte span of its
//! markup, so that every element, attribute name, attribute value and text run can be pointed
//! at in the original file.

use crate::source::{FileId, Span};

/// Index of a node in a [`Document`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub(crate) u32);

/// A parsed file.
pub struct Document {
    pub(crate) file: FileId,
    pub(crate) nodes: Vec<Node>,
    pub(crate) top_level: Vec<NodeId>,
    pub(crate) root: Option<NodeId>,
}

pub(crate) struct Node {
    pub(crate) kind: NodeKind,
    pub(crate) span: (u32, u32),
    pub(crate) children: Vec<NodeId>,
}

pub(crate) enum NodeKind {
    Element(ElementData),
    Text(TextData),
    Comment(Box<str>),
    Instruction(InstructionData),
}

pub(crate) struct ElementData {
    pub(crate) namespace: Option<Box<str>>,
    pub(crate) local: Box<str>,
    pub(crate) name_span: (u32, u32),
    pub(crate) attributes: Vec<Attribute>,
}

pub(crate) struct TextData {
    pub(crate) value: String,
    pub(crate) content_span: (u32, u32),
}

pub(crate) struct InstructionData {
    pub(crate) target: Box<str>,
    pub(crate) data: Box<str>,
    pub(crate) data_span: (u32, u32),
}

/// An attribute: its local name, its unescaped value, and where both are written.
#[derive(Clone, Debug)]
pub struct Attribute {
    pub(crate) prefix: Option<Box<str>>,
    pub(crate) local: Box<str>,
    pub(crate) value: Box<str>,
    pub(crate) name_span: (u32, u32),
    pub(crate) value_span: (u32, u32),
}

impl Attribute {
    /// The local name (after any `prefix:`).
    pub fn name(&self) -> &str {
        &self.local
    }

    /// True for attributes in no namespace, the only ones WiX elements define themselves.
    pub fn is_unprefixed(&self) -> bool {
        self.prefix.is_none()
    }

    /// The value with entity and character references replaced.
    pub fn value(&self) -> &str {
        &self.value
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
    doc: &'d Document,
    id: NodeId,
    data: &'d ElementData,
}

/// A run of character data (text, references and CDATA sections merged).
pub struct Text<'d> {
    pub value: &'d str,
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

    pub fn root(&self) -> Option<Element<'_>> {
        self.root.and_then(|id| self.element(id))
    }

    pub fn node(&self, id: NodeId) -> NodeRef<'_> {
        let node = &self.nodes[id.0 as usize];
        let span = self.span_of(node.span);
        match &node.kind {
            NodeKind::Element(data) => NodeRef::Element(Element {
                doc: self,
                id,
                data,
            }),
            NodeKind::Text(text) => NodeRef::Text(Text {
                value: &text.value,
                span,
                content_span: self.span_of(text.content_span),
            }),
            NodeKind::Comment(text) => NodeRef::Comment(text, span),
            NodeKind::Instruction(pi) => NodeRef::Instruction(Instruction {
                target: &pi.target,
                data: &pi.data,
                span,
                data_span: self.span_of(pi.data_span),
            }),
        }
    }

    pub fn element(&self, id: NodeId) -> Option<Element<'_>> {
        match self.node(id) {
            NodeRef::Element(element) => Some(element),
            _ => None,
        }
    }

    /// The top-level nodes (comments and instructions around the root, and the root).
    pub fn top_level(&self) -> &[NodeId] {
        &self.top_level
    }

    fn span_of(&self, (start, end): (u32, u32)) -> Span {
        Span {
            file: self.file,
            start,
            end,
        }
    }
}

impl<'d> Element<'d> {
    pub fn id(&self) -> NodeId {
        self.id
    }

    pub fn document(&self) -> &'d Document {
        self.doc
    }

    /// The local name, without prefix.
    pub fn name(&self) -> &'d str {
        &self.data.local
    }

    /// The resolved namespace URI, if any.
    pub fn namespace(&self) -> Option<&'d str> {
        self.data.namespace.as_deref()
    }

    /// The whole element, from `<` to the end of its end tag.
    pub fn span(&self) -> Span {
        self.doc.span_of(self.doc.nodes[self.id.0 as usize].span)
    }

    /// The element name in its start tag.
    pub fn name_span(&self) -> Span {
        self.doc.span_of(self.data.name_span)
    }

    pub fn attributes(&self) -> &'d [Attribute] {
        &self.data.attributes
    }

    pub fn attribute_name_span(&self, attribute: &Attribute) -> Span {
        self.doc.span_of(attribute.name_span)
    }

    /// The attribute value as written, between the quotes.
    pub fn attribute_value_span(&self, attribute: &Attribute) -> Span {
        self.doc.span_of(attribute.value_span)
    }

    pub fn children(&self) -> &'d [NodeId] {
        &self.doc.nodes[self.id.0 as usize].children
    }
}
