//! The syntax tree of one condition, and the printer that writes it back as text.
//!
//! Every node keeps the file span of the text it was parsed from. A chain of one logical
//! operator (`A AND B AND C`) is one [`Expr::Logical`] node with all its operands, so a long
//! chain makes a wide tree, never a deep one; only parentheses and `NOT` add depth, and the
//! parser bounds those.

use crate::source::Span;
use std::fmt;

/// A condition expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    /// A lone value: true when it is a non-empty string or a non-zero integer.
    Value(Value),
    Comparison(Comparison),
    Not {
        keyword: Span,
        operand: Box<Expr>,
    },
    /// `( inner )`, kept so that spans and printing follow the source.
    Group {
        open: Span,
        inner: Box<Expr>,
        close: Span,
    },
    /// Two or more operands joined by the same operator, evaluated left to right;
    /// `operators[i]` is the keyword between `operands[i]` and `operands[i + 1]`.
    Logical {
        op: LogicalOp,
        operands: Vec<Expr>,
        operators: Vec<Span>,
    },
}

/// The logical operators, from the most tightly binding (`And`) to the loosest (`Imp`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LogicalOp {
    And,
    Or,
    Xor,
    Eqv,
    Imp,
}

impl LogicalOp {
    /// Loosest first: the order the parser descends in.
    pub const BY_LOOSENESS: [LogicalOp; 5] = [
        LogicalOp::Imp,
        LogicalOp::Eqv,
        LogicalOp::Xor,
        LogicalOp::Or,
        LogicalOp::And,
    ];

    pub fn keyword(self) -> &'static str {
        match self {
            LogicalOp::And => "AND",
            LogicalOp::Or => "OR",
            LogicalOp::Xor => "XOR",
            LogicalOp::Eqv => "EQV",
            LogicalOp::Imp => "IMP",
        }
    }
}

/// `left op right`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comparison {
    pub left: Value,
    pub op: Relop,
    pub op_span: Span,
    pub right: Value,
}

impl Comparison {
    /// Whether this compares the property `property` for (case-sensitive, or with `~=`
    /// case-insensitive) equality with the literal `literal`, on either side:
    /// `REMOVE="ALL"`, `"ALL"=REMOVE` and `REMOVE~="all"` all test (`REMOVE`, `ALL`).
    pub fn tests_property_equals(&self, property: &str, literal: &str) -> bool {
        if self.op.kind != RelopKind::Eq {
            return false;
        }
        let matches = |symbol: &Value, text: &Value| {
            symbol.kind == ValueKind::Property
                && symbol.text == property
                && text.kind == ValueKind::Literal
                && if self.op.case_insensitive {
                    text.text.eq_ignore_ascii_case(literal)
                } else {
                    text.text == literal
                }
        };
        matches(&self.left, &self.right) || matches(&self.right, &self.left)
    }
}

/// A comparison operator: `=`, `<>`, `<`, `>`, `<=`, `>=`, `><`, `<<`, `>>`, each with an
/// optional `~` prefix that makes string comparison case-insensitive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Relop {
    pub kind: RelopKind,
    pub case_insensitive: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RelopKind {
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
    /// `><`: the left string contains the right one (integers: any bits in common).
    Contains,
    /// `<<`: the left string starts with the right one (integers: high 16 bits equal).
    StartsWith,
    /// `>>`: the left string ends with the right one (integers: low 16 bits equal).
    EndsWith,
}

impl RelopKind {
    pub const ALL: [RelopKind; 9] = [
        RelopKind::Eq,
        RelopKind::Ne,
        RelopKind::Lt,
        RelopKind::Gt,
        RelopKind::Le,
        RelopKind::Ge,
        RelopKind::Contains,
        RelopKind::StartsWith,
        RelopKind::EndsWith,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RelopKind::Eq => "=",
            RelopKind::Ne => "<>",
            RelopKind::Lt => "<",
            RelopKind::Gt => ">",
            RelopKind::Le => "<=",
            RelopKind::Ge => ">=",
            RelopKind::Contains => "><",
            RelopKind::StartsWith => "<<",
            RelopKind::EndsWith => ">>",
        }
    }
}

impl fmt::Display for Relop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.case_insensitive {
            f.write_str("~")?;
        }
        f.write_str(self.kind.as_str())
    }
}

/// What a value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValueKind {
    /// `NAME`: a property's value.
    Property,
    /// `%NAME`: an environment variable.
    Environment,
    /// `$NAME`: a component's action state.
    ComponentAction,
    /// `?NAME`: a component's installed state.
    ComponentState,
    /// `&NAME`: a feature's action state.
    FeatureAction,
    /// `!NAME`: a feature's installed state.
    FeatureState,
    /// `"text"`.
    Literal,
    /// `123`, `-1`.
    Integer,
    /// `$(var.X)` or `!(loc.X)` left unresolved: WiX replaces it before Windows Installer
    /// reads the condition, so it is an opaque value here.
    WixVariable,
}

impl ValueKind {
    /// The prefix written before a symbol's name.
    pub fn prefix(self) -> &'static str {
        match self {
            ValueKind::Environment => "%",
            ValueKind::ComponentAction => "$",
            ValueKind::ComponentState => "?",
            ValueKind::FeatureAction => "&",
            ValueKind::FeatureState => "!",
            _ => "",
        }
    }

    /// The prefixed symbol kind for a prefix character.
    pub fn for_prefix(prefix: char) -> Option<ValueKind> {
        Some(match prefix {
            '%' => ValueKind::Environment,
            '$' => ValueKind::ComponentAction,
            '?' => ValueKind::ComponentState,
            '&' => ValueKind::FeatureAction,
            '!' => ValueKind::FeatureState,
            _ => return None,
        })
    }

    /// `&F`, `!F`: names a Feature.
    pub fn names_feature(self) -> bool {
        matches!(self, ValueKind::FeatureAction | ValueKind::FeatureState)
    }

    /// `$C`, `?C`: names a Component.
    pub fn names_component(self) -> bool {
        matches!(self, ValueKind::ComponentAction | ValueKind::ComponentState)
    }
}

/// A value with the text that names it: the symbol name (without prefix), the literal's
/// content (without quotes), the integer's digits, or the variable reference as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Value {
    pub kind: ValueKind,
    pub text: String,
    /// The whole token, with its prefix or quotes.
    pub span: Span,
    /// Just the name, literal content or digits.
    pub name_span: Span,
}

impl Expr {
    /// Every node, in pre-order and document order, without recursion.
    pub fn nodes(&self) -> Nodes<'_> {
        Nodes { stack: vec![self] }
    }

    /// Every value (lone, or either side of a comparison), in document order.
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.nodes().flat_map(|node| {
            let (first, second) = match node {
                Expr::Value(value) => (Some(value), None),
                Expr::Comparison(comparison) => (Some(&comparison.left), Some(&comparison.right)),
                _ => (None, None),
            };
            first.into_iter().chain(second)
        })
    }
}

/// See [`Expr::nodes`].
pub struct Nodes<'e> {
    stack: Vec<&'e Expr>,
}

impl<'e> Iterator for Nodes<'e> {
    type Item = &'e Expr;

    fn next(&mut self) -> Option<&'e Expr> {
        let node = self.stack.pop()?;
        match node {
            Expr::Not { operand, .. } => self.stack.push(operand),
            Expr::Group { inner, .. } => self.stack.push(inner),
            Expr::Logical { operands, .. } => self.stack.extend(operands.iter().rev()),
            Expr::Value(_) | Expr::Comparison(_) => {}
        }
        Some(node)
    }
}

/// Writes the expression back as condition text: single spaces between tokens, keywords in
/// upper case, parentheses exactly where [`Expr::Group`] nodes are.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Value(value) => value.fmt(f),
            Expr::Comparison(c) => write!(f, "{} {} {}", c.left, c.op, c.right),
            Expr::Not { operand, .. } => write!(f, "NOT {operand}"),
            Expr::Group { inner, .. } => write!(f, "({inner})"),
            Expr::Logical { op, operands, .. } => {
                for (index, operand) in operands.iter().enumerate() {
                    if index > 0 {
                        write!(f, " {} ", op.keyword())?;
                    }
                    operand.fmt(f)?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ValueKind::Literal => write!(f, "\"{}\"", self.text),
            kind => write!(f, "{}{}", kind.prefix(), self.text),
        }
    }
}
