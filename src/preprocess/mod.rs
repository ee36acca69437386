//! The WiX preprocessor, applied as a walk over the element tree rather than a text rewrite.
//!
//! [`walk`] visits a document's elements in preprocessed order — `<?if?>` branches chosen,
//! `<?foreach?>` bodies repeated, `<?include?>` files spliced in — and hands each element to a
//! [`Visitor`] with its attribute values after `$(var.X)` substitution. Spans always point at
//! the text as written (in the included file for included elements), so a diagnostic about an
//! expanded value still lands on the attribute the user wrote; the [`Trace`] the walk fills
//! explains such diagnostics afterwards (what a value expanded to, which `<?include?>` brought
//! an element in). The semantics follow WiX's `Preprocessor.cs` and `PreprocessHelper.cs`;
//! problems are reported and the walk goes on. A file without directives is walked while it
//! is parsed ([`walk_streamed`]): in document order, substituting `$(…)` only.

mod directives;
mod expression;
mod include;
mod trace;
mod variables;
mod walker;

#[cfg(test)]
mod tests;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, SourceDb, Span};
use crate::xml::{self, Attribute, Document, Element};
use std::borrow::Cow;
use std::path::{Path, PathBuf};

pub use trace::{Define, FileDefines, Trace};
pub use variables::Origin;

/// WXC003: `$(var.X)` names a variable that is not defined at that point.
pub const UNDEFINED_VARIABLE: Code =
    crate::rules::input::undefined_preprocessor_variable::UNDEFINED_PREPROCESSOR_VARIABLE.code;

/// WXC004: an `<?include?>` file is missing, unreadable, not an `<Include>`, or a cycle.
pub const INCLUDE_ERROR: Code = crate::rules::input::include_error::INCLUDE_ERROR.code;

/// WXC005: a malformed or unbalanced directive, a bad `<?if?>` expression, `<?error?>` and
/// `<?warning?>` (the latter as a warning), and redefinitions with a different value.
pub const PREPROCESSOR_ERROR: Code =
    crate::rules::input::preprocessor_error::PREPROCESSOR_ERROR.code;

/// How deeply `<?include?>` files may nest.
pub const MAX_INCLUDE_DEPTH: usize = 64;

/// What the command line (and later the config file) feeds the preprocessor.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// `-d NAME=VALUE`, in order.
    pub defines: Vec<(String, String)>,
    /// `-I DIR`, searched in order after the including file's directory.
    pub include_dirs: Vec<PathBuf>,
    /// `sys.BUILDARCH`: x86, x64 or arm64 (empty means x86).
    pub arch: String,
    /// `sys.WIXMAJORVERSION` / `sys.WIXVERSION`; `None` means the newest WiX (6).
    pub wix_major: Option<u8>,
}

/// An element as the preprocessor delivers it.
pub struct ElementView<'a> {
    pub element: Element<'a>,
    pub attributes: Vec<AttributeView<'a>>,
    /// The `<?include?>` instructions that brought this element in, innermost first.
    pub included_from: &'a [Span],
    /// The text of the file the element is written in, for reading values as written.
    pub source: &'a str,
}

/// An attribute with its value after variable substitution.
pub struct AttributeView<'a> {
    pub attribute: Attribute<'a>,
    pub value: Cow<'a, str>,
    pub name_span: Span,
    pub value_span: Span,
}

impl<'a> ElementView<'a> {
    /// The file text at `span` (a span inside this element's file), as written.
    pub fn raw(&self, span: Span) -> &'a str {
        self.source
            .get(span.start as usize..span.end as usize)
            .unwrap_or_default()
    }

    pub fn attribute(&self, name: &str) -> Option<&AttributeView<'a>> {
        self.attributes
            .iter()
            .find(|a| a.attribute.is_unprefixed() && a.attribute.name() == name)
    }
}

/// Receives the preprocessed document, element by element, in document order.
pub trait Visitor {
    fn start_element(&mut self, element: &ElementView<'_>);
    /// The element last started ends; `element` is its whole span.
    fn end_element(&mut self, element: Span);
    /// Character data directly inside the current element: its value (unescaped,
    /// preprocessed) and `raw`, the file text at `span` as written.
    fn text(&mut self, value: &str, raw: &str, span: Span);
    /// A comment directly inside the current element (or at top level).
    fn comment(&mut self, text: &str, span: Span);
}

/// Where a walk gets the files `<?include?>` names.
pub enum Includes<'a> {
    /// Read from disk and added to the run's sources; a file already there under the same
    /// path is reused rather than read again.
    Read(&'a mut SourceDb),
    /// Nowhere: the walk stops at the first `<?include?>` it would follow, and returns
    /// [`Walked::Deferred`]. Walks that run in parallel use this, and walk such files again
    /// with `Read`, one after the other in the given order, so that included files get the
    /// same ids whatever the number of threads.
    Deferred,
}

/// How a walk ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Walked {
    Complete,
    /// It needed an included file and had [`Includes::Deferred`], or it was streamed and
    /// the file needs a tree ([`xml::Streamed::NeedsTree`]): what it delivered and recorded
    /// is incomplete and must be thrown away.
    Deferred,
}

/// Walks `document`, the file at `path`, applying preprocessor directives; problems go to
/// `diagnostics`, what the walk did (for explaining diagnostics later) to `trace`.
pub fn walk(
    path: &Path,
    includes: Includes<'_>,
    document: &Document,
    settings: &Settings,
    visitor: &mut dyn Visitor,
    diagnostics: &mut Vec<Diagnostic>,
    trace: &mut Trace,
) -> Walked {
    let main = (document.file(), document.text());
    walker::Walker::new(path, includes, main, settings, diagnostics, trace).run(document, visitor)
}

/// Walks the file `file` at `path` as it is parsed, without a tree, if it has no directive
/// (else the walk is [`Walked::Deferred`]): there is only `$(…)` to substitute. A file that
/// is not well-formed is an error, and what the visitor was given must then be thrown away.
pub fn walk_streamed(
    path: &Path,
    (file, text): (FileId, &str),
    reading: xml::Reading,
    settings: &Settings,
    visitor: &mut dyn Visitor,
    diagnostics: &mut Vec<Diagnostic>,
    trace: &mut Trace,
) -> Result<Walked, xml::XmlError> {
    let includes = Includes::Deferred;
    let walker = walker::Walker::new(path, includes, (file, text), settings, diagnostics, trace);
    walker.stream(reading, visitor)
}
