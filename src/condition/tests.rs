//! Parser tests over the grammar's corners, spans through XML escapes, and a deterministic
//! randomised test: random text never panics, random trees print and parse back unchanged.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::source::FileId;

/// Parses `text` written verbatim at offset 0 of a file.
fn parse(text: &str) -> Condition {
    Condition::new(
        text.to_string(),
        Span::new(FileId::first(), 0, text.len()),
        text,
    )
}

/// The tree as an S-expression without spans: `(AND (NOT A) (= B "x"))`, groups as `[…]`.
fn shape(expr: &Expr) -> String {
    match expr {
        Expr::Value(value) => value.to_string(),
        Expr::Comparison(c) => format!("({} {} {})", c.op, c.left, c.right),
        Expr::Not { operand, .. } => format!("(NOT {})", shape(operand)),
        Expr::Group { inner, .. } => format!("[{}]", shape(inner)),
        Expr::Logical { op, operands, .. } => {
            let parts: Vec<String> = operands.iter().map(shape).collect();
            format!("({} {})", op.keyword(), parts.join(" "))
        }
    }
}

fn shape_of(text: &str) -> String {
    let condition = parse(text);
    if let Some(error) = condition.syntax_error() {
        panic!("`{text}` does not parse: {error:?}");
    }
    condition.expression().map_or(String::new(), shape)
}

/// The error's message and the text its span covers.
fn error_of(text: &str) -> (String, String) {
    let condition = parse(text);
    let error = condition
        .syntax_error()
        .unwrap_or_else(|| panic!("`{text}` parses"));
    let at = text[error.span.start as usize..error.span.end as usize].to_string();
    (error.message.clone(), at)
}

#[test]
fn precedence_from_imp_down_to_not() {
    assert_eq!(shape_of("A OR B AND C"), "(OR A (AND B C))");
    assert_eq!(shape_of("A AND B OR C"), "(OR (AND A B) C)");
    assert_eq!(
        shape_of("A IMP B EQV C XOR D OR E AND F"),
        "(IMP A (EQV B (XOR C (OR D (AND E F)))))"
    );
    assert_eq!(shape_of("A AND B AND C"), "(AND A B C)");
    assert_eq!(shape_of("NOT A = B"), "(NOT (= A B))");
    assert_eq!(shape_of("NOT NOT A AND B"), "(AND (NOT (NOT A)) B)");
    assert_eq!(shape_of("(A OR B) AND C"), "(AND [(OR A B)] C)");
    assert_eq!(shape_of("NOT(A)"), "(NOT [A])");
}

#[test]
fn keywords_are_case_insensitive_whole_words() {
    assert_eq!(
        shape_of("not Installed And NOTE oR ORDER"),
        "(OR (AND (NOT Installed) NOTE) ORDER)"
    );
}

#[test]
fn every_relop_with_and_without_tilde() {
    for kind in RelopKind::ALL {
        let op = kind.as_str();
        assert_eq!(shape_of(&format!("A{op}B")), format!("({op} A B)"));
        assert_eq!(
            shape_of(&format!("A ~{op} \"b\"")),
            format!("(~{op} A \"b\")")
        );
    }
    assert_eq!(
        shape_of("PATCH >< MEDIASRCPROPNAME"),
        "(>< PATCH MEDIASRCPROPNAME)"
    );
    assert_eq!(
        shape_of("A<<\"x\" AND B>>\"y\""),
        "(AND (<< A \"x\") (>> B \"y\"))"
    );
}

#[test]
fn values_literals_numbers_and_prefixes() {
    assert_eq!(shape_of("A = \"x (y) AND z\""), "(= A \"x (y) AND z\")");
    assert_eq!(shape_of("A = \"\""), "(= A \"\")");
    assert_eq!(shape_of("VersionNT >= 601"), "(>= VersionNT 601)");
    assert_eq!(shape_of("A = -1"), "(= A -1)");
    assert_eq!(shape_of("VersionNT >= 6.1"), "(>= VersionNT 6.1)");
    assert_eq!(
        shape_of("%PATH AND $C=3 AND ?C=3 AND &F=3 AND !F=2"),
        "(AND %PATH (= $C 3) (= ?C 3) (= &F 3) (= !F 2))"
    );
    assert_eq!(shape_of("& F = 3"), "(= &F 3)");
    assert_eq!(shape_of("Prop.Name_1#x"), "Prop.Name_1#x");
    assert_eq!(shape_of("$(var.Cond) OR A"), "(OR $(var.Cond) A)");
}

#[test]
fn empty_conditions_are_empty_not_errors() {
    for text in ["", "   ", " \t\r\n "] {
        let condition = parse(text);
        assert!(condition.is_empty(), "{text:?}");
        assert!(condition.syntax_error().is_none());
        assert_eq!(condition.values().count(), 0);
    }
    assert!(!parse("A").is_empty());
}

#[test]
fn errors_point_at_the_wrong_token() {
    let cases = [
        ("REMOVE == \"ALL\"", "==", "`==` is not"),
        ("A != B", "!=", "`!=` is not"),
        ("A && B", "&&", "`&&` is not"),
        ("A || B", "||", "`||` is not"),
        ("[Installed]", "[Installed]", "formatted text"),
        ("A = 'x'", "'", "double quotes"),
        ("A = \"x", "\"", "not closed"),
        ("A = 1 + 2", "+", "arithmetic"),
        ("(A", "A", "expected `)`"),
        ("A)", ")", "no matching `(`"),
        ("(A) = 1", "=", "parenthesized"),
        ("A =", "=", "expected a value after `=`"),
        ("A = AND B", "AND", "expected a value after `=`"),
        ("A B", "B", "expected an operator after `A`"),
        ("A = 1 = 2", "=", "second comparison"),
        ("AND A", "AND", "expected a value, `(` or NOT"),
        ("NOT", "NOT", "found the end"),
        ("A AND", "AND", "found the end"),
        ("A ~ B", "~", "after `~`"),
        ("& = 3", "&", "name of a feature"),
        ("A = @", "@", "unexpected character"),
        ("A = B OR (C", "C", "expected `)`"),
    ];
    for (text, at, message) in cases {
        let (actual_message, actual_at) = error_of(text);
        assert_eq!(actual_at, at, "span for `{text}`: {actual_message}");
        assert!(
            actual_message.contains(message),
            "`{text}`: {actual_message:?} lacks {message:?}"
        );
        assert!(!actual_message.ends_with('.'));
    }
}

#[test]
fn the_first_error_wins_over_a_later_bad_character() {
    let (message, at) = error_of("A B @");
    assert_eq!(at, "B", "{message}");
    let (message, at) = error_of("A AND @");
    assert_eq!(at, "@", "{message}");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash_and_long_chains_are_fine() {
    let parens = "(".repeat(100_000);
    let (message, at) = error_of(&parens);
    assert!(message.contains("nest more than"), "{message}");
    assert_eq!(at, "(");
    let nots = "NOT ".repeat(100_000) + "A";
    assert!(error_of(&nots).0.contains("nest more than"));
    let ok = format!("{}A{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
    assert!(parse(&ok).syntax_error().is_none());
    let chain = vec!["A"; 100_000].join(" OR ");
    let condition = parse(&chain);
    assert_eq!(condition.property_references().count(), 100_000);
    let mixed = vec!["A AND B"; 50_000].join(" OR ");
    assert_eq!(parse(&mixed).values().count(), 100_000);
}

#[test]
fn property_references_and_comparisons() {
    let condition =
        parse("NOT Installed AND REMOVE~=\"all\" AND &F=3 AND %PATH AND (\"ALL\"=REMOVE OR X>1)");
    let names: Vec<&str> = condition.property_references().map(|(n, _)| n).collect();
    assert_eq!(names, ["Installed", "REMOVE", "REMOVE", "X"]);
    let remove_all: Vec<_> = condition
        .comparisons()
        .filter(|c| c.tests_property_equals("REMOVE", "ALL"))
        .collect();
    assert_eq!(remove_all.len(), 2);
    assert!(!parse("REMOVE=\"all\"")
        .comparisons()
        .any(|c| c.tests_property_equals("REMOVE", "ALL")));
    assert!(!parse("REMOVE<>\"ALL\"")
        .comparisons()
        .any(|c| c.tests_property_equals("REMOVE", "ALL")));
    assert!(parse("REMOVE=\"ALL\" OR")
        .property_references()
        .next()
        .is_none());
}

#[test]
fn spans_cover_each_token_as_written_through_escapes() {
    let raw = "REMOVE~=&quot;ALL&quot; AND VersionNT &gt;= 601";
    let file = "<Custom Condition=\"".to_string() + raw + "\"/>";
    let start = file.find(raw).unwrap();
    let span = Span::new(FileId::first(), start, start + raw.len());
    let condition = Condition::new(
        "REMOVE~=\"ALL\" AND VersionNT >= 601".to_string(),
        span,
        raw,
    );
    let text = |span: Span| &file[span.start as usize..span.end as usize];
    let values: Vec<&str> = condition.values().map(|v| text(v.span)).collect();
    assert_eq!(values, ["REMOVE", "&quot;ALL&quot;", "VersionNT", "601"]);
    let ops: Vec<&str> = condition.comparisons().map(|c| text(c.op_span)).collect();
    assert_eq!(ops, ["~=", "&gt;="]);
    let literal = condition.values().nth(1).unwrap();
    assert_eq!(text(literal.name_span), "ALL");
}

#[test]
fn v3_inner_text_with_cdata_and_whitespace() {
    let raw = "\n      <![CDATA[VersionNT < 600 OR &F = 3]]>\n    ";
    let file = format!("<Custom Action=\"A\">{raw}</Custom>");
    let start = file.find(raw).unwrap();
    let span = Span::new(FileId::first(), start, start + raw.len());
    let condition = Condition::new("VersionNT < 600 OR &F = 3".to_string(), span, raw);
    let text = |span: Span| &file[span.start as usize..span.end as usize];
    let values: Vec<&str> = condition.values().map(|v| text(v.span)).collect();
    assert_eq!(values, ["VersionNT", "600", "&F", "3"]);
    let broken = Condition::new("VersionNT <".to_string(), span, "  VersionNT &lt;");
    assert_eq!(broken.syntax_error().map(|e| e.span.len()), Some(4));
}

/// xorshift64*: a small deterministic generator, so failures reproduce.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

#[test]
fn random_text_never_panics_and_what_parses_prints_back() {
    const PIECES: [&str; 30] = [
        " ",
        "A",
        "Installed",
        "REMOVE",
        "\"ALL\"",
        "\"",
        "(",
        ")",
        "NOT",
        "AND",
        "OR",
        "XOR",
        "EQV",
        "IMP",
        "=",
        "<>",
        "<",
        ">",
        "~",
        "><",
        "<<",
        ">>",
        "-",
        "1",
        "&F",
        "$C",
        "%",
        "!",
        "[",
        "é",
    ];
    let mut random = Random(0x9E37_79B9_7F4A_7C15);
    let mut parsed = 0;
    for _ in 0..20_000 {
        let len = random.below(24);
        let text: String = if random.below(4) == 0 {
            let bytes: Vec<u8> = (0..len).map(|_| random.next() as u8).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        } else {
            (0..len)
                .map(|_| {
                    let piece = random.pick(&PIECES);
                    if random.below(2) == 0 {
                        format!("{piece} ")
                    } else {
                        piece.to_string()
                    }
                })
                .collect()
        };
        let condition = parse(&text);
        if let Some(error) = condition.syntax_error() {
            assert!(error.span.end as usize <= text.len(), "{text:?}: {error:?}");
            assert!(error.span.start <= error.span.end);
            continue;
        }
        let Some(expr) = condition.expression() else {
            continue;
        };
        parsed += 1;
        let printed = expr.to_string();
        assert_eq!(
            shape_of(&printed),
            shape(expr),
            "{text:?} printed as {printed:?}"
        );
    }
    assert!(parsed > 250, "only {parsed} random texts parsed");
}

/// A random tree that the printer writes unambiguously: an operand of a looser or equal
/// logical operator is wrapped in a group, as the parser would have read it.
fn random_expr(random: &mut Random, depth: usize) -> Expr {
    let span = Span::new(FileId::first(), 0, 0);
    let value = |random: &mut Random| {
        let (kind, text) = match random.below(9) {
            0 => (
                ValueKind::Literal,
                random.pick(&["", "ALL", "a b", "(x)", "AND"]),
            ),
            1 => (ValueKind::Integer, random.pick(&["0", "3", "-1", "601"])),
            2 => (ValueKind::Environment, "PATH"),
            3 => (ValueKind::ComponentAction, "Comp"),
            4 => (ValueKind::ComponentState, "Comp.1"),
            5 => (ValueKind::FeatureAction, "Main"),
            6 => (ValueKind::FeatureState, "_F"),
            _ => (
                ValueKind::Property,
                random.pick(&["Installed", "REMOVE", "NOTE", "A#1"]),
            ),
        };
        Value {
            kind,
            text: text.to_string(),
            span,
            name_span: span,
        }
    };
    let leaf = depth == 0 || random.below(3) == 0;
    match (leaf, random.below(4)) {
        (true, 0) => Expr::Value(value(random)),
        (true, _) => Expr::Comparison(Comparison {
            left: value(random),
            op: Relop {
                kind: RelopKind::ALL[random.below(9)],
                case_insensitive: random.below(2) == 0,
            },
            op_span: span,
            right: value(random),
        }),
        (false, 0) => Expr::Not {
            keyword: span,
            operand: Box::new(tight(random_expr(random, depth - 1), None)),
        },
        (false, 1) => Expr::Group {
            open: span,
            inner: Box::new(random_expr(random, depth - 1)),
            close: span,
        },
        (false, _) => {
            let op = LogicalOp::BY_LOOSENESS[random.below(5)];
            let count = 2 + random.below(3);
            let operands = (0..count)
                .map(|_| tight(random_expr(random, depth - 1), Some(op)))
                .collect();
            Expr::Logical {
                op,
                operands,
                operators: vec![span; count - 1],
            }
        }
    }
}

/// Wraps `expr` in a group when it could not stand as an operand of `parent` (`None`: of
/// NOT) without parentheses.
fn tight(expr: Expr, parent: Option<LogicalOp>) -> Expr {
    let needs_group = match (&expr, parent) {
        (Expr::Logical { op, .. }, Some(parent)) => *op >= parent,
        (Expr::Logical { .. }, None) => true,
        _ => false,
    };
    if needs_group {
        let span = Span::new(FileId::first(), 0, 0);
        Expr::Group {
            open: span,
            inner: Box::new(expr),
            close: span,
        }
    } else {
        expr
    }
}

#[test]
fn random_trees_print_and_parse_back_to_the_same_tree() {
    let mut random = Random(0x0123_4567_89AB_CDEF);
    for _ in 0..5_000 {
        let expr = random_expr(&mut random, 5);
        let printed = expr.to_string();
        let condition = parse(&printed);
        let reparsed = condition
            .expression()
            .unwrap_or_else(|| panic!("{printed:?}: {:?}", condition.syntax_error()));
        assert_eq!(shape(reparsed), shape(&expr), "{printed:?}");
        for value in reparsed.values() {
            let at = &printed[value.span.start as usize..value.span.end as usize];
            assert_eq!(at, value.to_string(), "{printed:?}");
        }
    }
}
