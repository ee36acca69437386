//! MSI conditional statements: a parser whose every token keeps its span in the file.
//!
//! A [`Condition`] is what the model stores wherever a condition is written — a sequence
//! row (`ActionRow::condition`, including SetProperty and SetDirectory rows), a launch
//! condition, a Feature `Level` condition, a Component condition, a Publish or Control
//! condition (`model::ConditionSite`). It is parsed once, when the model is built:
//!
//! - [`Condition::expression`] is the tree ([`Expr`]), `None` for an empty condition or a
//!   syntax error; [`Condition::syntax_error`] is the error (WXC401 reports it).
//! - [`Condition::property_references`] yields every bare property name with its span;
//!   [`Condition::values`] every value including `%ENV`, `$C`, `?C`, `&F`, `!F`, literals
//!   and integers; [`Condition::comparisons`] every `left op right`, and
//!   [`Comparison::tests_property_equals`] finds `REMOVE="ALL"`, `REMOVE~="all"` and
//!   `"ALL"=REMOVE` alike.
//!
//! Spans point at the text as written: through `&lt;`, `&quot;`, character references and
//! CDATA sections, in v3 inner text as well as v4 attributes; text that a `$(var.X)`
//! produced points at the whole reference. The grammar is `rule-catalogue.md` §3 (with Wine's
//! `cond.y` for what Microsoft leaves open); precedence from loosest to tightest is IMP, EQV,
//! XOR, OR, AND, NOT, then comparisons. Parentheses and `NOT` may nest [`MAX_NESTING`] deep;
//! deeper input is a syntax error, so no input can overflow the stack.

mod ast;
mod lexer;
mod parser;
mod source_map;

#[cfg(test)]
mod tests;

pub(crate) use crate::source::Span;
pub use ast::{Comparison, Expr, LogicalOp, Nodes, Relop, RelopKind, Value, ValueKind};
pub use parser::MAX_NESTING;
pub(crate) use source_map::SourceMap;

/// A condition as written in a source file, parsed.
#[derive(Clone, Debug)]
pub struct Condition {
    /// The text Windows Installer reads: XML-unescaped and preprocessed.
    pub value: String,
    /// Where the condition is written: the attribute value, or the element's inner text.
    pub span: Span,
    parsed: Result<Option<Expr>, SyntaxError>,
}

/// Why a condition does not parse: the exact token that is wrong and what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
    /// A secondary location, e.g. the `(` that is never closed.
    pub label: Option<(Span, String)>,
    pub help: Option<String>,
}

impl SyntaxError {
    fn new(span: Span, message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            span,
            message: message.into(),
            label: None,
            help: None,
        }
    }

    fn with_help(mut self, help: impl Into<String>) -> SyntaxError {
        self.help = Some(help.into());
        self
    }

    fn with_label(mut self, span: Span, message: impl Into<String>) -> SyntaxError {
        self.label = Some((span, message.into()));
        self
    }
}

impl Condition {
    /// Parses `value`, which is `raw` (the file text at `span`) after XML unescaping and
    /// preprocessing.
    pub fn new(value: String, span: Span, raw: &str) -> Condition {
        let map = SourceMap::new(&value, span, raw);
        let parsed = parser::parse(&value, &map);
        Condition {
            value,
            span,
            parsed,
        }
    }

    /// The parsed expression; `None` when the condition is empty or does not parse.
    pub fn expression(&self) -> Option<&Expr> {
        self.parsed.as_ref().ok().and_then(Option::as_ref)
    }

    pub fn syntax_error(&self) -> Option<&SyntaxError> {
        self.parsed.as_ref().err()
    }

    /// Empty or all whitespace: Windows Installer treats it as no condition at all.
    pub fn is_empty(&self) -> bool {
        matches!(self.parsed, Ok(None))
    }

    /// Every value in document order (nothing when the condition does not parse).
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.expression().into_iter().flat_map(Expr::values)
    }

    /// Every bare property name (no `%`, `$`, `?`, `&`, `!` prefix) with its file span.
    pub fn property_references(&self) -> impl Iterator<Item = (&str, Span)> {
        self.values()
            .filter(|value| value.kind == ValueKind::Property)
            .map(|value| (value.text.as_str(), value.span))
    }

    /// Every comparison, in document order.
    pub fn comparisons(&self) -> impl Iterator<Item = &Comparison> {
        self.expression()
            .into_iter()
            .flat_map(Expr::nodes)
            .filter_map(|node| match node {
                Expr::Comparison(comparison) => Some(comparison),
                _ => None,
            })
    }
}
