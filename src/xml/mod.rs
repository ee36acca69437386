//! XML with exact positions: the only module that talks to quick-xml.
//!
//! [`parse`] turns a file's text into a [`Document`]: an arena of elements, text runs,
//! comments and processing instructions, where every element, attribute name, attribute value
//! and text run keeps its byte range in the original text. quick-xml finds the markup; tag
//! contents are scanned here (quick-xml gives no attribute positions), references are
//! unescaped for meaning while spans keep pointing at the raw text, and namespace prefixes are
//! resolved to URIs. The tree is built with an explicit stack, so nesting depth costs heap, not
//! call stack.

pub(crate) mod escape;
mod scan;
mod tree;

pub use tree::{Attribute, Document, Element, Instruction, NodeId, NodeRef, Text};

use crate::source::{FileId, Span};
use quick_xml::events::Event;
use quick_xml::Reader;
use tree::{ElementData, InstructionData, Node, NodeKind, TextData};

/// Why a file is not well-formed XML, and where.
#[derive(Debug, Clone)]
pub struct XmlError {
    pub span: Span,
    pub message: String,
}

/// The prefix `xml:` is bound by definition.
const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";

/// Parses one file.
pub fn parse(file: FileId, text: &str) -> Result<Document, XmlError> {
    // The decoder removes the byte order mark; one still there is a second one, which
    // quick-xml would skip silently, shifting every position after it.
    if text.starts_with('\u{FEFF}') {
        return Err(XmlError {
            span: Span::new(file, 0, '\u{FEFF}'.len_utf8()),
            message: "the file starts with a second byte order mark (U+FEFF)".to_string(),
        });
    }
    let forbidden = text.char_indices().find(|&(_, ch)| !is_xml_char(ch));
    let parsed = Builder::new(file, text).run();
    // Report whichever problem comes first in the file.
    match (forbidden, parsed) {
        (Some((at, _)), Err(err)) if err.span.start as usize <= at => Err(err),
        (Some((at, ch)), _) => Err(XmlError {
            span: Span::new(file, at, at + ch.len_utf8()),
            message: format!(
                "the character U+{:04X} is not allowed in XML; is this a binary file?",
                u32::from(ch)
            ),
        }),
        (None, parsed) => parsed,
    }
}

/// XML 1.0 `Char`: no NUL, no C0 controls other than tab and line ends, no U+FFFE/U+FFFF.
fn is_xml_char(ch: char) -> bool {
    matches!(ch, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

struct Builder<'t> {
    file: FileId,
    text: &'t str,
    nodes: Vec<Node>,
    top_level: Vec<NodeId>,
    root: Option<NodeId>,
    /// Open elements, innermost last, with how many namespace bindings each declared.
    open: Vec<(NodeId, usize)>,
    bindings: Vec<(Option<Box<str>>, Box<str>)>,
    /// The same bindings by prefix, innermost last, so a lookup does not scan them all.
    in_scope: std::collections::HashMap<Option<Box<str>>, Vec<Box<str>>>,
    /// The text run being accumulated (text, references and CDATA merge into one node).
    pending_text: Option<NodeId>,
    /// Whether a DOCTYPE was seen (its declarations are never read).
    has_doctype: bool,
}

impl<'t> Builder<'t> {
    fn new(file: FileId, text: &'t str) -> Self {
        Builder {
            file,
            text,
            nodes: Vec::new(),
            top_level: Vec::new(),
            root: None,
            open: Vec::new(),
            bindings: Vec::new(),
            in_scope: std::collections::HashMap::new(),
            pending_text: None,
            has_doctype: false,
        }
    }

    fn run(mut self) -> Result<Document, XmlError> {
        let mut reader = Reader::from_str(self.text);
        let config = reader.config_mut();
        config.trim_text(false);
        config.check_comments = true;
        config.check_end_names = true;
        loop {
            let start = position(reader.buffer_position());
            let event = match reader.read_event() {
                Ok(event) => event,
                Err(err) => {
                    let at = position(reader.error_position()).min(self.text.len());
                    return Err(self.error(at, at, format!("{err}")));
                }
            };
            let end = position(reader.buffer_position());
            match event {
                Event::Start(_) => self.start_element(start, end, false)?,
                Event::Empty(_) => self.start_element(start, end, true)?,
                Event::End(_) => self.end_element(end),
                Event::Text(_) => self.character_data(start, end, start, end)?,
                Event::GeneralRef(_) => self.character_data(start, end, start, end)?,
                Event::CData(_) => self.character_data(start, end, start + 9, end - 3)?,
                Event::Comment(_) => {
                    let text = &self.text[start + 4..end - 3];
                    self.push(NodeKind::Comment(text.into()), start, end);
                }
                Event::PI(pi) => self.instruction(pi.target(), start, end),
                Event::Decl(_) => self.pending_text = None,
                Event::DocType(_) => {
                    self.pending_text = None;
                    self.has_doctype = true;
                }
                Event::Eof => break,
            }
        }
        if let Some(&(open, _)) = self.open.last() {
            let node = &self.nodes[open.0 as usize];
            let name_span = match &node.kind {
                NodeKind::Element(data) => data.name_span,
                _ => node.span,
            };
            let (start, end) = (name_span.0 as usize, name_span.1 as usize);
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
        Ok(Document {
            file: self.file,
            nodes: self.nodes,
            top_level: self.top_level,
            root: self.root,
        })
    }

    fn start_element(&mut self, start: usize, end: usize, empty: bool) -> Result<(), XmlError> {
        if self.open.is_empty() && self.root.is_some() {
            return Err(self.error(start, end, "only one root element is allowed".to_string()));
        }
        let raw = scan::start_tag(self.text, start, end)
            .map_err(|err| self.error(err.offset, err.offset + 1, err.message))?;
        let declared_before = self.bindings.len();
        let mut attributes = Vec::with_capacity(raw.attributes.len());
        // Names seen so far: a scan for the usual handful, a set for hostile thousands.
        let mut names = std::collections::HashSet::new();
        let many = raw.attributes.len() > 16;
        for attribute in &raw.attributes {
            let name = &self.text[attribute.name.0..attribute.name.1];
            let value_raw = &self.text[attribute.value.0..attribute.value.1];
            let value = escape::unescape(value_raw)
                .map_err(|bad| self.reference_error(attribute.value.0, bad))?;
            let repeated = match many {
                true => !names.insert(name),
                false => attributes
                    .iter()
                    .any(|seen: &(&str, tree::Attribute)| seen.0 == name),
            };
            if repeated {
                let (s, e) = attribute.name;
                return Err(self.error(s, e, format!("the attribute `{name}` appears twice")));
            }
            let (prefix, local) = split_qname(name);
            if name == "xmlns" {
                self.bind(None, value.as_ref().into());
            } else if prefix == Some("xmlns") {
                self.bind(Some(local.into()), value.as_ref().into());
            }
            attributes.push((
                name,
                tree::Attribute {
                    prefix: prefix.map(Into::into),
                    local: local.into(),
                    value: value.into_owned().into_boxed_str(),
                    name_span: (offset(attribute.name.0), offset(attribute.name.1)),
                    value_span: (offset(attribute.value.0), offset(attribute.value.1)),
                },
            ));
        }
        let qname = &self.text[raw.name.0..raw.name.1];
        let (prefix, local) = split_qname(qname);
        let namespace = match self.lookup(prefix) {
            Some(uri) => uri,
            None => {
                let prefix = prefix.unwrap_or_default();
                let (s, e) = raw.name;
                return Err(self.error(
                    s,
                    e,
                    format!("the namespace prefix `{prefix}` is not declared"),
                ));
            }
        };
        let data = ElementData {
            namespace,
            local: local.into(),
            name_span: (offset(raw.name.0), offset(raw.name.1)),
            attributes: attributes.into_iter().map(|(_, a)| a).collect(),
        };
        let id = self.push(NodeKind::Element(data), start, end);
        if self.open.is_empty() {
            self.root = Some(id);
        }
        let declared = self.bindings.len() - declared_before;
        if empty {
            self.unbind_to(declared_before);
        } else {
            self.open.push((id, declared));
        }
        Ok(())
    }

    fn end_element(&mut self, end: usize) {
        self.pending_text = None;
        if let Some((id, declared)) = self.open.pop() {
            self.nodes[id.0 as usize].span.1 = offset(end);
            self.unbind_to(self.bindings.len() - declared);
        }
    }

    fn character_data(
        &mut self,
        start: usize,
        end: usize,
        content_start: usize,
        content_end: usize,
    ) -> Result<(), XmlError> {
        let raw = &self.text[content_start..content_end];
        let is_cdata = content_start != start;
        let value = if is_cdata {
            std::borrow::Cow::Borrowed(raw)
        } else {
            escape::unescape(raw).map_err(|bad| self.reference_error(content_start, bad))?
        };
        if self.open.is_empty() {
            if value.trim().is_empty() {
                return Ok(());
            }
            return Err(self.error(
                start,
                end,
                "text is not allowed outside the root element".to_string(),
            ));
        }
        match self.pending_text {
            Some(id) => {
                let node = &mut self.nodes[id.0 as usize];
                node.span.1 = offset(end);
                if let NodeKind::Text(text) = &mut node.kind {
                    text.value.push_str(&value);
                    text.content_span.1 = offset(content_end);
                }
            }
            None => {
                let text = TextData {
                    value: value.into_owned(),
                    content_span: (offset(content_start), offset(content_end)),
                };
                let id = self.push(NodeKind::Text(text), start, end);
                self.pending_text = Some(id);
            }
        }
        Ok(())
    }

    fn instruction(&mut self, target: &str, start: usize, end: usize) {
        let data_start = (start + 2 + target.len()).min(end - 2);
        let data = self.text[data_start..end - 2].trim();
        let leading = self.text[data_start..end - 2].len()
            - self.text[data_start..end - 2].trim_start().len();
        let data_start = data_start + leading;
        let pi = InstructionData {
            target: target.into(),
            data: data.into(),
            data_span: (offset(data_start), offset(data_start + data.len())),
        };
        self.push(NodeKind::Instruction(pi), start, end);
    }

    fn push(&mut self, kind: NodeKind, start: usize, end: usize) -> NodeId {
        if !matches!(kind, NodeKind::Text(_)) {
            self.pending_text = None;
        }
        let id = NodeId(offset(self.nodes.len()));
        self.nodes.push(Node {
            kind,
            span: (offset(start), offset(end)),
            children: Vec::new(),
        });
        match self.open.last() {
            Some(&(parent, _)) => self.nodes[parent.0 as usize].children.push(id),
            None => self.top_level.push(id),
        }
        id
    }

    /// The URI bound to a prefix: `Some(None)` for no namespace, `None` if undeclared.
    fn lookup(&self, prefix: Option<&str>) -> Option<Option<Box<str>>> {
        if prefix == Some("xml") {
            return Some(Some(XML_NAMESPACE.into()));
        }
        let bound = self
            .in_scope
            .get(&prefix.map(Box::from))
            .and_then(|uris| uris.last());
        match (bound, prefix) {
            (Some(uri), _) if uri.is_empty() => Some(None),
            (Some(uri), _) => Some(Some(uri.clone())),
            (None, None) => Some(None),
            (None, Some(_)) => None,
        }
    }

    /// Declares a namespace binding on the element being opened.
    fn bind(&mut self, prefix: Option<Box<str>>, uri: Box<str>) {
        self.in_scope
            .entry(prefix.clone())
            .or_default()
            .push(uri.clone());
        self.bindings.push((prefix, uri));
    }

    /// Forgets the bindings declared after the first `len`.
    fn unbind_to(&mut self, len: usize) {
        for (prefix, _) in self.bindings.drain(len..) {
            if let Some(uris) = self.in_scope.get_mut(&prefix) {
                uris.pop();
            }
        }
    }

    /// A reference that does not resolve, in text that starts at `start`.
    fn reference_error(&self, start: usize, bad: escape::BadReference) -> XmlError {
        let at = start + bad.offset;
        let mut message = bad.message;
        if self.has_doctype && bad.undefined {
            message.push_str(
                "; entities declared in a DOCTYPE are never read (WiX v4+ rejects any DOCTYPE)",
            );
        }
        self.error(at, at + bad.len, message)
    }

    fn error(&self, start: usize, end: usize, message: String) -> XmlError {
        XmlError {
            span: Span::new(self.file, start, end.min(self.text.len()).max(start)),
            message,
        }
    }
}

fn split_qname(name: &str) -> (Option<&str>, &str) {
    match name.split_once(':') {
        Some((prefix, local)) => (Some(prefix), local),
        None => (None, name),
    }
}

fn position(value: u64) -> usize {
    usize::try_from(value).unwrap_or(usize::MAX)
}

fn offset(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests;
