//! Splits condition text into tokens, with byte ranges into that text.
//!
//! The token rules follow Windows Installer's as far as they are known: keywords are
//! case-insensitive whole words; an identifier starts with a letter or `_` and goes on with
//! letters, digits, `_`, `.`, `#` and `-`; a number starts with a digit or `-` and goes on
//! with digits, `-` and `.` (Wine's reimplementation reads `6.1` as one number, so it is not
//! a syntax error even though fractions are not supported); a literal runs from `"` to the
//! next `"` with no escapes. Whitespace is space, tab, CR and LF. Mistakes users make
//! (`==`, `!=`, `&&`, `[PROP]`, single quotes, arithmetic) get their own messages.

use super::ast::{LogicalOp, Relop, RelopKind, ValueKind};
use std::ops::Range;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum TokenKind {
    Open,
    Close,
    Not,
    Logical(LogicalOp),
    Relop(Relop),
    /// A value; `name` is the range of its name, literal content or digits.
    Value {
        kind: ValueKind,
        name: Range<usize>,
    },
}

#[derive(Clone, Debug)]
pub(super) struct Token {
    pub kind: TokenKind,
    pub range: Range<usize>,
}

/// Text that is not a token, and what was expected instead.
#[derive(Clone, Debug)]
pub(super) struct LexError {
    pub range: Range<usize>,
    pub message: String,
    pub help: Option<String>,
}

/// Every token up to the first error, and that error.
pub(super) fn tokenize(text: &str) -> (Vec<Token>, Option<LexError>) {
    let mut lexer = Lexer { text, at: 0 };
    let mut tokens = Vec::new();
    loop {
        match lexer.next_token() {
            Ok(Some(token)) => tokens.push(token),
            Ok(None) => return (tokens, None),
            Err(error) => return (tokens, Some(error)),
        }
    }
}

struct Lexer<'t> {
    text: &'t str,
    at: usize,
}

fn is_space(ch: char) -> bool {
    matches!(ch, ' ' | '\t' | '\r' | '\n')
}

fn starts_identifier(ch: char) -> bool {
    ch.is_ascii_alphabetic() || ch == '_'
}

fn continues_identifier(ch: char) -> bool {
    ch.is_ascii_alphanumeric() || matches!(ch, '_' | '.' | '#' | '-')
}

fn continues_number(ch: char) -> bool {
    ch.is_ascii_digit() || matches!(ch, '-' | '.')
}

fn error(range: Range<usize>, message: impl Into<String>, help: Option<&str>) -> LexError {
    LexError {
        range,
        message: message.into(),
        help: help.map(str::to_string),
    }
}

impl Lexer<'_> {
    fn rest(&self) -> &str {
        &self.text[self.at..]
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.text.get(self.at + offset..)?.chars().next()
    }

    /// Advances over characters while `keep` holds; returns the end offset.
    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> usize {
        let len = self
            .rest()
            .find(|ch: char| !keep(ch))
            .unwrap_or(self.rest().len());
        self.at += len;
        self.at
    }

    fn next_token(&mut self) -> Result<Option<Token>, LexError> {
        self.take_while(is_space);
        let start = self.at;
        let Some(ch) = self.peek_at(0) else {
            return Ok(None);
        };
        let token = |kind, end: usize| {
            Ok(Some(Token {
                kind,
                range: start..end,
            }))
        };
        match ch {
            '(' => {
                self.at += 1;
                token(TokenKind::Open, self.at)
            }
            ')' => {
                self.at += 1;
                token(TokenKind::Close, self.at)
            }
            '"' => {
                let Some(len) = self.text[start + 1..].find('"') else {
                    return Err(error(
                        start..start + 1,
                        "this literal is not closed by a `\"`",
                        Some("close the literal; a literal cannot contain `\"`, so put such text in a property and compare with that"),
                    ));
                };
                let end = start + 1 + len + 1;
                self.at = end;
                token(
                    TokenKind::Value {
                        kind: ValueKind::Literal,
                        name: start + 1..end - 1,
                    },
                    end,
                )
            }
            '=' | '<' | '>' | '~' => self.relop(start),
            '$' | '!' if self.peek_at(1) == Some('(') => self.wix_variable(start),
            '%' | '$' | '?' | '&' | '!' => self.prefixed(start, ch),
            ch if starts_identifier(ch) => {
                let end = self.take_while(continues_identifier);
                let word = &self.text[start..end];
                let kind = match word.to_ascii_uppercase().as_str() {
                    "NOT" => TokenKind::Not,
                    "AND" => TokenKind::Logical(LogicalOp::And),
                    "OR" => TokenKind::Logical(LogicalOp::Or),
                    "XOR" => TokenKind::Logical(LogicalOp::Xor),
                    "EQV" => TokenKind::Logical(LogicalOp::Eqv),
                    "IMP" => TokenKind::Logical(LogicalOp::Imp),
                    _ => TokenKind::Value {
                        kind: ValueKind::Property,
                        name: start..end,
                    },
                };
                token(kind, end)
            }
            ch if ch.is_ascii_digit() || ch == '-' => {
                let end = self.take_while(continues_number);
                if !self.text[start..end].bytes().any(|b| b.is_ascii_digit()) {
                    return Err(error(
                        start..end,
                        "expected a number after `-`",
                        Some("arithmetic is not supported in conditions"),
                    ));
                }
                token(
                    TokenKind::Value {
                        kind: ValueKind::Integer,
                        name: start..end,
                    },
                    end,
                )
            }
            other => Err(self.unexpected(start, other)),
        }
    }

    /// `=`, `<>`, `<`, `>`, `<=`, `>=`, `><`, `<<`, `>>`, each optionally after `~`.
    fn relop(&mut self, start: usize) -> Result<Option<Token>, LexError> {
        let case_insensitive = self.peek_at(0) == Some('~');
        let operator_start = start + usize::from(case_insensitive);
        let text = &self.text[operator_start..];
        if text.starts_with("==") {
            return Err(error(
                start..operator_start + 2,
                "`==` is not a condition operator",
                Some("write `=`"),
            ));
        }
        let kind = RelopKind::ALL
            .iter()
            .copied()
            .filter(|kind| text.starts_with(kind.as_str()))
            .max_by_key(|kind| kind.as_str().len());
        let Some(kind) = kind else {
            return Err(error(
                start..start + 1,
                "expected a comparison operator after `~`, such as `~=` or `~<>`",
                None,
            ));
        };
        let end = operator_start + kind.as_str().len();
        self.at = end;
        Ok(Some(Token {
            kind: TokenKind::Relop(Relop {
                kind,
                case_insensitive,
            }),
            range: start..end,
        }))
    }

    /// `%NAME`, `$NAME`, `?NAME`, `&NAME`, `!NAME` (spaces may follow the prefix).
    fn prefixed(&mut self, start: usize, prefix: char) -> Result<Option<Token>, LexError> {
        let next = self.peek_at(1);
        let misused = match (prefix, next) {
            ('!', Some('=')) => Some(("`!=` is not a condition operator", "write `<>`")),
            ('&', Some('&')) => Some(("`&&` is not a condition operator", "write `AND`")),
            _ => None,
        };
        if let Some((message, help)) = misused {
            return Err(error(start..start + 2, message, Some(help)));
        }
        self.at += 1;
        self.take_while(is_space);
        let name_start = self.at;
        if !self.peek_at(0).is_some_and(starts_identifier) {
            let what = match prefix {
                '%' => "an environment variable",
                '$' | '?' => "a component",
                _ => "a feature",
            };
            return Err(error(
                start..start + 1,
                format!("expected the name of {what} after `{prefix}`"),
                None,
            ));
        }
        let end = self.take_while(continues_identifier);
        let kind = ValueKind::for_prefix(prefix).unwrap_or(ValueKind::Property);
        Ok(Some(Token {
            kind: TokenKind::Value {
                kind,
                name: name_start..end,
            },
            range: start..end,
        }))
    }

    /// `$(var.X)`, `!(loc.X)`: a WiX variable the preprocessor or binder replaces.
    fn wix_variable(&mut self, start: usize) -> Result<Option<Token>, LexError> {
        let Some(len) = self.text[start..].find(')') else {
            return Err(error(
                start..start + 2,
                "this WiX variable reference is not closed by `)`",
                None,
            ));
        };
        let end = start + len + 1;
        self.at = end;
        Ok(Some(Token {
            kind: TokenKind::Value {
                kind: ValueKind::WixVariable,
                name: start..end,
            },
            range: start..end,
        }))
    }

    fn unexpected(&self, start: usize, ch: char) -> LexError {
        let one = start..start + ch.len_utf8();
        match ch {
            '[' => {
                let end = self.text[start..]
                    .find(']')
                    .map_or(one.end, |len| start + len + 1);
                let inner = self.text[start + 1..end].trim_end_matches(']');
                error(
                    start..end,
                    "formatted text like `[PROPERTY]` is not condition syntax",
                    Some(&format!(
                        "a condition names properties directly: write `{inner}` instead of `[{inner}]`"
                    )),
                )
            }
            '\'' => error(
                one,
                "literals are written in double quotes, not `'`",
                Some("write \"text\"; in an XML attribute delimited by double quotes, use `&quot;` or delimit the attribute with single quotes"),
            ),
            '|' if self.peek_at(1) == Some('|') => error(
                start..start + 2,
                "`||` is not a condition operator",
                Some("write `OR`"),
            ),
            '+' | '*' | '/' => error(one, "arithmetic is not supported in conditions", None),
            _ => error(
                one,
                format!("unexpected character `{ch}`: expected a property, a literal, a number, `(`, NOT or an operator"),
                None,
            ),
        }
    }
}
