//! The processing instructions: `<?define?>`, `<?undef?>`, the `<?if?>` family,
//! `<?foreach?>`, `<?include?>`, `<?error?>` and `<?warning?>`.
//!
//! Each handler reads one instruction at the walker's current position and changes the
//! variable table or the frame stack. Conditionals are always read (so that nesting is
//! tracked inside skipped branches); everything else only in an active branch. Instructions
//! WiX does not know (`<?xml-stylesheet?>`) and `<?pragma?>` (extensions) are ignored.

use super::expression::{self, Environment, ErrorKind};
use super::include;
use super::variables::{Lookup, Origin};
use super::walker::{self, Condition, Exit, Foreach, Frame, List, OpenFile, Walker};
use super::{Includes, INCLUDE_ERROR, MAX_INCLUDE_DEPTH, PREPROCESSOR_ERROR};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Span;
use crate::xml::{Instruction, NodeRef};
use std::cell::OnceCell;
use std::ops::Range;
use std::path::PathBuf;
use std::rc::Rc;

impl Walker<'_> {
    /// Handles the instruction at `index` of the innermost frame's node list.
    pub(super) fn instruction(
        &mut self,
        stack: &mut Vec<Frame>,
        pi: &Instruction<'_>,
        index: usize,
    ) {
        let Some(frame) = stack.last_mut() else {
            return;
        };
        match pi.target {
            "if" | "ifdef" | "ifndef" => self.open_condition(frame, pi),
            "elseif" | "else" => self.next_branch(frame, pi),
            "endif" => self.close_condition(frame, pi),
            _ if !frame.is_active() => {}
            "define" => self.define(pi),
            "undef" => self.undef(pi),
            "include" => self.include(stack, pi),
            "foreach" => self.foreach(stack, pi, index),
            "endforeach" => self.unmatched(
                pi,
                "`<?endforeach?>` without a `<?foreach?>` among its sibling nodes",
            ),
            "error" | "warning" => self.message(pi),
            _ => {}
        }
    }

    fn unmatched(&mut self, pi: &Instruction<'_>, message: &str) {
        let diagnostic = Diagnostic::new(PREPROCESSOR_ERROR, Severity::Error, pi.span, message)
            .with_help("conditionals and loops must open and close among the same sibling nodes; remove this instruction or add its opening one");
        self.report(diagnostic);
    }

    fn close_condition(&mut self, frame: &mut Frame, pi: &Instruction<'_>) {
        if frame.conditions.pop().is_none() {
            self.unmatched(
                pi,
                "`<?endif?>` without an open `<?if?>` among its sibling nodes",
            );
        }
    }

    fn open_condition(&mut self, frame: &mut Frame, pi: &Instruction<'_>) {
        let parent_active = frame.is_active();
        let value = parent_active && self.test(pi);
        frame.conditions.push(Condition {
            span: pi.span,
            parent_active,
            taken: value || !parent_active,
            active: value,
            seen_else: false,
        });
    }

    fn next_branch(&mut self, frame: &mut Frame, pi: &Instruction<'_>) {
        let is_else = pi.target == "else";
        let Some(condition) = frame.conditions.last() else {
            let message = format!(
                "`<?{}?>` without an open `<?if?>` among its sibling nodes",
                pi.target
            );
            self.unmatched(pi, &message);
            return;
        };
        if condition.seen_else {
            let message = format!(
                "`<?{}?>` after the `<?else?>` of the same `<?if?>`",
                pi.target
            );
            let opened = condition.span;
            let diagnostic = Diagnostic::new(PREPROCESSOR_ERROR, Severity::Error, pi.span, message)
                .with_label(opened, "the `<?if?>` opened here")
                .with_help("`<?else?>` must be the last branch; move it after the `<?elseif?>`s");
            self.report(diagnostic);
            return;
        }
        let (parent_active, taken) = (condition.parent_active, condition.taken);
        let value = if is_else {
            !taken
        } else {
            parent_active && !taken && self.test(pi)
        };
        if let Some(condition) = frame.conditions.last_mut() {
            condition.active = value;
            condition.taken |= value;
            condition.seen_else = is_else;
        }
    }

    /// Evaluates the condition of `<?if?>`, `<?elseif?>`, `<?ifdef?>` or `<?ifndef?>`.
    fn test(&mut self, pi: &Instruction<'_>) -> bool {
        match pi.target {
            "ifdef" | "ifndef" => {
                let name = pi.data.trim();
                let name = name
                    .strip_prefix("$(")
                    .and_then(|n| n.strip_suffix(')'))
                    .unwrap_or(name);
                let file = || self.current_file();
                let defined = match self.variables.lookup(name, &file) {
                    Lookup::Value(_) => true,
                    Lookup::Undefined => false,
                    Lookup::Malformed => {
                        let message = format!("`<?{}?>` needs a variable name", pi.target);
                        let diagnostic =
                            Diagnostic::new(PREPROCESSOR_ERROR, Severity::Error, pi.span, message)
                                .with_help(format!("write `<?{} Name?>`", pi.target));
                        self.report(diagnostic);
                        false
                    }
                };
                defined == (pi.target == "ifdef")
            }
            _ => {
                let mut scope = Scope {
                    walker: self,
                    data: pi.data_span,
                };
                match expression::evaluate(pi.data, &mut scope) {
                    Ok(value) => value,
                    Err(error) => {
                        let span = if !error.range.is_empty() {
                            walker::shifted(pi.data_span, error.range.clone())
                        } else if !pi.data_span.is_empty() {
                            pi.data_span
                        } else {
                            pi.span
                        };
                        let diagnostic = match error.kind {
                            ErrorKind::UndefinedInComparison => {
                                let name = pi
                                    .data
                                    .get(error.range.start + 2..error.range.end.saturating_sub(1))
                                    .unwrap_or_default();
                                walker::undefined(name, span).with_note(
                                    "comparing an undefined variable is an error; a bare `$(X)` test is false when X is undefined",
                                )
                            }
                            ErrorKind::Syntax => Diagnostic::new(
                                PREPROCESSOR_ERROR,
                                Severity::Error,
                                span,
                                format!("invalid `<?{}?>` expression: {}", pi.target, error.message),
                            )
                            .with_help("expressions compare operands with =, !=, ~=, <, <=, >, >= and combine them with NOT, AND, OR and parentheses"),
                        };
                        self.report(diagnostic);
                        false
                    }
                }
            }
        }
    }

    fn define(&mut self, pi: &Instruction<'_>) {
        let data = pi.data;
        let (name, value_range) = match data.find('=').filter(|&eq| eq > 0) {
            Some(eq) => {
                let after = &data[eq + 1..];
                let start = eq + 1 + (after.len() - after.trim_start().len());
                (data[..eq].trim(), start..data.len())
            }
            None => (data.trim(), data.len()..data.len()),
        };
        if name.is_empty() {
            let diagnostic = Diagnostic::new(
                PREPROCESSOR_ERROR,
                Severity::Error,
                pi.span,
                "`<?define?>` needs a variable name",
            )
            .with_help("write `<?define Name = value?>`");
            self.report(diagnostic);
            return;
        }
        let range = unquote(data, value_range);
        let start = walker::shifted(pi.data_span, range.clone());
        let value = self.substitute_at(&data[range], start);
        let name = name.strip_prefix("var.").unwrap_or(name);
        let previous = self
            .variables
            .define(name, value.clone(), Origin::Define(pi.data_span));
        let Some(previous) = previous.filter(|previous| previous.value != value) else {
            return;
        };
        let mut diagnostic = Diagnostic::new(
            PREPROCESSOR_ERROR,
            Severity::Warning,
            pi.data_span,
            format!(
                "`{name}` is redefined as `{value}`; it was `{}`",
                previous.value
            ),
        )
        .with_help(format!(
            "guard the definition with `<?ifndef {name}?>`, or `<?undef {name}?>` first if the new value is intended"
        ));
        diagnostic = match previous.origin {
            Origin::Define(span) => diagnostic.with_label(span, "previously defined here"),
            Origin::Foreach(span) => diagnostic.with_label(span, "previously set by this loop"),
            Origin::CommandLine => {
                diagnostic.with_note("the previous value came from the command line (`-d`)")
            }
        };
        self.report(diagnostic);
    }

    fn undef(&mut self, pi: &Instruction<'_>) {
        let name = self.substitute_at(pi.data.trim(), pi.data_span);
        let name = name.strip_prefix("var.").unwrap_or(&name);
        if self.variables.undefine(name).is_none() {
            let diagnostic = Diagnostic::new(
                PREPROCESSOR_ERROR,
                Severity::Error,
                pi.data_span,
                format!("`{name}` is not defined, so it cannot be undefined"),
            )
            .with_help(format!(
                "remove the `<?undef?>`, or guard it with `<?ifdef {name}?>`"
            ));
            self.report(diagnostic);
        }
    }

    fn message(&mut self, pi: &Instruction<'_>) {
        let text = self.substitute_at(pi.data, pi.data_span);
        let (severity, help) = if pi.target == "error" {
            (
                Severity::Error,
                "WiX stops here; this `<?error?>` is in a branch chosen by the current defines",
            )
        } else {
            (
                Severity::Warning,
                "WiX prints this warning; it is in a branch chosen by the current defines",
            )
        };
        let span = if pi.data_span.is_empty() {
            pi.span
        } else {
            pi.data_span
        };
        let diagnostic = Diagnostic::new(
            PREPROCESSOR_ERROR,
            severity,
            span,
            format!("`<?{}?>`: {text}", pi.target),
        )
        .with_help(help);
        self.report(diagnostic);
    }

    fn foreach(&mut self, stack: &mut Vec<Frame>, pi: &Instruction<'_>, index: usize) {
        let Some(frame) = stack.last_mut() else {
            return;
        };
        let Some(doc) = self.handle(frame.doc) else {
            return;
        };
        let mut depth = 1usize;
        let mut at = index + 1;
        let close = std::iter::from_fn(|| {
            let id = doc.at(at).filter(|_| at < frame.end)?;
            let position = at;
            at = doc.after(id);
            Some((position, id))
        })
        .find_map(|(position, id)| {
            if let NodeRef::Instruction(inner) = doc.node(id) {
                match inner.target {
                    "foreach" => depth += 1,
                    "endforeach" => depth -= 1,
                    _ => {}
                }
            }
            (depth == 0).then_some(position)
        });
        let Some(close) = close else {
            let diagnostic = Diagnostic::new(
                PREPROCESSOR_ERROR,
                Severity::Error,
                pi.span,
                "this `<?foreach?>` is not closed by an `<?endforeach?>` among the same sibling nodes",
            )
            .with_help("add `<?endforeach?>` after the nodes to repeat, before the end of the enclosing element");
            self.report(diagnostic);
            return;
        };
        frame.next = close + 1;
        let (doc_index, list) = (frame.doc, frame.list);
        let (variable, values) = self.foreach_values(pi);
        if let (Some(name), Some(first)) = (&variable, values.first()) {
            self.variables
                .define(name, first.clone(), Origin::Foreach(pi.span));
        }
        let foreach = Foreach {
            variable,
            values,
            index: 0,
            start: index + 1,
            span: pi.span,
        };
        // Instructions have no children: the body starts right after this one.
        stack.push(Frame::new(
            doc_index,
            list,
            index + 1..close,
            Exit::Foreach(foreach),
        ));
    }

    /// The loop variable and values of `<?foreach NAME in A;B;C?>`.
    fn foreach_values(&mut self, pi: &Instruction<'_>) -> (Option<String>, Vec<String>) {
        let data = pi.data;
        let Some(at) = data.find(" in ") else {
            let diagnostic = Diagnostic::new(
                PREPROCESSOR_ERROR,
                Severity::Error,
                pi.data_span,
                "expected `<?foreach Name in value1;value2?>`",
            )
            .with_help("name the loop variable, then ` in `, then `;`-separated values or a variable holding them");
            self.report(diagnostic);
            return (None, vec![String::new()]);
        };
        let name = data[..at].trim().to_string();
        let after = &data[at + 4..];
        let start = at + 4 + (after.len() - after.trim_start().len());
        let mut range = start..start + after.trim().len();
        let list = &data[range.clone()];
        if list.starts_with('"') {
            if list.len() > 1 && list.ends_with('"') {
                range = range.start + 1..range.end - 1;
            } else {
                let diagnostic = Diagnostic::new(
                    PREPROCESSOR_ERROR,
                    Severity::Error,
                    walker::shifted(pi.data_span, range.clone()),
                    "this quote is never closed",
                )
                .with_help("end the value list with `\"`");
                self.report(diagnostic);
            }
        }
        let text = &data[range.clone()];
        let values = self.substitute_at(text, walker::shifted(pi.data_span, range));
        (Some(name), values.split(';').map(str::to_string).collect())
    }

    fn include(&mut self, stack: &mut Vec<Frame>, pi: &Instruction<'_>) {
        if matches!(self.includes, Includes::Deferred) {
            self.deferred = true;
            Walker::abandon(stack);
            return;
        }
        let reported = self.reported();
        let argument = self.substitute_at(pi.data, pi.data_span);
        if self.reported() != reported {
            // The path names an undefined variable; that diagnostic says it all.
            return;
        }
        let written = include::written_path(&argument);
        let error = |message: String, help: String| {
            Diagnostic::new(INCLUDE_ERROR, Severity::Error, pi.data_span, message).with_help(help)
        };
        if written.is_empty() {
            self.report(error(
                "`<?include?>` names no file".into(),
                "write `<?include path/to/file.wxi?>`".into(),
            ));
            return;
        }
        if self.included_from.len() >= MAX_INCLUDE_DEPTH {
            self.report(error(
                format!("includes nest more than {MAX_INCLUDE_DEPTH} files deep"),
                "an include chain this deep is almost certainly a cycle guarded by a condition that never stops it".into(),
            ));
            return;
        }
        let including = self
            .files
            .last()
            .map(|f| f.path.clone())
            .unwrap_or_default();
        let path = match include::resolve(&written, &including, &self.settings.include_dirs) {
            Ok(path) => path,
            Err(tried) => {
                let tried: Vec<String> =
                    tried.iter().map(|p| format!("`{}`", p.display())).collect();
                self.report(error(
                    format!("cannot find the included file `{written}`"),
                    format!(
                        "looked for {}; add its directory with `-I DIR`",
                        tried.join(", ")
                    ),
                ));
                return;
            }
        };
        let identity = include::identity(&path);
        let state = self.variables.digest();
        let open = |f: &OpenFile| f.entered_with == state && *f.identity() == identity;
        if let Some(position) = self.files.iter().position(open) {
            let message = if position + 1 == self.files.len() {
                format!("`{written}` includes itself")
            } else {
                format!("include cycle: `{written}` is already being included")
            };
            let mut diagnostic = error(
                message,
                "remove this `<?include?>`; WiX would include the file again and again".into(),
            );
            // The include that first opened the file (frames 1.. each came from one).
            if position > 0 {
                if let Some(&first) = self.included_from.get(self.files.len() - 1 - position) {
                    diagnostic = diagnostic.with_label(first, "the file was first included here");
                }
            }
            self.report(diagnostic);
            return;
        }
        let Some(doc_index) = self.load(&path, pi) else {
            return;
        };
        let Some(file_id) = self.loaded.get(doc_index - 1).map(|d| d.file()) else {
            return;
        };
        self.files.push(OpenFile {
            path: PathBuf::from(path.display().to_string()),
            absolute: OnceCell::new(),
            identity: OnceCell::from(identity),
            entered_with: state,
        });
        self.included_from.insert(0, pi.span);
        self.trace.read_through(file_id, &self.included_from);
        let top_level = self.loaded[doc_index - 1].top_level();
        stack.push(Frame::new(
            doc_index,
            List::TopLevel,
            top_level,
            Exit::EndInclude,
        ));
    }

    /// Reads and parses an included file once per walk; the document index, or `None` after
    /// reporting why it cannot be used.
    fn load(&mut self, path: &std::path::Path, pi: &Instruction<'_>) -> Option<usize> {
        let Includes::Read(db) = &mut self.includes else {
            return None;
        };
        let name = path.display().to_string();
        let existing = db.ids().find(|&id| db.file(id).path() == name);
        let file_id = match existing {
            Some(id) => id,
            None => match include::read(path) {
                Ok(text) => db.add(name.clone(), text),
                Err(reason) => {
                    let diagnostic = Diagnostic::new(
                        INCLUDE_ERROR,
                        Severity::Error,
                        pi.data_span,
                        format!("cannot read the included file `{name}`: {reason}"),
                    )
                    .with_help("save the file as UTF-8 and check that it is readable");
                    self.report(diagnostic);
                    return None;
                }
            },
        };
        if let Some(&known) = self.parsed.get(&file_id) {
            return known;
        }
        let parsed = crate::xml::parse(file_id, db.file(file_id).shared_text());
        let result = match parsed {
            Ok(document) => {
                self.loaded_nodes += document.top_level().len();
                self.loaded.push(Rc::new(document));
                Some(self.loaded.len())
            }
            Err(error) => {
                let diagnostic = Diagnostic::new(
                    INCLUDE_ERROR,
                    Severity::Error,
                    error.span,
                    format!(
                        "the included file is not well-formed XML: {}",
                        error.message
                    ),
                )
                .with_label(pi.span, "included here")
                .with_help("fix the XML in the included file");
                self.report(diagnostic);
                None
            }
        };
        self.parsed.insert(file_id, result);
        result
    }
}

/// `range` of `data` without one pair of matching quotes around it.
fn unquote(data: &str, range: Range<usize>) -> Range<usize> {
    let text = &data[range.clone()];
    let quoted = text.len() > 1
        && ((text.starts_with('"') && text.ends_with('"'))
            || (text.starts_with('\'') && text.ends_with('\'')));
    if quoted {
        range.start + 1..range.end - 1
    } else {
        range
    }
}

/// Lets the expression evaluator read variables and report substitution problems.
struct Scope<'a, 'w> {
    walker: &'a mut Walker<'w>,
    data: Span,
}

impl Environment for Scope<'_, '_> {
    fn variable(&mut self, reference: &str, range: Range<usize>) -> Option<String> {
        let name = reference
            .get(2..reference.len().saturating_sub(1))
            .unwrap_or_default();
        if name.starts_with("loc.") || (name.contains('(') && !name.starts_with("env.")) {
            return Some(reference.to_string());
        }
        let file = || self.walker.current_file();
        match self.walker.variables.lookup(name, &file) {
            Lookup::Value(value) => Some(value),
            Lookup::Undefined => None,
            Lookup::Malformed => {
                let span = walker::shifted(self.data, range);
                let diagnostic = Diagnostic::new(
                    PREPROCESSOR_ERROR,
                    Severity::Error,
                    span,
                    "this preprocessor variable reference has no name",
                )
                .with_help("write `$(var.Name)`, `$(env.NAME)` or `$(sys.NAME)`");
                self.walker.report(diagnostic);
                None
            }
        }
    }

    fn substitute(&mut self, text: &str, range: Range<usize>) -> String {
        let start = walker::shifted(self.data, range);
        self.walker.substitute_at(text, start)
    }
}
