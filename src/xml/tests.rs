use super::*;
use crate::source::SourceDb;

fn parse_text(text: &str) -> (SourceDb, Result<Document, XmlError>) {
    let mut db = SourceDb::new();
    let id = db.add("t.wxs", text.to_string());
    let result = parse(id, db.file(id).shared_text());
    (db, result)
}

fn first_child<'d>(doc: &'d Document, element: Element<'_>) -> Element<'d> {
    doc.child_elements(element.id()).next().unwrap()
}

#[test]
fn attribute_names_and_values_keep_raw_spans_while_values_are_unescaped() {
    let text = "<Wix xmlns='urn:x'>\r\n  <Custom Action=\"A&amp;B\"  After = 'X' />\r\n</Wix>";
    let (db, doc) = parse_text(text);
    let doc = doc.unwrap();
    let custom = first_child(&doc, doc.root().unwrap());
    assert_eq!(custom.name(), "Custom");
    assert_eq!(custom.namespace(), Some("urn:x"));
    assert_eq!(db.text(custom.name_span()), "Custom");
    let attributes: Vec<_> = custom.attributes().collect();
    let action = attributes[0];
    assert_eq!(action.value(), "A&B");
    assert_eq!(db.text(action.value_span()), "A&amp;B");
    let after = attributes[1];
    assert_eq!(db.text(after.name_span()), "After");
    assert_eq!(db.text(after.value_span()), "X");
    assert_eq!(
        db.text(custom.span()),
        "<Custom Action=\"A&amp;B\"  After = 'X' />"
    );
}

#[test]
fn prefixes_resolve_to_namespaces_and_scopes_end_with_their_element() {
    let text = "<ns0:Wix xmlns:ns0='urn:wix'><ns0:Custom/><Other/></ns0:Wix>";
    let (_, doc) = parse_text(text);
    let doc = doc.unwrap();
    let root = doc.root().unwrap();
    assert_eq!((root.name(), root.namespace()), ("Wix", Some("urn:wix")));
    let names: Vec<_> = doc
        .child_elements(root.id())
        .map(|e| (e.name(), e.namespace()))
        .collect();
    assert_eq!(names, [("Custom", Some("urn:wix")), ("Other", None)]);
}

#[test]
fn text_cdata_and_references_merge_into_one_run_with_its_span() {
    let text = "<C>NOT Installed &amp;&amp; <![CDATA[a<b]]></C>";
    let (db, doc) = parse_text(text);
    let doc = doc.unwrap();
    let root = doc.root().unwrap();
    let first = doc.at(doc.children_of(root.id()).start).unwrap();
    let NodeRef::Text(run) = doc.node(first) else {
        panic!("expected text");
    };
    assert_eq!(run.value, "NOT Installed && a<b");
    assert_eq!(
        db.text(run.span),
        "NOT Installed &amp;&amp; <![CDATA[a<b]]>"
    );
}

#[test]
fn processing_instructions_keep_target_and_data() {
    let (db, doc) = parse_text("<?define  X = 1 ?><W/>");
    let doc = doc.unwrap();
    let NodeRef::Instruction(pi) = doc.node(doc.at(doc.top_level().start).unwrap()) else {
        panic!("expected an instruction");
    };
    assert_eq!((pi.target, pi.data), ("define", "X = 1"));
    assert_eq!(db.text(pi.data_span), "X = 1");
}

#[test]
fn malformed_input_reports_a_position() {
    for (text, expected_at) in [
        ("<a><b></a>", "</a>"),
        ("<a x='1' x='2'/>", "x='2'"),
        ("<a x=1/>", "1/>"),
        ("<a>&nbsp;</a>", "&nbsp;"),
        ("<p:a/>", "p:a"),
    ] {
        let (_, result) = parse_text(text);
        let err = result.err().unwrap_or_else(|| panic!("{text} should fail"));
        let at = text.find(expected_at).unwrap() as u32;
        assert!(
            err.span.start >= at.saturating_sub(2) && err.span.start <= at + 2,
            "{text}: error at {} ({}), expected near {at}",
            err.span.start,
            err.message
        );
    }
    let (_, unclosed) = parse_text("<a><b>");
    assert!(unclosed.err().unwrap().message.contains("`<b>`"));
}

#[test]
fn deep_nesting_does_not_use_the_call_stack() {
    let depth = 200_000;
    let text = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
    let (_, doc) = parse_text(&text);
    let doc = doc.unwrap();
    assert_eq!(doc.root().unwrap().name(), "a");
}

#[test]
fn characters_xml_forbids_are_reported_where_they_are() {
    let (db, result) = parse_text("<Wix>\n  <A B='x'>\u{0}</A>\n</Wix>");
    let err = result.err().unwrap();
    assert_eq!(db.file(err.span.file).line_column(err.span.start), (2, 12));
    assert!(err.message.contains("U+0000"), "{}", err.message);
    // An earlier syntax error wins over a later forbidden character.
    let (_, result) = parse_text("<Wix><A B=x/>\u{1}</Wix>");
    assert!(result.err().unwrap().message.contains("quoted"));
}

#[test]
fn an_empty_file_says_so() {
    let (_, result) = parse_text(" \r\n");
    assert!(result.err().unwrap().message.contains("empty"));
}

#[test]
fn a_second_byte_order_mark_is_an_error_not_a_shift() {
    // Found by fuzzing: quick-xml skipped the mark and every span after it was off by three.
    let (_, result) = parse_text("\u{FEFF}<![CDATA[x]]>");
    assert!(result.err().unwrap().message.contains("byte order mark"));
}

/// Writes down every call a handler gets, with the names, namespaces, attributes and spans
/// it was shown.
#[derive(Default)]
struct Recorder {
    calls: Vec<String>,
}

impl Handler for Recorder {
    fn node(&mut self, node: NodeRef<'_>) {
        let call = match node {
            NodeRef::Element(element) => {
                let attributes: Vec<_> = element
                    .attributes()
                    .map(|a| format!("{}={:?}@{:?}", a.name(), a.value(), a.value_span()))
                    .collect();
                let namespace = element.namespace();
                let (name, span) = (element.name(), element.span());
                format!("element {name} {namespace:?} {span:?} {attributes:?}")
            }
            NodeRef::Text(text) => format!("text {:?} {:?}", text.value, text.span),
            NodeRef::Comment(comment, span) => format!("comment {comment:?} {span:?}"),
            NodeRef::Instruction(pi) => format!("instruction {}", pi.target),
        };
        self.calls.push(call);
    }

    fn end_element(&mut self, span: Span) {
        self.calls.push(format!("end {span:?}"));
    }
}

fn record(text: &str, reading: Reading) -> (Vec<String>, Option<String>) {
    let mut recorder = Recorder::default();
    let result = stream(FileId::nth(0), text, reading, &mut recorder);
    let error = result
        .err()
        .map(|err| format!("{:?} {}", err.span, err.message));
    (recorder.calls, error)
}

#[test]
fn reading_alongside_makes_the_same_calls_as_reading_in_turn() {
    // Enough nodes for many batches, and a namespace declared late.
    let mut text = String::from("<Wix xmlns='urn:a'>\n");
    for n in 0..5_000 {
        text.push_str(&format!("  <C Id='c{n}' V='a&amp;b'>t{n}<!-- n --></C>\n"));
    }
    text.push_str("  <p:D xmlns:p='urn:late' p:X='1'><E/></p:D>\n");
    let complete = format!("{text}</Wix>\n");
    let (calls, error) = record(&complete, Reading::InTurn);
    assert_eq!(error, None);
    assert!(calls.len() > 20_000, "{}", calls.len());
    assert!(calls.iter().any(|call| call.contains("Some(\"urn:late\")")));
    assert_eq!(record(&complete, Reading::Alongside), (calls, None));
}

#[test]
fn reading_alongside_stops_at_the_same_error_as_reading_in_turn() {
    let mut text = String::from("<Wix xmlns='urn:a'>\n");
    for n in 0..5_000 {
        text.push_str(&format!("  <C Id='c{n}'>t{n}</C>\n"));
    }
    let endings = [
        // Found by the parser.
        "</Wrong>",
        // Found by the handler's thread when reading alongside, with a parser error after.
        "<F A='1' A='2'/></Wrong>",
        "<F A='&nope;'/>",
        "<F A='1'B='2'/>",
        // An undeclared prefix on a tag with a bad attribute: the attribute is reported.
        "<q:F A='1' A='2'/>",
        "<q:F A='1'/>",
    ];
    for ending in endings {
        let broken = format!("{text}{ending}</Wix>\n");
        let (calls, error) = record(&broken, Reading::InTurn);
        let (alongside, alongside_error) = record(&broken, Reading::Alongside);
        assert!(error.is_some(), "{ending}");
        assert_eq!(alongside_error, error, "{ending}");
        // The calls before the error, but for at most the text run before the failing tag.
        let extra = alongside.len() - calls.len();
        assert!(extra <= 1, "{ending}: {extra} calls more");
        assert_eq!(alongside[..calls.len()], calls[..], "{ending}");
    }
}

/// How [`stream`] ends on `text`; reading in turn and alongside must agree.
fn stream_end(text: &str) -> Result<Streamed, String> {
    let [in_turn, alongside] = [Reading::InTurn, Reading::Alongside].map(|reading| {
        let result = stream(FileId::nth(0), text, reading, &mut Recorder::default());
        result.map_err(|err| format!("{:?} {}", err.span, err.message))
    });
    assert_eq!(in_turn, alongside);
    in_turn
}

#[test]
fn only_files_without_instructions_or_forbidden_characters_stream_whole() {
    let declaration = "<?xml version='1.0'?>\n";
    let whole = format!("{declaration}<Wix A='?' B='x?>'>why? <!-- ? --></Wix>");
    assert_eq!(stream_end(&whole), Ok(Streamed::Whole));
    assert_eq!(stream_end("<Wix/>"), Ok(Streamed::Whole));
    let needing_trees = [
        format!("{declaration}<Wix><?define X=1?></Wix>"),
        "<Wix><?include a.wxi?></Wix>".to_string(),
        format!("{declaration}<Wix>\u{1}</Wix>"),
        "\u{FEFF}<Wix/>".to_string(),
    ];
    for text in needing_trees {
        assert_eq!(stream_end(&text), Ok(Streamed::NeedsTree), "{text:?}");
    }
}

#[test]
fn what_needs_a_tree_is_found_however_far_into_the_file() {
    let mut elements = String::new();
    while elements.len() < 300_000 {
        elements.push_str("  <C Id='c' V='x'>text</C>\n");
    }
    let whole = format!("<?xml version='1.0'?>\n<Wix>\n{elements}</Wix>\n");
    assert_eq!(stream_end(&whole), Ok(Streamed::Whole));
    for late in ["<?if 1?><?endif?>", "\u{1}", "\u{FFFF}"] {
        let text = format!("<Wix>\n{elements}{late}</Wix>\n");
        assert_eq!(stream_end(&text), Ok(Streamed::NeedsTree), "{late:?}");
    }
    // An error, found by quick-xml or by the attribute checks, with a forbidden character
    // far after it: a tree says which comes first.
    for error in ["<A></B>", "<A B='1' B='2'/>"] {
        let text = format!("<Wix>{error}{elements}\u{1}</Wix>");
        assert_eq!(stream_end(&text), Ok(Streamed::NeedsTree), "{error}");
        let tree_error = parse_text(&text).1.err().unwrap();
        assert!(
            !tree_error.message.contains("U+0001"),
            "{}",
            tree_error.message
        );
    }
    // Without one, the stream's error is the tree's.
    let twice = format!("<Wix><A B='1' B='2'/>{elements}</Wix>");
    let error = stream_end(&twice).unwrap_err();
    assert!(error.contains("appears twice"), "{error}");
    let tree_error = parse_text(&twice).1.err().unwrap();
    assert_eq!(
        error,
        format!("{:?} {}", tree_error.span, tree_error.message)
    );
}

#[test]
fn namespace_declarations_are_found_across_the_search_chunks() {
    let first = "<Wix>";
    // The first search ends 64 KiB after the first tag: put `xmlns` across that end.
    let declaration_at = first.len() + 64 * 1024 - 2;
    let filler = "x".repeat(declaration_at - first.len() - 3);
    let text = format!("{first}<b {filler}xmlns='urn:a'/><c xmlns:p='urn:p'/><d/>");
    let bytes = text.as_bytes();
    let tag = |name: &str| {
        let start = text.find(name).unwrap();
        (start, start + text[start..].find('>').unwrap() + 1)
    };
    let mut declarations = scan::Declarations::new();
    let within = |declarations: &mut scan::Declarations, (start, end)| {
        declarations.within(bytes, start, end)
    };
    assert!(!within(&mut declarations, tag("<Wix>")));
    assert_eq!(text.find("xmlns="), Some(declaration_at));
    assert!(within(&mut declarations, tag("<b ")));
    assert!(within(&mut declarations, tag("<c ")));
    assert!(!within(&mut declarations, tag("<d/>")));
}
