//! `<?if?>` / `<?elseif?>` expressions, evaluated the way WiX's `Preprocessor` does.
//!
//! WiX reads an expression left to right with no precedence between `AND` and `OR`:
//! `a AND b OR c` is `(a AND b) OR c`. `NOT` negates the next operand and then carries on
//! with the rest of the current parenthesised group, so `a AND NOT b OR c` is
//! `a AND ((NOT b) OR c)`. Comparisons (`=`, `==`, `!=`, `~=`, `<`, `<=`, `>`, `>=`) bind
//! tightest; the ordering ones need integers. A bare `$(X)` is true unless it is empty, `0`,
//! `false` or `no`, and false when undefined; comparing an undefined variable is an error.
//! Every operand is evaluated (no short-circuit), like WiX. Nesting is handled with an
//! explicit stack, so a deeply parenthesised expression cannot exhaust the call stack.

use std::ops::Range;

/// What the evaluator needs from the walk: variable values and string substitution.
pub(crate) trait Environment {
    /// The value of the reference `$(...)` written at `range` of the expression, or `None`
    /// when it names no variable.
    fn variable(&mut self, reference: &str, range: Range<usize>) -> Option<String>;
    /// A quoted literal's content with `$(...)` replaced (problems reported by the callee).
    fn substitute(&mut self, text: &str, range: Range<usize>) -> String;
}

/// Why an expression could not be evaluated, with the byte range of the expression to blame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ExpressionError {
    pub range: Range<usize>,
    pub message: String,
    pub kind: ErrorKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ErrorKind {
    /// An undefined variable used in a comparison.
    UndefinedInComparison,
    Syntax,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    And,
    Or,
    Not,
}

impl Op {
    fn apply(self, value: bool, previous: bool) -> bool {
        match self {
            Op::And => value && previous,
            Op::Or => value || previous,
            Op::Not => !value,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Waiting {
    /// A `(` whose group is being evaluated.
    Group { open: usize },
    /// A `NOT` whose operand chain is being evaluated.
    Not,
}

/// One token of the expression: where it is, and whether it was quoted.
#[derive(Clone, Debug)]
struct Token {
    range: Range<usize>,
    kind: TokenKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TokenKind {
    /// `"..."` (the range includes the quotes).
    Quoted,
    /// `$(...)`.
    Variable,
    /// Anything else, operators included; may be empty at the end of a group.
    Bare,
}

const OPERATORS: [&str; 8] = ["==", "<=", ">=", "!=", "~=", "=", "<", ">"];

/// Evaluates `expression`.
pub(crate) fn evaluate(
    expression: &str,
    environment: &mut dyn Environment,
) -> Result<bool, ExpressionError> {
    Evaluator {
        text: expression,
        position: 0,
        environment,
    }
    .run()
}

struct Evaluator<'e> {
    text: &'e str,
    position: usize,
    environment: &'e mut dyn Environment,
}

impl<'e> Evaluator<'e> {
    fn run(&mut self) -> Result<bool, ExpressionError> {
        let mut waiting: Vec<(Op, bool, Waiting)> = Vec::new();
        let (mut op, mut previous) = (Op::And, true);
        loop {
            self.skip_whitespace();
            let rest = self.rest();
            if rest.starts_with('(') {
                waiting.push((
                    op,
                    previous,
                    Waiting::Group {
                        open: self.position,
                    },
                ));
                self.position += 1;
                (op, previous) = (Op::And, true);
                continue;
            }
            if starts_with_keyword(rest, "NOT") {
                let at = self.position;
                self.position += 3;
                self.skip_whitespace();
                if self.rest().is_empty() {
                    return Err(self.syntax(at..self.text.len(), "`NOT` needs an operand"));
                }
                waiting.push((op, previous, Waiting::Not));
                (op, previous) = (Op::Not, true);
                continue;
            }
            if rest.is_empty() || rest.starts_with(')') {
                let at = self.position;
                return Err(self.syntax(at..at, "an operand is missing here"));
            }
            let mut value = self.comparison()?;
            // Fold the value into the chain, then close as many groups as end here.
            loop {
                value = op.apply(value, previous);
                self.skip_whitespace();
                let rest = self.rest();
                if starts_with_keyword(rest, "AND") {
                    self.position += 3;
                    (op, previous) = (Op::And, value);
                    break;
                }
                if starts_with_keyword(rest, "OR") {
                    self.position += 2;
                    (op, previous) = (Op::Or, value);
                    break;
                }
                match waiting.pop() {
                    Some((outer, outer_previous, Waiting::Not)) => {
                        (op, previous) = (outer, outer_previous);
                    }
                    Some((outer, outer_previous, Waiting::Group { open })) => {
                        if !rest.starts_with(')') {
                            return Err(self.unexpected_or_unclosed(open));
                        }
                        self.position += 1;
                        (op, previous) = (outer, outer_previous);
                    }
                    None => {
                        if rest.is_empty() {
                            return Ok(value);
                        }
                        return Err(self.unexpected_or_unclosed(usize::MAX));
                    }
                }
            }
        }
    }

    fn unexpected_or_unclosed(&self, open: usize) -> ExpressionError {
        let rest = self.rest();
        if rest.is_empty() && open != usize::MAX {
            return self.syntax(open..open + 1, "this `(` is never closed");
        }
        let at = self.position;
        if rest.starts_with(')') {
            return self.syntax(at..at + 1, "this `)` closes nothing");
        }
        let word = rest.split_whitespace().next().unwrap_or(rest);
        self.syntax(
            at..at + word.len(),
            format!("expected `AND`, `OR` or the end of the expression, found `{word}`"),
        )
    }

    /// `operand [operator operand]`.
    fn comparison(&mut self) -> Result<bool, ExpressionError> {
        let left = self.token()?;
        let left_value = self.operand(&left)?;
        let save = self.position;
        let operator = self.token()?;
        let operator_text = &self.text[operator.range.clone()];
        if operator.kind == TokenKind::Bare && OPERATORS.contains(&operator_text) {
            let operator_text = operator_text.to_string();
            let right = self.token()?;
            let right_value = self.operand(&right)?;
            let (left_value, right_value) = match (left_value, right_value) {
                (Some(l), Some(r)) => (l, r),
                (l, _) => {
                    let culprit = if l.is_none() { left.range } else { right.range };
                    let reference = self.text[culprit.clone()].to_string();
                    return Err(ExpressionError {
                        range: culprit,
                        message: format!(
                            "undefined preprocessor variable `{reference}` in a comparison"
                        ),
                        kind: ErrorKind::UndefinedInComparison,
                    });
                }
            };
            return self.compare(
                left_value.trim(),
                &operator_text,
                right_value.trim(),
                left.range.start..right.range.end,
            );
        }
        if operator.kind == TokenKind::Quoted && OPERATORS.contains(&self.unquoted(&operator)) {
            return Err(self.syntax(operator.range, "an operator must not be quoted"));
        }
        self.position = save;
        match (left.kind, left_value) {
            (_, None) => Ok(false),
            (TokenKind::Variable, Some(value)) => {
                Ok(!matches!(value.as_str(), "" | "0" | "false" | "no"))
            }
            (_, Some(_)) => {
                let literal = self.text[left.range.clone()].to_string();
                Err(self.syntax(
                    left.range,
                    format!(
                        "`{literal}` is a literal; compare it with something or use a variable"
                    ),
                ))
            }
        }
    }

    fn unquoted(&self, token: &Token) -> &str {
        let text = &self.text[token.range.clone()];
        text.strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .unwrap_or(text)
    }

    /// The value of an operand token; `None` for an undefined variable.
    fn operand(&mut self, token: &Token) -> Result<Option<String>, ExpressionError> {
        let text = &self.text[token.range.clone()];
        match token.kind {
            TokenKind::Quoted => {
                let inner = token.range.start + 1..token.range.end - 1;
                let content = &self.text[inner.clone()];
                Ok(Some(self.environment.substitute(content, inner)))
            }
            TokenKind::Variable => Ok(self.environment.variable(text, token.range.clone())),
            TokenKind::Bare => {
                if text.contains(['(', ')']) {
                    return Err(self.syntax(token.range.clone(), "unbalanced parenthesis"));
                }
                if text.contains('"') {
                    return Err(self.syntax(token.range.clone(), "unbalanced quote"));
                }
                Ok(Some(text.to_string()))
            }
        }
    }

    fn compare(
        &self,
        left: &str,
        operator: &str,
        right: &str,
        range: Range<usize>,
    ) -> Result<bool, ExpressionError> {
        Ok(match operator {
            "=" | "==" => left == right,
            "!=" => left != right,
            "~=" => left.to_lowercase() == right.to_lowercase(),
            _ => {
                let (Ok(l), Ok(r)) = (left.parse::<i32>(), right.parse::<i32>()) else {
                    return Err(self.syntax(
                        range,
                        format!("`{operator}` compares integers, but `{left}` {operator} `{right}` is not a comparison of two integers"),
                    ));
                };
                match operator {
                    "<" => l < r,
                    "<=" => l <= r,
                    ">" => l > r,
                    _ => l >= r,
                }
            }
        })
    }

    /// The next token, like WiX's `GetNextToken`; empty `Bare` at the end or before `)`.
    fn token(&mut self) -> Result<Token, ExpressionError> {
        self.skip_whitespace();
        let start = self.position;
        let rest = self.rest();
        if let Some(quoted) = rest.strip_prefix('"') {
            let Some(close) = quoted.find('"') else {
                return Err(self.syntax(start..self.text.len(), "this quote is never closed"));
            };
            self.position = start + close + 2;
            return Ok(Token {
                range: start..self.position,
                kind: TokenKind::Quoted,
            });
        }
        if rest.starts_with("$(") {
            let Some(len) = super::variables::reference_len(rest) else {
                return Err(self.syntax(start..self.text.len(), "this `$(` is never closed"));
            };
            self.position = start + len;
            return Ok(Token {
                range: start..self.position,
                kind: TokenKind::Variable,
            });
        }
        if rest.starts_with(')') {
            return Ok(Token {
                range: start..start,
                kind: TokenKind::Bare,
            });
        }
        if let Some(operator) = OPERATORS.iter().find(|op| rest.starts_with(**op)) {
            self.position = start + operator.len();
            return Ok(Token {
                range: start..self.position,
                kind: TokenKind::Bare,
            });
        }
        let end = rest
            .char_indices()
            .find(|&(index, ch)| {
                matches!(ch, ' ' | '=' | '<' | '>' | '(' | ')')
                    || (matches!(ch, '!' | '~') && rest[index + 1..].starts_with('='))
            })
            .map_or(rest.len(), |(index, _)| index);
        let end = if end == 0 { rest.len().min(1) } else { end };
        let token = rest[..end].trim_end();
        self.position = start + end;
        Ok(Token {
            range: start..start + token.len(),
            kind: TokenKind::Bare,
        })
    }

    fn skip_whitespace(&mut self) {
        let rest = self.rest();
        self.position += rest.len() - rest.trim_start().len();
    }

    fn rest(&self) -> &'e str {
        self.text.get(self.position..).unwrap_or_default()
    }

    fn syntax(&self, range: Range<usize>, message: impl Into<String>) -> ExpressionError {
        ExpressionError {
            range,
            message: message.into(),
            kind: ErrorKind::Syntax,
        }
    }
}

/// `NOT`, `AND`, `OR` in any case, followed by a space or `(` (WiX's `StartsWithKeyword`).
fn starts_with_keyword(text: &str, keyword: &str) -> bool {
    let Some(head) = text.get(..keyword.len()) else {
        return false;
    };
    head.eq_ignore_ascii_case(keyword)
        && matches!(text.as_bytes().get(keyword.len()), Some(b' ' | b'('))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Fake(HashMap<&'static str, &'static str>);

    impl Environment for Fake {
        fn variable(&mut self, reference: &str, _: Range<usize>) -> Option<String> {
            let name = &reference[2..reference.len() - 1];
            let name = name.strip_prefix("var.").unwrap_or(name);
            self.0.get(name).map(|v| v.to_string())
        }

        fn substitute(&mut self, text: &str, _: Range<usize>) -> String {
            text.to_string()
        }
    }

    fn eval(expression: &str) -> Result<bool, ExpressionError> {
        let mut fake = Fake(HashMap::from([
            ("T", "1"),
            ("F", "0"),
            ("Empty", ""),
            ("No", "no"),
            ("False", "false"),
            ("Yes", "yes"),
            ("Arch", "x64"),
            ("Num", "9"),
            ("Spaced", " x64 "),
        ]));
        evaluate(expression, &mut fake)
    }

    fn yes(expression: &str) -> bool {
        match eval(expression) {
            Ok(value) => value,
            Err(error) => panic!("{expression}: {error:?}"),
        }
    }

    #[test]
    fn comparisons() {
        assert!(yes("$(var.Arch) = x64"));
        assert!(yes("$(Arch)=\"x64\""));
        assert!(yes("$(Arch) == x64"));
        assert!(!yes("$(Arch) = X64"));
        assert!(yes("$(Arch) ~= \"X64\""));
        assert!(yes("$(Arch) != x86"));
        assert!(yes("$(Spaced) = x64"), "operands are trimmed");
        assert!(yes("\"$(Arch)\" != \"\""));
        assert!(yes("$(Num) >= 9") && yes("$(Num)>8") && yes("$(Num) < 10") && yes("$(Num) <= 9"));
        assert!(!yes("$(Num) > 9"));
        assert!(yes("x = x"), "bare words are literals");
    }

    #[test]
    fn truthiness_of_bare_variables() {
        assert!(yes("$(T)") && yes("$(Yes)") && yes("$(Arch)"));
        assert!(!yes("$(F)") && !yes("$(Empty)") && !yes("$(No)") && !yes("$(False)"));
        assert!(!yes("$(var.Missing)"), "a bare undefined variable is false");
    }

    #[test]
    fn left_to_right_and_not() {
        // (T AND F) OR T
        assert!(yes("$(T) AND $(F) OR $(T)"));
        // (F OR T) AND F
        assert!(!yes("$(F) OR $(T) AND $(F)"));
        // NOT takes the rest of its group: T AND ((NOT T) OR T)
        assert!(yes("$(T) AND NOT $(T) OR $(T)"));
        // F OR ((NOT F) AND F)
        assert!(!yes("$(F) OR NOT $(F) AND $(F)"));
        assert!(yes("NOT $(F)") && !yes("NOT NOT $(F)"));
        assert!(
            yes("not $(Arch) = x86"),
            "comparisons bind tighter than NOT"
        );
        assert!(yes("$(T) and $(T)") && yes("$(F) Or $(T)"));
    }

    #[test]
    fn parentheses() {
        assert!(!yes("$(F) AND ($(T) OR $(T))"));
        assert!(yes("($(F) AND $(T)) OR $(T)"));
        assert!(yes("(($(Arch) = \"x64\" OR $(Arch) = \"ARM64\")) AND $(T)"));
        assert!(yes("NOT($(F))"));
        assert!(yes("($(Arch)=x64)"));
        assert!(yes("$(T) AND($(T))"));
        let deep = format!("{}$(T){}", "(".repeat(100_000), ")".repeat(100_000));
        assert!(yes(&deep));
        let nots = format!("{}$(T)", "NOT ".repeat(100_001));
        assert!(!yes(&nots));
    }

    #[test]
    fn errors() {
        let undefined = eval("$(var.Missing) = 1").unwrap_err();
        assert_eq!(undefined.kind, ErrorKind::UndefinedInComparison);
        assert_eq!(undefined.range, 0..14);
        let right = eval("1 = $(Missing)").unwrap_err();
        assert_eq!(right.range, 4..14);
        for bad in [
            "",
            "x",
            "\"x\"",
            "$(Arch) = x64 junk",
            "($(T)",
            "$(T))",
            "()",
            "NOT",
            "$(Arch) < 3",
            "\"unterminated",
            "$(T) AND",
            "$(Arch",
        ] {
            let error = eval(bad).expect_err(bad);
            assert_eq!(error.kind, ErrorKind::Syntax, "{bad}");
        }
    }

    #[test]
    fn keywords_need_a_separator() {
        // `NOTE` is a literal, not NOT followed by E.
        assert!(eval("NOTE").is_err());
        assert!(yes("NOTE = NOTE"));
    }
}
