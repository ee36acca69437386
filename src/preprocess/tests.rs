//! Walk-level tests: each directive through a recording [`Visitor`], includes from a
//! temporary directory, and the 200,000-deep document.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::diagnostic::Severity;
use crate::source::FileId;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Records the walk as compact lines: `<Name a=v>`, `</>`, `text`, `#comment`.
#[derive(Default)]
struct Recorder {
    events: Vec<String>,
    depth: isize,
    max_depth: isize,
    included: Vec<Vec<Span>>,
    /// The span each `end_element` gave, in order.
    ends: Vec<Span>,
}

impl Visitor for Recorder {
    fn start_element(&mut self, element: &ElementView<'_>) {
        let mut line = format!("<{}", element.element.name());
        for attribute in &element.attributes {
            line.push_str(&format!(
                " {}={}",
                attribute.attribute.name(),
                attribute.value
            ));
        }
        line.push('>');
        self.events.push(line);
        self.included.push(element.included_from.to_vec());
        self.depth += 1;
        self.max_depth = self.max_depth.max(self.depth);
    }

    fn end_element(&mut self, element: Span) {
        self.depth -= 1;
        assert!(self.depth >= 0, "end_element without start_element");
        self.events.push("</>".into());
        self.ends.push(element);
    }

    fn text(&mut self, value: &str, _: &str, _: Span) {
        if !value.trim().is_empty() {
            self.events.push(value.trim().to_string());
        }
    }

    fn comment(&mut self, text: &str, _: Span) {
        self.events.push(format!("#{}", text.trim()));
    }
}

struct Outcome {
    db: SourceDb,
    file: FileId,
    recorder: Recorder,
    diagnostics: Vec<Diagnostic>,
    trace: Trace,
}

impl Outcome {
    fn events(&self) -> String {
        self.recorder.events.join(" ")
    }

    fn codes(&self) -> Vec<(&'static str, Severity)> {
        self.diagnostics
            .iter()
            .map(|d| (d.code.code, d.severity))
            .collect()
    }

    /// The text each diagnostic's primary span covers.
    fn spans(&self) -> Vec<&str> {
        self.diagnostics
            .iter()
            .map(|d| self.db.text(d.primary))
            .collect()
    }
}

fn walk_at(path: &str, text: &str, settings: &Settings) -> Outcome {
    let mut db = SourceDb::new();
    let file = db.add(path, text.to_string());
    let document = match crate::xml::parse(file, db.file(file).shared_text()) {
        Ok(document) => document,
        Err(error) => panic!("test input is not XML: {}", error.message),
    };
    let mut recorder = Recorder::default();
    let mut diagnostics = Vec::new();
    let mut trace = Trace::default();
    let walked = walk(
        Path::new(path),
        Includes::Read(&mut db),
        &document,
        settings,
        &mut recorder,
        &mut diagnostics,
        &mut trace,
    );
    assert_eq!(walked, Walked::Complete);
    assert_eq!(recorder.depth, 0, "start/end_element unbalanced");
    Outcome {
        db,
        file,
        recorder,
        diagnostics,
        trace,
    }
}

fn run(text: &str) -> Outcome {
    walk_at("test.wxs", text, &Settings::default())
}

fn run_with(text: &str, settings: &Settings) -> Outcome {
    walk_at("test.wxs", text, settings)
}

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let unique = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "wixcheck-preprocess-{}-{name}-{unique}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.0.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("dir");
        }
        std::fs::write(&path, text).expect("write");
        path
    }

    fn path(&self, relative: &str) -> String {
        self.0.join(relative).display().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

// ---- define / undef / variables ------------------------------------------------------------

#[test]
fn defines_substitute_into_attributes_and_text() {
    let out = run(
        r#"<?define A = "one"?><?define B=two?><?define C = $(var.A)-$(B)?><?define Empty?>
<W a="$(var.A)" b="$(B)" c="$(var.C)" e="[$(Empty)]" d="$$(var.A)">$(C)</W>"#,
    );
    assert_eq!(
        out.events(),
        "<W a=one b=two c=one-two e=[] d=$(var.A)> one-two </>"
    );
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
}

#[test]
fn command_line_defines_seed_the_table() {
    let settings = Settings {
        defines: vec![("A".into(), "1".into()), ("var.B".into(), "2".into())],
        ..Settings::default()
    };
    let out = run_with(r#"<W a="$(A)" b="$(var.B)"/>"#, &settings);
    assert_eq!(out.events(), "<W a=1 b=2> </>");
}

#[test]
fn redefinition_with_another_value_warns_once() {
    let out = run("<?define A = 1?><?define A = 1?><?define A = 2?><W a=\"$(A)\"/>");
    assert_eq!(out.events(), "<W a=2> </>");
    assert_eq!(out.codes(), [("WXC005", Severity::Warning)]);
    assert_eq!(out.spans(), ["A = 2"]);
    assert_eq!(out.diagnostics[0].labels.len(), 1);
}

#[test]
fn undef_removes_and_complains_when_nothing_to_remove() {
    let out = run("<?define A = 1?><?undef A?><?undef A?><W><?ifdef A?><X/><?endif?></W>");
    assert_eq!(out.events(), "<W> </>");
    assert_eq!(out.codes(), [("WXC005", Severity::Error)]);
}

#[test]
fn undefined_variable_points_at_the_reference() {
    let text = r#"<W a="x &amp; $(var.Nope) y" b="$(Nope)">t $(env.WIXCHECK_NOT_SET_1234)</W>"#;
    let out = run(text);
    assert_eq!(out.codes().len(), 3);
    assert!(out.diagnostics.iter().all(|d| d.code.code == "WXC003"));
    assert_eq!(
        out.spans(),
        ["$(var.Nope)", "$(Nope)", "$(env.WIXCHECK_NOT_SET_1234)"]
    );
    let start = text.find("$(var.Nope)").unwrap_or_default() as u32;
    assert_eq!(out.diagnostics[0].primary.start, start);
    assert_eq!(out.diagnostics[0].primary.file, out.file);
    assert_eq!(
        out.diagnostics[0].message,
        "undefined preprocessor variable `$(var.Nope)`"
    );
    // The value keeps the reference so later stages still see something.
    assert!(out.events().contains("a=x & $(var.Nope) y"));
}

#[test]
fn second_occurrence_of_the_same_reference_gets_its_own_span() {
    let text = r#"<W a="$(X) and $(X)"/>"#;
    let out = run(text);
    let starts: Vec<u32> = out.diagnostics.iter().map(|d| d.primary.start).collect();
    let first = text.find("$(X)").unwrap_or_default() as u32;
    let second = text.rfind("$(X)").unwrap_or_default() as u32;
    assert_eq!(starts, [first, second]);
}

#[test]
fn bind_time_and_localization_references_are_left_alone() {
    let out = run(
        r#"<W a="!(loc.A)" b="!(bind.FileVersion.x)" c="$(loc.B)" d="$(fun.AutoVersion(1.0))"/>"#,
    );
    assert_eq!(
        out.events(),
        "<W a=!(loc.A) b=!(bind.FileVersion.x) c=$(loc.B) d=$(fun.AutoVersion(1.0))> </>"
    );
    assert!(out.diagnostics.is_empty());
}

#[test]
fn sys_variables() {
    let settings = Settings {
        arch: "arm64".into(),
        wix_major: Some(5),
        ..Settings::default()
    };
    let out = run_with(
        r#"<W a="$(sys.BUILDARCH)" b="$(sys.BUILDARCHSHORT)" c="$(sys.WIXMAJORVERSION)"/>"#,
        &settings,
    );
    assert_eq!(out.events(), "<W a=arm64 b=A64 c=5> </>");
    let out = run(r#"<W a="$(sys.BUILDARCH)"/>"#);
    assert_eq!(out.events(), "<W a=x86> </>");
}

// ---- conditionals ----------------------------------------------------------------------------

#[test]
fn if_elseif_else_choose_one_branch() {
    let text = |arch: &str| {
        format!(
            r#"<?define Arch = {arch}?><W><?if $(Arch) = x64?><A/><?elseif $(Arch) = arm64?><B/><?else?><C/><?endif?><D/></W>"#
        )
    };
    assert_eq!(run(&text("x64")).events(), "<W> <A> </> <D> </> </>");
    assert_eq!(run(&text("arm64")).events(), "<W> <B> </> <D> </> </>");
    assert_eq!(run(&text("x86")).events(), "<W> <C> </> <D> </> </>");
}

#[test]
fn nested_conditionals_and_ifdef() {
    let out = run(r#"<?define A?><W>
        <?ifdef A?><?ifndef B?><One/><?else?><No/><?endif?><?ifdef B?><No/><?elseif $(A) = ""?><Two/><?endif?><?else?><No/><?endif?>
        <?ifndef A?><?if $(Undefined) = 1?><No/><?endif?><?else?><Three/><?endif?>
    </W>"#);
    assert_eq!(out.events(), "<W> <One> </> <Two> </> <Three> </> </>");
    // The comparison of an undefined variable sat in a skipped branch: not evaluated.
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
}

#[test]
fn only_the_first_true_branch_is_taken() {
    let out = run(r#"<W><?if 1 = 1?><A/><?elseif 2 = 2?><B/><?else?><C/><?endif?></W>"#);
    assert_eq!(out.events(), "<W> <A> </> </>");
}

#[test]
fn undefined_in_comparison_is_wxc003_and_the_branch_is_skipped() {
    let text = "<W><?if $(var.Missing) = 1?><A/><?else?><B/><?endif?></W>";
    let out = run(text);
    assert_eq!(out.events(), "<W> <B> </> </>");
    assert_eq!(out.codes(), [("WXC003", Severity::Error)]);
    assert_eq!(out.spans(), ["$(var.Missing)"]);
}

#[test]
fn bad_expression_is_wxc005() {
    let out = run("<W><?if $(sys.BUILDARCH) < 3?><A/><?endif?></W>");
    assert_eq!(out.codes(), [("WXC005", Severity::Error)]);
    assert_eq!(out.events(), "<W> </>");
}

#[test]
fn unclosed_if_among_children_is_reported_at_the_if() {
    let text = "<W><A><?if 1 = 1?><B/></A><C/></W>";
    let out = run(text);
    assert_eq!(out.events(), "<W> <A> <B> </> </> <C> </> </>");
    assert_eq!(out.codes(), [("WXC005", Severity::Error)]);
    assert_eq!(out.spans(), ["<?if 1 = 1?>"]);
}

#[test]
fn if_closed_in_another_element_is_two_errors() {
    let out = run("<W><?if 1 = 2?><A><?endif?></A><B/></W>");
    // The skipped <A> is not entered, so its <?endif?> is never seen; <B/> is skipped too,
    // then the <?if?> is reported unclosed at the end of <W>.
    assert_eq!(out.events(), "<W> </>");
    assert_eq!(out.spans(), ["<?if 1 = 2?>"]);
    let out = run("<W><A><?if 1 = 1?></A><?endif?><B/></W>");
    assert_eq!(out.events(), "<W> <A> </> <B> </> </>");
    assert_eq!(out.spans(), ["<?if 1 = 1?>", "<?endif?>"]);
}

#[test]
fn stray_else_and_endif_are_reported() {
    let out = run("<W><?else?><?endif?><?elseif 1=1?><?if 1=1?><?else?><?else?><?endif?><A/></W>");
    assert_eq!(out.events(), "<W> <A> </> </>");
    assert_eq!(
        out.spans(),
        ["<?else?>", "<?endif?>", "<?elseif 1=1?>", "<?else?>"]
    );
    assert!(out.diagnostics.iter().all(|d| d.code.code == "WXC005"));
}

// ---- foreach ---------------------------------------------------------------------------------

#[test]
fn foreach_repeats_siblings_with_the_variable_bound() {
    let out = run(
        r#"<W><?foreach Arch in x86;x64 ; arm64?><F a="$(Arch)" b="$(var.Arch)"/><?endforeach?><Z/></W>"#,
    );
    assert_eq!(
        out.events(),
        "<W> <F a=x86 b=x86> </> <F a=x64  b=x64 > </> <F a= arm64 b= arm64> </> <Z> </> </>"
    );
}

#[test]
fn foreach_nests_and_takes_a_list_from_a_variable() {
    let out = run(
        r#"<?define L = "a;b"?><W><?foreach X in $(L)?><?foreach Y in 1;2?><E v="$(X)$(Y)"/><?endforeach?><?endforeach?></W>"#,
    );
    assert_eq!(
        out.events(),
        "<W> <E v=a1> </> <E v=a2> </> <E v=b1> </> <E v=b2> </> </>"
    );
    assert!(out.diagnostics.is_empty());
}

#[test]
fn foreach_bodies_keep_their_own_conditionals() {
    let out =
        run(r#"<W><?foreach X in 1;2;3?><?if $(X) != 2?><E v="$(X)"/><?endif?><?endforeach?></W>"#);
    assert_eq!(out.events(), "<W> <E v=1> </> <E v=3> </> </>");
}

#[test]
fn foreach_without_endforeach_is_reported_and_walked_once() {
    let out = run("<W><?foreach X in 1;2?><E/></W>");
    assert_eq!(out.events(), "<W> <E> </> </>");
    assert_eq!(out.codes(), [("WXC005", Severity::Error)]);
    let out = run("<W><E/><?endforeach?></W>");
    assert_eq!(out.codes(), [("WXC005", Severity::Error)]);
}

// ---- error / warning / unknown ---------------------------------------------------------------

#[test]
fn error_and_warning_directives() {
    let out =
        run("<?define V = 3?><W><?error version $(V) is unsupported?><?warning careful?><A/></W>");
    assert_eq!(out.events(), "<W> <A> </> </>");
    assert_eq!(
        out.codes(),
        [("WXC005", Severity::Error), ("WXC005", Severity::Warning)]
    );
    assert_eq!(out.spans(), ["version $(V) is unsupported", "careful"]);
    assert_eq!(
        out.diagnostics[0].message,
        "`<?error?>`: version 3 is unsupported"
    );
}

#[test]
fn error_in_a_skipped_branch_is_silent() {
    let out = run("<W><?ifdef Nope?><?error no?><?endif?></W>");
    assert!(out.diagnostics.is_empty());
}

#[test]
fn unknown_instructions_are_ignored() {
    let out =
        run(r#"<?xml-stylesheet href="a"?><W><?pragma wix.x?><?Define A=1?><A/><!-- c --></W>"#);
    assert_eq!(out.events(), "<W> <A> </> #c </>");
    assert!(out.diagnostics.is_empty());
}

// ---- include ---------------------------------------------------------------------------------

#[test]
fn include_relative_splices_children_and_keeps_defines() {
    let dir = TempDir::new("relative");
    dir.write(
        "sub/vars.wxi",
        "\u{feff}<?xml version=\"1.0\"?>\n<Include xmlns=\"http://wixtoolset.org/schemas/v4/wxs\"><?define V = 7?><Inc d=\"$(sys.SOURCEFILEDIR)\"/></Include>",
    );
    let main = dir.path("main.wxs");
    let text = "<W><?include sub\\vars.wxi?><After v=\"$(V)\"/></W>";
    let out = walk_at(&main, text, &Settings::default());
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let sub = Path::new(&dir.path("sub")).display().to_string();
    let expected = format!(
        "<W> <Inc d={sub}{}> </> <After v=7> </> </>",
        std::path::MAIN_SEPARATOR
    );
    assert_eq!(out.events(), expected);
    // The included element knows the <?include?> that brought it.
    let include_span = out.recorder.included[1][0];
    assert_eq!(out.db.text(include_span), "<?include sub\\vars.wxi?>");
    assert!(out.recorder.included[0].is_empty() && out.recorder.included[2].is_empty());
    assert_eq!(out.db.len(), 2);
}

#[test]
fn include_dirs_are_searched_in_order_and_chains_are_recorded() {
    let dir = TempDir::new("dirs");
    dir.write("first/a.wxi", "<Include><?include b.wxi?></Include>");
    dir.write("second/a.wxi", "<Include><Wrong/></Include>");
    dir.write("second/b.wxi", "<Include><B/></Include>");
    let settings = Settings {
        include_dirs: vec![
            dir.0.join("missing"),
            dir.0.join("first"),
            dir.0.join("second"),
        ],
        ..Settings::default()
    };
    let out = walk_at(&dir.path("main.wxs"), "<W><?include a.wxi?></W>", &settings);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert_eq!(out.events(), "<W> <B> </> </>");
    let chain: Vec<&str> = out.recorder.included[1]
        .iter()
        .map(|span| out.db.text(*span))
        .collect();
    assert_eq!(chain, ["<?include b.wxi?>", "<?include a.wxi?>"]);
}

#[test]
fn missing_include_is_wxc004_and_the_walk_goes_on() {
    let dir = TempDir::new("missing");
    let out = walk_at(
        &dir.path("main.wxs"),
        "<W><?include nope.wxi?><After/></W>",
        &Settings::default(),
    );
    assert_eq!(out.events(), "<W> <After> </> </>");
    assert_eq!(out.codes(), [("WXC004", Severity::Error)]);
    assert_eq!(out.spans(), ["nope.wxi"]);
}

#[test]
fn include_cycles_and_self_includes_are_wxc004() {
    let dir = TempDir::new("cycle");
    dir.write("a.wxi", "<Include><A/><?include b.wxi?></Include>");
    dir.write("b.wxi", "<Include><B/><?include a.wxi?></Include>");
    dir.write("self.wxi", "<Include><S/><?include self.wxi?></Include>");
    let out = walk_at(
        &dir.path("main.wxs"),
        "<W><?include a.wxi?><?include self.wxi?><End/></W>",
        &Settings::default(),
    );
    assert_eq!(out.events(), "<W> <A> </> <B> </> <S> </> <End> </> </>");
    assert_eq!(
        out.codes(),
        [("WXC004", Severity::Error), ("WXC004", Severity::Error)]
    );
    assert!(out.diagnostics[1].message.contains("includes itself"));
    // Problems inside included files point back at the <?include?>.
    assert!(out.diagnostics.iter().all(|d| !d.labels.is_empty()));
}

#[test]
fn a_guarded_self_include_is_read_twice_not_a_cycle() {
    let dir = TempDir::new("guarded");
    dir.write(
        "guarded.wxi",
        "<Include><?ifndef Once?><?define Once = 1?><G/><?include guarded.wxi?><?endif?><H/></Include>",
    );
    dir.write(
        "counting.wxi",
        "<Include><?define N = $(N)x?><C/><?include counting.wxi?></Include>",
    );
    let out = walk_at(
        &dir.path("main.wxs"),
        "<W><?include guarded.wxi?><?define N = ?><?include counting.wxi?></W>",
        &Settings::default(),
    );
    let events = out.events();
    assert!(
        events.starts_with("<W> <G> </> <H> </> <H> </> <C> </>"),
        "{events}"
    );
    // A chain whose state never repeats (each level redefines N, a warning) still stops, at
    // the depth limit.
    let errors: Vec<_> = out
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].code.code, "WXC004");
    assert!(errors[0].message.contains("deep"), "{}", errors[0].message);
}

#[test]
fn the_main_file_including_itself_is_a_cycle() {
    let dir = TempDir::new("main-self");
    let text = "<W><?include main.wxs?></W>";
    dir.write("main.wxs", text);
    let out = walk_at(&dir.path("main.wxs"), text, &Settings::default());
    assert_eq!(out.codes(), [("WXC004", Severity::Error)]);
}

#[test]
fn included_root_must_be_include_and_bad_xml_is_reported() {
    let dir = TempDir::new("root");
    dir.write("wrong.wxi", "<Fragment><X/></Fragment>");
    dir.write("broken.wxi", "<Include><X></Include>");
    let out = walk_at(
        &dir.path("main.wxs"),
        "<W><?include wrong.wxi?><?include broken.wxi?><?include broken.wxi?><End/></W>",
        &Settings::default(),
    );
    assert_eq!(out.events(), "<W> <X> </> <End> </> </>");
    assert_eq!(out.codes().len(), 2, "{:?}", out.diagnostics);
    assert!(out.diagnostics.iter().all(|d| d.code.code == "WXC004"));
    assert_eq!(out.spans()[0], "Fragment");
}

#[test]
fn undefined_variables_in_included_files_point_into_them() {
    let dir = TempDir::new("inner");
    dir.write("v.wxi", "<Include><I a=\"$(var.Nope)\"/></Include>");
    let out = walk_at(
        &dir.path("main.wxs"),
        "<W><?include v.wxi?></W>",
        &Settings::default(),
    );
    assert_eq!(out.codes(), [("WXC003", Severity::Error)]);
    assert_eq!(out.spans(), ["$(var.Nope)"]);
    assert_ne!(out.diagnostics[0].primary.file, out.file);
    assert_eq!(
        out.db.text(out.diagnostics[0].labels[0].span),
        "<?include v.wxi?>"
    );
}

#[test]
fn include_path_is_substituted_and_case_is_forgiven() {
    let dir = TempDir::new("subst");
    dir.write("Inc/Vars.wxi", "<Include><V/></Include>");
    let out = walk_at(
        &dir.path("main.wxs"),
        "<?define D = inc?><W><?include \"$(D)/vars.wxi\"?></W>",
        &Settings::default(),
    );
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert_eq!(out.events(), "<W> <V> </> </>");
}

// ---- depth -----------------------------------------------------------------------------------

#[test]
fn two_hundred_thousand_deep_nesting_walks_without_recursion() {
    const DEPTH: usize = 200_000;
    let mut text = String::with_capacity(DEPTH * 12);
    for _ in 0..DEPTH {
        text.push_str("<a x=\"$(V)\">");
    }
    for _ in 0..DEPTH {
        text.push_str("</a>");
    }
    let settings = Settings {
        defines: vec![("V".into(), "1".into())],
        ..Settings::default()
    };
    let out = run_with(&text, &settings);
    assert_eq!(out.recorder.max_depth, DEPTH as isize);
    assert_eq!(out.recorder.events.len(), DEPTH * 2);
    assert!(out.diagnostics.is_empty());
}

#[test]
fn deep_conditionals_and_loops() {
    const DEPTH: usize = 20_000;
    let text = format!(
        "<W>{}<X/>{}{}<Y/>{}</W>",
        "<?if 1 = 1?>".repeat(DEPTH),
        "<?endif?>".repeat(DEPTH),
        "<?foreach I in 1?>".repeat(200),
        "<?endforeach?>".repeat(200),
    );
    let out = run(&text);
    assert_eq!(out.events(), "<W> <X> </> <Y> </> </>");
    assert!(out.diagnostics.is_empty());
}

#[test]
fn include_chains_deeper_than_the_limit_stop_with_wxc004() {
    let dir = TempDir::new("deep-includes");
    let files = MAX_INCLUDE_DEPTH + 5;
    for index in 0..files {
        dir.write(
            &format!("i{index}.wxi"),
            &format!(
                "<Include><E{index}/><?include i{}.wxi?></Include>",
                index + 1
            ),
        );
    }
    let out = walk_at(
        &dir.path("main.wxs"),
        "<W><?include i0.wxi?><End/></W>",
        &Settings::default(),
    );
    assert_eq!(out.codes(), [("WXC004", Severity::Error)]);
    assert!(out.diagnostics[0].message.contains("nest more than"));
    assert_eq!(out.recorder.events.len(), 2 * (MAX_INCLUDE_DEPTH + 2));
}

#[test]
fn include_path_with_an_undefined_variable_is_only_wxc003() {
    let out = run("<W><?include $(var.Dir)/x.wxi?><After/></W>");
    assert_eq!(out.codes(), [("WXC003", Severity::Error)]);
    assert_eq!(out.spans(), ["$(var.Dir)"]);
    assert_eq!(out.events(), "<W> <After> </> </>");
}

#[test]
fn empty_if_is_reported_at_the_instruction() {
    let out = run("<W><?if?><A/><?endif?></W>");
    assert_eq!(out.spans(), ["<?if?>"]);
    assert_eq!(out.events(), "<W> </>");
}

#[test]
fn absolute_includes_inside_loops_stay_balanced() {
    let dir = TempDir::new("absolute");
    let inc = dir.write(
        "loop.wxi",
        "<Include><?foreach Y in a;b?><L v=\"$(X)$(Y)\"><Inner/></L><?endforeach?></Include>",
    );
    let text = format!(
        "<W><?foreach X in 1;2?><?include {}?><?endforeach?><End/></W>",
        inc.display()
    );
    let out = walk_at(&dir.path("main.wxs"), &text, &Settings::default());
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let one = |v: &str| format!("<L v={v}> <Inner> </> </>");
    assert_eq!(
        out.events(),
        format!(
            "<W> {} {} {} {} <End> </> </>",
            one("1a"),
            one("1b"),
            one("2a"),
            one("2b")
        )
    );
    // The included file was read and parsed once.
    assert_eq!(out.db.len(), 2);
}

#[test]
fn nested_foreach_loops_stop_at_the_node_budget() {
    let dir = TempDir::new("foreach-bomb");
    let values: Vec<String> = (0..100).map(|i| i.to_string()).collect();
    let mut text = String::from("<W>");
    for level in 0..5 {
        text.push_str(&format!("<?foreach V{level} in {}?>", values.join(";")));
    }
    text.push_str("<P/>");
    text.push_str(&"<?endforeach?>".repeat(5));
    text.push_str("</W>");
    let out = walk_at(&dir.path("main.wxs"), &text, &Settings::default());
    assert_eq!(out.codes(), [("WXC005", Severity::Error)]);
    // Reported at the innermost loop, whose body was being repeated.
    let innermost = text.rfind("<?foreach").unwrap();
    assert_eq!(out.diagnostics[0].primary.start as usize, innermost);
    assert!(
        out.events().ends_with("</>"),
        "every element opened is closed"
    );
}

// ---- foreach bodies drop text, as WiX does ----------------------------------------------------

#[test]
fn text_directly_in_a_foreach_body_is_dropped_but_text_in_its_elements_is_kept() {
    let out =
        run("<W><?foreach X in 1;2?>loose $(X)<E>kept $(X)</E><!--c--><?endforeach?>after</W>");
    assert_eq!(
        out.events(),
        "<W> <E> kept 1 </> #c <E> kept 2 </> #c after </>"
    );
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
}

// ---- the trace: expansions, include chains, defines in force ---------------------------------

/// Walks `text` as `main.wxs` in `dir`.
fn walk_main(dir: &TempDir, text: &str) -> Outcome {
    walk_at(&dir.path("main.wxs"), text, &Settings::default())
}

/// A finding with `code` at the first occurrence of `needle` in `file`, explained by the trace.
fn explained_as(
    code: Code,
    out: &Outcome,
    file: FileId,
    needle: &str,
    message: &str,
) -> Diagnostic {
    let text = out.db.file(file).text();
    let start = text.find(needle).expect("needle");
    let span = Span::new(file, start, start + needle.len());
    let mut diagnostic = Diagnostic::new(code, Severity::Error, span, message);
    out.trace.explain(&mut diagnostic);
    diagnostic
}

/// A rule's finding (WXC102) explained by the trace.
fn explained(out: &Outcome, file: FileId, needle: &str, message: &str) -> Diagnostic {
    let code = crate::rules::scheduling::schedule_anchor_not_found::SCHEDULE_ANCHOR_NOT_FOUND.code;
    explained_as(code, out, file, needle, message)
}

#[test]
fn a_finding_on_an_expanded_value_says_what_it_expanded_to() {
    let out = run(r#"<?define Anchor = InstallValidate?><W After="$(var.Anchor)" Same="plain"/>"#);
    let note = explained(&out, out.file, "$(var.Anchor)", "m").notes;
    assert_eq!(note, ["`$(var.Anchor)` expanded to `InstallValidate`"]);
    assert!(explained(&out, out.file, "plain", "m").notes.is_empty());
    // The preprocessor's own findings are about the text as written.
    let own = explained_as(UNDEFINED_VARIABLE, &out, out.file, "$(var.Anchor)", "m");
    assert!(own.notes.is_empty());
}

#[test]
fn a_value_read_once_per_loop_value_names_the_one_the_message_quotes() {
    let out = run(r#"<W><?foreach X in a;b;c?><E Id="CA_$(X)"/><?endforeach?></W>"#);
    let quoted = explained(&out, out.file, "CA_$(X)", "action `CA_b` is wrong").notes;
    assert_eq!(quoted, ["`CA_$(X)` expanded to `CA_b`"]);
    let unquoted = explained(&out, out.file, "CA_$(X)", "something is wrong").notes;
    assert_eq!(
        unquoted,
        ["`CA_$(X)` is read more than once (a `<?foreach?>`, or a file included twice) and expanded to `CA_a`, `CA_b`, `CA_c`"]
    );
}

#[test]
fn a_finding_in_an_included_file_is_labelled_with_the_include_chain() {
    let dir = TempDir::new("chain");
    dir.write(
        "inc/outer.wxi",
        "<Include>\n  <?include inner.wxi?>\n</Include>",
    );
    dir.write(
        "inc/inner.wxi",
        "<Include>\n  <Custom Before=\"Nowhere\"/>\n</Include>",
    );
    let out = walk_main(&dir, "<W>\n<?include inc/outer.wxi?>\n</W>");
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let inner = out
        .db
        .ids()
        .find(|&id| out.db.file(id).path().ends_with("inner.wxi"))
        .expect("inner.wxi read");
    let diagnostic = explained(&out, inner, "Nowhere", "m");
    let labels: Vec<(&str, &str)> = diagnostic
        .labels
        .iter()
        .map(|l| (out.db.text(l.span), l.message.as_str()))
        .collect();
    assert_eq!(
        labels,
        [
            ("<?include inner.wxi?>", "included from here"),
            ("<?include inc/outer.wxi?>", "which is included from here"),
        ]
    );
    // Nothing to add for the entry file itself.
    assert!(explained(&out, out.file, "<W>", "m").labels.is_empty());
}

#[test]
fn the_walkers_own_findings_carry_the_whole_chain_once() {
    let dir = TempDir::new("own-chain");
    dir.write("outer.wxi", "<Include><?include inner.wxi?></Include>");
    dir.write("inner.wxi", "<Include><E a=\"$(var.Nope)\"/></Include>");
    let out = walk_main(&dir, "<W><?include outer.wxi?></W>");
    assert_eq!(out.codes(), [("WXC003", Severity::Error)]);
    let mut diagnostic = out.diagnostics[0].clone();
    out.trace.explain(&mut diagnostic);
    let labels: Vec<&str> = diagnostic
        .labels
        .iter()
        .map(|l| out.db.text(l.span))
        .collect();
    assert_eq!(labels, ["<?include inner.wxi?>", "<?include outer.wxi?>"]);
}

#[test]
fn defines_in_force_at_the_end_are_sorted_with_their_origin() {
    let settings = Settings {
        defines: vec![("Cmd".into(), "1".into())],
        ..Settings::default()
    };
    let out = run_with(
        "<?define Z = last?><?define A = first?><?define Gone?><?undef Gone?><W><?foreach L in x;y?><?endforeach?></W>",
        &settings,
    );
    let [file] = out.trace.defines() else {
        panic!("one entry file, got {:?}", out.trace.defines());
    };
    let shown: Vec<String> = file
        .defines
        .iter()
        .map(|d| {
            let origin = match d.origin {
                Origin::CommandLine => "-d".to_string(),
                Origin::Define(span) => out.db.text(span).to_string(),
                Origin::Foreach(span) => out.db.text(span).to_string(),
            };
            format!("{}={} ({origin})", d.name, d.value)
        })
        .collect();
    assert_eq!(
        shown,
        [
            "A=first (A = first)",
            "Cmd=1 (-d)",
            "L=y (<?foreach L in x;y?>)",
            "Z=last (Z = last)",
        ]
    );
}

#[test]
fn redefining_a_loop_variable_points_at_the_loop() {
    let out = run("<W><?foreach L in x?><?endforeach?><?define L = z?></W>");
    assert_eq!(out.codes(), [("WXC005", Severity::Warning)]);
    assert_eq!(
        out.diagnostics[0].labels[0].message,
        "previously set by this loop"
    );
    assert_eq!(
        out.db.text(out.diagnostics[0].labels[0].span),
        "<?foreach L in x?>"
    );
}

#[test]
fn a_walk_without_includes_stops_at_the_first_include_and_says_so() {
    let text = "<Wix xmlns='urn:x'><A/><?include other.wxi?><B/></Wix>";
    let mut db = SourceDb::new();
    let file = db.add("main.wxs", text.to_string());
    let document = crate::xml::parse(file, db.file(file).shared_text()).unwrap();
    let mut recorder = Recorder::default();
    let settings = Settings::default();
    let (mut diagnostics, mut trace) = (Vec::new(), Trace::default());
    let mut walk_with = |includes, recorder: &mut Recorder| {
        walk(
            Path::new("main.wxs"),
            includes,
            &document,
            &settings,
            recorder,
            &mut diagnostics,
            &mut trace,
        )
    };
    assert_eq!(
        walk_with(Includes::Deferred, &mut recorder),
        Walked::Deferred
    );
    let elements = |recorder: &Recorder| {
        let starts = recorder.events.iter();
        starts
            .filter(|e| e.starts_with('<') && !e.starts_with("</"))
            .count()
    };
    assert_eq!(elements(&recorder), 2, "{:?}", recorder.events);
    let mut complete = Recorder::default();
    let mut other = SourceDb::new();
    other.add("main.wxs", text.to_string());
    assert_eq!(
        walk_with(Includes::Read(&mut other), &mut complete),
        Walked::Complete
    );
    assert_eq!(elements(&complete), 3, "{:?}", complete.events);
}

#[test]
fn a_file_without_directives_streams_to_the_same_events_as_its_tree() {
    let text = "<?xml version='1.0'?>\n<Wix xmlns='urn:x'>\n  <!-- note -->\n  \
        <A Id='a&amp;b' V='$(var.X)'>NOT Installed &lt; 5 <![CDATA[x<y]]></A>\n  \
        <B Ref=\"$(var.Missing)\"/>\n  <C>  </C>\n</Wix>\n";
    let settings = Settings {
        defines: vec![("X".into(), "ten".into())],
        ..Settings::default()
    };
    let tree = walk_at("s.wxs", text, &settings);
    let mut streamed = Recorder::default();
    let (mut diagnostics, mut trace) = (Vec::new(), Trace::default());
    let walked = walk_streamed(
        Path::new("s.wxs"),
        (tree.file, text),
        crate::xml::Reading::InTurn,
        &settings,
        &mut streamed,
        &mut diagnostics,
        &mut trace,
    );
    assert_eq!(walked.ok(), Some(Walked::Complete));
    assert_eq!(streamed.events, tree.recorder.events);
    assert_eq!(streamed.ends, tree.recorder.ends);
    assert_eq!(
        format!("{diagnostics:?}"),
        format!("{:?}", tree.diagnostics)
    );
    assert!(tree
        .diagnostics
        .iter()
        .any(|d| d.code == UNDEFINED_VARIABLE));
    assert_eq!(format!("{trace:?}"), format!("{:?}", tree.trace));
}
