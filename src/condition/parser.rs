//! Recursive descent over the tokens, with the nesting of parentheses and `NOT` bounded so
//! that no input can exhaust the stack.
//!
//! ```text
//! condition := [ imp ]
//! imp  := eqv { IMP eqv }      eqv := xor { EQV xor }      xor := or { XOR or }
//! or   := and { OR and }       and := not { AND not }
//! not  := NOT not | term
//! term := value [ relop value ] | "(" imp ")"
//! ```
//! The first token that does not fit is the error, with what was expected there.

use super::ast::{Comparison, Expr, LogicalOp, Value, ValueKind};
use super::lexer::{tokenize, LexError, Token, TokenKind};
use super::source_map::SourceMap;
use super::SyntaxError;
use std::ops::Range;

/// How deeply parentheses and `NOT` may nest.
pub const MAX_NESTING: usize = 100;

/// Parses `text`; `None` for an empty (all-whitespace) condition.
pub(super) fn parse(text: &str, map: &SourceMap) -> Result<Option<Expr>, SyntaxError> {
    let (tokens, lex_error) = tokenize(text);
    let mut parser = Parser {
        text,
        map,
        tokens,
        lex_error,
        next: 0,
        depth: 0,
    };
    if parser.peek().is_none() {
        return match parser.lex_error.take() {
            Some(error) => Err(parser.lex(error)),
            None => Ok(None),
        };
    }
    let expr = parser.logical(0)?;
    match parser.peek() {
        None => match parser.lex_error.take() {
            Some(error) => Err(parser.lex(error)),
            None => Ok(Some(expr)),
        },
        Some(token) if token.kind == TokenKind::Close => {
            let span = map.span(token.range.clone());
            Err(SyntaxError::new(span, "this `)` has no matching `(`")
                .with_help("remove it, or add the `(` it closes"))
        }
        Some(token) => {
            let found = parser.describe(token);
            let span = map.span(token.range.clone());
            let message = format!(
                "expected AND, OR, XOR, EQV, IMP or the end of the condition, found {found}"
            );
            Err(SyntaxError::new(span, message))
        }
    }
}

struct Parser<'t> {
    text: &'t str,
    map: &'t SourceMap,
    tokens: Vec<Token>,
    lex_error: Option<LexError>,
    next: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.next)
    }

    fn lex(&self, error: LexError) -> SyntaxError {
        let mut syntax = SyntaxError::new(self.map.span(error.range), error.message);
        syntax.help = error.help;
        syntax
    }

    /// How a token is named in messages: its text, quoted.
    fn describe(&self, token: &Token) -> String {
        format!("`{}`", &self.text[token.range.clone()])
    }

    /// The error for a missing token at the current position: the lexer's error when it
    /// stopped here, else "expected …, found …" on the current token, or on the last token
    /// read at the end of the text.
    fn expected(&mut self, what: &str) -> SyntaxError {
        if let Some(token) = self.peek() {
            let found = self.describe(token);
            let span = self.map.span(token.range.clone());
            return SyntaxError::new(span, format!("expected {what}, found {found}"));
        }
        if let Some(error) = self.lex_error.take() {
            return self.lex(error);
        }
        let previous = self
            .next
            .checked_sub(1)
            .and_then(|index| self.tokens.get(index))
            .map_or(0..0, |token| token.range.clone());
        let span = self.map.span(previous);
        SyntaxError::new(
            span,
            format!("expected {what} after this, found the end of the condition"),
        )
    }

    fn logical(&mut self, level: usize) -> Result<Expr, SyntaxError> {
        let Some(&op) = LogicalOp::BY_LOOSENESS.get(level) else {
            return self.negation();
        };
        let first = self.logical(level + 1)?;
        let mut operands = vec![first];
        let mut operators = Vec::new();
        while let Some(token) = self.peek().filter(|t| t.kind == TokenKind::Logical(op)) {
            let range = token.range.clone();
            self.next += 1;
            operators.push(self.map.span(range));
            operands.push(self.logical(level + 1)?);
        }
        if operators.is_empty() {
            return Ok(operands.swap_remove(0));
        }
        Ok(Expr::Logical {
            op,
            operands,
            operators,
        })
    }

    /// Runs `inner` one nesting level deeper, refusing past [`MAX_NESTING`].
    fn nested<T>(
        &mut self,
        at: &Range<usize>,
        inner: impl FnOnce(&mut Self) -> Result<T, SyntaxError>,
    ) -> Result<T, SyntaxError> {
        if self.depth >= MAX_NESTING {
            let span = self.map.span(at.clone());
            return Err(SyntaxError::new(
                span,
                format!("parentheses and NOT nest more than {MAX_NESTING} deep here"),
            )
            .with_help("simplify the condition, or compute part of it into a property"));
        }
        self.depth += 1;
        let result = inner(self);
        self.depth -= 1;
        result
    }

    fn negation(&mut self) -> Result<Expr, SyntaxError> {
        let Some(token) = self.peek().filter(|t| t.kind == TokenKind::Not) else {
            return self.term();
        };
        let range = token.range.clone();
        self.next += 1;
        let keyword = self.map.span(range.clone());
        let operand = self.nested(&range, Self::negation)?;
        Ok(Expr::Not {
            keyword,
            operand: Box::new(operand),
        })
    }

    fn term(&mut self) -> Result<Expr, SyntaxError> {
        let Some(token) = self.peek().cloned() else {
            return Err(self.expected("a value, `(` or NOT"));
        };
        match token.kind {
            TokenKind::Open => self.group(token.range),
            TokenKind::Value { kind, name } => {
                self.next += 1;
                let left = self.value(kind, name, token.range.clone());
                self.comparison(left, &token.range)
            }
            _ => Err(self.expected("a value, `(` or NOT")),
        }
    }

    fn group(&mut self, open: Range<usize>) -> Result<Expr, SyntaxError> {
        self.next += 1;
        let inner = self.nested(&open, |parser| parser.logical(0))?;
        let open_span = self.map.span(open.clone());
        let close = match self.peek() {
            Some(token) if token.kind == TokenKind::Close => token.range.clone(),
            _ => {
                let error = self.expected("`)` to close the `(`");
                return Err(error.with_label(open_span, "this `(` is not closed"));
            }
        };
        self.next += 1;
        self.refuse_relop(
            "expected AND, OR or `)` after a parenthesized expression, found a comparison operator",
            "only values can be compared: write `A = 1`, not `(A) = 1`",
        )?;
        Ok(Expr::Group {
            open: open_span,
            inner: Box::new(inner),
            close: self.map.span(close),
        })
    }

    /// A comparison operator where none may stand is the error `message`.
    fn refuse_relop(&self, message: &str, help: &str) -> Result<(), SyntaxError> {
        match self.peek() {
            Some(token) if matches!(token.kind, TokenKind::Relop(_)) => {
                let span = self.map.span(token.range.clone());
                Err(SyntaxError::new(span, message).with_help(help))
            }
            _ => Ok(()),
        }
    }

    fn comparison(&mut self, left: Value, left_range: &Range<usize>) -> Result<Expr, SyntaxError> {
        let Some(token) = self.peek().cloned() else {
            return Ok(Expr::Value(left));
        };
        let (TokenKind::Relop(op), op_range) = (&token.kind, token.range.clone()) else {
            if let TokenKind::Value { .. } = token.kind {
                let span = self.map.span(token.range.clone());
                let found = self.describe(&token);
                let previous = &self.text[left_range.clone()];
                return Err(SyntaxError::new(
                    span,
                    format!("expected an operator after `{previous}`, found {found}"),
                )
                .with_help(
                    "values are joined by a comparison (`=`, `<>`, …) or by AND, OR, XOR, EQV, IMP",
                ));
            }
            return Ok(Expr::Value(left));
        };
        let op = *op;
        self.next += 1;
        let right = match self.peek().cloned() {
            Some(Token {
                kind: TokenKind::Value { kind, name },
                range,
            }) => {
                self.next += 1;
                self.value(kind, name, range)
            }
            _ => {
                let what = format!("a value after `{}`", &self.text[op_range.clone()]);
                return Err(self.expected(&what));
            }
        };
        self.refuse_relop(
            "expected AND, OR or the end of the comparison, found a second comparison operator",
            "comparisons cannot be chained: write `A < B AND B < C`",
        )?;
        Ok(Expr::Comparison(Comparison {
            left,
            op,
            op_span: self.map.span(op_range),
            right,
        }))
    }

    fn value(&self, kind: ValueKind, name: Range<usize>, range: Range<usize>) -> Value {
        Value {
            kind,
            text: self.text[name.clone()].to_string(),
            span: self.map.span(range),
            name_span: self.map.span(name),
        }
    }
}
