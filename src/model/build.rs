//! Reads one preprocessed file into sections, rows and custom actions.
//!
//! [`build`] drives the preprocessor's walk with a [`Builder`] that keeps a stack of the
//! elements it is inside. What an element means depends on where it is: a `Package` under
//! `Wix` opens a section, any element under a sequence element is a scheduling row, a
//! `CustomAction` anywhere in a section defines an action, and so on.

use super::conditions::{self, TextTarget};
use super::content::{triggers_of, Trigger};
use super::custom_action::{type_of, CustomAction, CustomActionOrigin, Execute, TypeInputs};
use super::properties::{self, FilledProperty, PropertyDefinition};
use super::{
    Access, ActionKind, ActionRow, Dialect, Directive, PackageFacts, Reference, RowOrigin, Section,
    SectionKind, Spanned, Suppression, Symbol, Table, WixVersion,
};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::preprocess::{self, AttributeView, ElementView, Visitor};
use crate::source::{FileId, Span};
use crate::xml::{self, Document, XmlError};
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

/// WXC007: the root element is not a WiX v3 or v4+ `Wix` element.
pub const UNSUPPORTED_DIALECT: Code =
    crate::rules::input::unsupported_wix_dialect::UNSUPPORTED_WIX_DIALECT.code;

/// How the model reads files.
#[derive(Clone, Debug, Default)]
pub struct BuildSettings {
    /// `--wix 4|5|6` for v4-namespace files; `None` means the newest.
    pub requested_version: Option<u8>,
    /// Building for x64 or arm64 (64-bit script custom actions by default).
    pub arch_64: bool,
}

/// What reading one given file, and the files it includes, produced.
#[derive(Default)]
pub struct FileModel {
    pub sections: Vec<Section>,
    pub directives: Vec<Directive>,
    pub diagnostics: Vec<Diagnostic>,
    pub trace: preprocess::Trace,
}

/// Reads the parsed file at `path` into sections; `None` when the walk met an
/// `<?include?>` it had to defer (see [`preprocess::Includes::Deferred`]).
pub fn build(
    path: &Path,
    includes: preprocess::Includes<'_>,
    document: &Document,
    preprocessor: &preprocess::Settings,
    settings: &BuildSettings,
) -> Option<FileModel> {
    let mut builder = Builder::new(settings);
    let mut read = FileModel::default();
    let (diagnostics, trace) = (&mut read.diagnostics, &mut read.trace);
    let walk = preprocess::walk(
        path,
        includes,
        document,
        preprocessor,
        &mut builder,
        diagnostics,
        trace,
    );
    (walk == preprocess::Walked::Complete).then(|| builder.finish(read))
}

/// Reads the file `file` with `text` into sections while it is parsed, without a tree.
/// `Ok(None)` when the file needs a tree after all (it has an instruction, or a character
/// only [`crate::xml::parse`] reports): it then needs [`build`]. `reading` says whether the
/// parser runs on a second thread.
pub fn build_streamed(
    path: &Path,
    (file, text): (FileId, &str),
    reading: xml::Reading,
    preprocessor: &preprocess::Settings,
    settings: &BuildSettings,
) -> Result<Option<FileModel>, XmlError> {
    let mut builder = Builder::new(settings);
    let mut read = FileModel::default();
    let (diagnostics, trace) = (&mut read.diagnostics, &mut read.trace);
    let source = (file, text);
    let walk = preprocess::walk_streamed(
        path,
        source,
        reading,
        preprocessor,
        &mut builder,
        diagnostics,
        trace,
    )?;
    Ok((walk == preprocess::Walked::Complete).then(|| builder.finish(read)))
}

/// What the builder knows about each open element.
enum Frame {
    /// Outside any section (the `Wix` root, or an ignored root).
    Outer {
        ignored: bool,
    },
    Section {
        name: &'static str,
    },
    Sequence {
        table: Table,
    },
    /// An element whose inner text is a v3 condition.
    ConditionText {
        target: TextTarget,
    },
    /// A `CustomAction` whose inner text is its inline script.
    ScriptText,
    /// Any other element, by its name if that means something to its children (see
    /// [`parent_name`]).
    Other {
        name: &'static str,
    },
    /// An element of another namespace (an extension), and everything inside it.
    Foreign,
}

struct Builder<'s> {
    settings: &'s BuildSettings,
    dialect: Option<Dialect>,
    version: WixVersion,
    frames: Vec<Frame>,
    /// How many of `frames` are `<Property>` elements (searches inside one fill it).
    open_properties: usize,
    sections: Vec<Section>,
    annotations: Vec<Spanned<String>>,
    /// Comments already followed by an element.
    directives: Vec<Directive>,
    /// The directives of open elements, whose extent is known when they end: the depth of
    /// the element and the range in `directives`.
    open_directives: Vec<(usize, std::ops::Range<usize>)>,
    diagnostics: Vec<Diagnostic>,
}

/// The attributes of one element, by unprefixed name.
struct Attributes<'v, 'a> {
    view: &'v ElementView<'a>,
}

impl Attributes<'_, '_> {
    fn get(&self, name: &str) -> Option<&str> {
        self.view.attribute(name).map(|a| a.value.as_ref())
    }

    fn spanned(&self, name: &str) -> Option<Spanned<String>> {
        self.view.attribute(name).map(spanned_value)
    }

    fn is_yes(&self, name: &str) -> bool {
        self.get(name) == Some("yes")
    }
}

fn spanned_value(attribute: &AttributeView<'_>) -> Spanned<String> {
    Spanned::new(attribute.value.to_string(), attribute.value_span)
}

impl<'s> Builder<'s> {
    fn new(settings: &'s BuildSettings) -> Self {
        Builder {
            settings,
            dialect: None,
            version: WixVersion::NEWEST,
            frames: Vec::new(),
            open_properties: 0,
            sections: Vec::new(),
            annotations: Vec::new(),
            directives: Vec::new(),
            open_directives: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    /// What the walk built, added to what it reported and recorded in `read`.
    fn finish(mut self, mut read: FileModel) -> FileModel {
        read.diagnostics.append(&mut self.diagnostics);
        let trailing = self.annotations.into_iter().map(|text| Directive {
            text,
            element: None,
        });
        read.directives = self.directives.into_iter().chain(trailing).collect();
        read.sections = self.sections;
        read
    }
}

impl Visitor for Builder<'_> {
    fn start_element(&mut self, view: &ElementView<'_>) {
        let annotations = std::mem::take(&mut self.annotations);
        if !annotations.is_empty() {
            let first = self.directives.len();
            let element = Some(view.element.span());
            self.directives
                .extend(annotations.iter().map(|text| Directive {
                    text: text.clone(),
                    element,
                }));
            let range = first..self.directives.len();
            self.open_directives.push((self.frames.len(), range));
        }
        let frame = self.frame_for(view, annotations);
        self.open_properties += usize::from(is_property(&frame));
        self.frames.push(frame);
    }

    fn end_element(&mut self, element: Span) {
        let depth = self.frames.len().saturating_sub(1);
        if self
            .open_directives
            .last()
            .is_some_and(|(at, _)| *at == depth)
        {
            let range = self.open_directives.pop().map(|(_, range)| range);
            for directive in &mut self.directives[range.unwrap_or_default()] {
                directive.element = Some(element);
            }
        }
        if let Some(frame) = self.frames.pop() {
            self.open_properties -= usize::from(is_property(&frame));
        }
    }

    fn text(&mut self, value: &str, raw: &str, span: Span) {
        if let Some(Frame::ScriptText) = self.frames.last() {
            return self.script_text(value, span);
        }
        let (Some(Frame::ConditionText { target }), Some(dialect), Some(section)) =
            (self.frames.last(), self.dialect, self.sections.last_mut())
        else {
            return;
        };
        conditions::inner_text(section, target, dialect, Spanned::new(value, span), raw);
    }

    fn comment(&mut self, text: &str, span: Span) {
        if let Some(directive) = text.trim().strip_prefix("wixcheck:") {
            self.annotations
                .push(Spanned::new(directive.trim().to_string(), span));
        }
    }
}

impl Builder<'_> {
    fn frame_for(&mut self, view: &ElementView<'_>, annotations: Vec<Spanned<String>>) -> Frame {
        let element = view.element;
        let name = element.name();
        let Some(parent) = self.frames.last() else {
            return self.root(view);
        };
        let dialect = match (parent, self.dialect) {
            (Frame::Foreign, _) | (Frame::Outer { ignored: true, .. }, _) | (_, None) => {
                return Frame::Foreign
            }
            (_, Some(dialect)) => dialect,
        };
        if element.namespace() != Some(namespace_of(dialect)) {
            self.record_extension_use(view);
            return Frame::Foreign;
        }
        let attributes = Attributes { view };
        match parent {
            Frame::Outer { .. } => self.open_section(view, dialect),
            Frame::Sequence { table } => {
                let table = *table;
                self.sequence_child(view, table, dialect)
            }
            Frame::Section { .. }
            | Frame::ConditionText { .. }
            | Frame::ScriptText
            | Frame::Other { .. } => {
                let parent_name = match parent {
                    Frame::Section { name } | Frame::Other { name } => *name,
                    _ => "",
                };
                if let Some(table) = Table::from_element(name) {
                    return Frame::Sequence { table };
                }
                self.section_content(view, &attributes, parent_name, dialect, annotations)
            }
            Frame::Foreign => Frame::Foreign,
        }
    }

    fn root(&mut self, view: &ElementView<'_>) -> Frame {
        let element = view.element;
        let namespace = element.namespace().unwrap_or_default();
        let dialect = super::Dialect::from_namespace(namespace);
        let name = element.name().to_string();
        match dialect {
            Some(dialect) if matches!(name.as_str(), "Wix" | "Include") => {
                self.dialect = Some(dialect);
                self.version = WixVersion::for_dialect(dialect, self.settings.requested_version);
                Frame::Outer { ignored: false }
            }
            _ => {
                let found = if namespace.is_empty() {
                    "no namespace".to_string()
                } else {
                    format!("namespace `{namespace}`")
                };
                let diagnostic = Diagnostic::new(
                    UNSUPPORTED_DIALECT,
                    Severity::Error,
                    element.name_span(),
                    format!("`<{name}>` in {found} is not a WiX source this tool understands"),
                )
                .with_help(format!(
                    "WiX sources have a `<Wix>` root with xmlns=\"{}\" (v4+) or xmlns=\"{}\" (v3)",
                    super::V4_NAMESPACE,
                    super::V3_NAMESPACE
                ));
                self.diagnostics.push(diagnostic);
                Frame::Outer { ignored: true }
            }
        }
    }

    fn open_section(&mut self, view: &ElementView<'_>, dialect: Dialect) -> Frame {
        let element = view.element;
        let name = element.name();
        let attributes = Attributes { view };
        let kind = match (name, dialect) {
            ("Product", Dialect::V3) | ("Package", Dialect::V4) => SectionKind::Package,
            ("Module", _) => SectionKind::Module,
            ("Fragment", _) => SectionKind::Fragment,
            ("Bundle" | "Patch" | "PatchCreation", _) => SectionKind::Other,
            _ => {
                // Content directly under <Include> or unknown top-level elements: treat as a
                // fragment so their definitions still count.
                SectionKind::Fragment
            }
        };
        let package =
            (kind == SectionKind::Package && dialect == Dialect::V4).then(|| PackageFacts {
                has_upgrade_code: attributes.get("UpgradeCode").is_some()
                    || (self.version.0 >= 6 && attributes.get("Id").is_some()),
                major_upgrade_strategy: attributes.get("UpgradeStrategy").unwrap_or("majorUpgrade")
                    == "majorUpgrade",
            });
        let mut section = Section {
            kind,
            file: element.span().file,
            dialect,
            version: self.version,
            span: element.name_span(),
            id: attributes.get("Id").map(str::to_string),
            definitions: Vec::new(),
            references: Vec::new(),
            rows: Vec::new(),
            suppressions: Vec::new(),
            custom_actions: Vec::new(),
            conditions: Vec::new(),
            inner_text_conditions: Vec::new(),
            content: BTreeSet::new(),
            has_upgrade_row: false,
            properties: Default::default(),
            module_guid: None,
            package,
        };
        if kind == SectionKind::Module {
            section.module_guid = attributes.get("Guid").map(str::to_string);
        }
        let is_included_content = !matches!(
            name,
            "Product" | "Package" | "Module" | "Fragment" | "Bundle" | "Patch" | "PatchCreation"
        );
        self.sections.push(section);
        if is_included_content {
            return self.section_content(view, &attributes, "Fragment", dialect, Vec::new());
        }
        Frame::Section {
            name: parent_name(name),
        }
    }

    /// An element of an extension namespace (`ui:WixUI`, `util:…`) inside a section: the
    /// output then depends on code these files do not contain, recorded as a reference to an
    /// `Extension` symbol nothing defines (`ui:WixUI` references its UI).
    fn record_extension_use(&mut self, view: &ElementView<'_>) {
        let element = view.element;
        let symbol = match (element.name(), view.attribute("Id")) {
            ("WixUI", Some(id)) => Symbol::new("UI", id.value.as_ref()),
            _ => Symbol::new("Extension", element.namespace().unwrap_or_default()),
        };
        if let Some(section) = self.section() {
            section.references.push(Reference {
                symbol,
                span: element.name_span(),
            });
        }
    }

    fn section(&mut self) -> Option<&mut Section> {
        self.sections.last_mut()
    }

    fn section_content(
        &mut self,
        view: &ElementView<'_>,
        attributes: &Attributes<'_, '_>,
        parent: &str,
        dialect: Dialect,
        annotations: Vec<Spanned<String>>,
    ) -> Frame {
        let element = view.element;
        let name = element.name();
        let lookup = |attribute: &str| attributes.get(attribute);
        let version = self.version;
        let Some(section) = self.section() else {
            return Frame::Foreign;
        };
        triggers_of(dialect, name, parent, &lookup, &mut section.content);
        record_symbols(section, view, dialect);
        self.record_properties(view, attributes);
        match name {
            "CustomAction" => {
                let custom_action = self.custom_action(view, dialect, annotations);
                if let Some(section) = self.section() {
                    section.custom_actions.extend(custom_action.map(Arc::new));
                }
                if attributes.get("Script").is_some() {
                    return Frame::ScriptText;
                }
            }
            "SetProperty" | "SetDirectory" => return self.set_property(view, dialect),
            "MajorUpgrade" => self.major_upgrade(view),
            "UpgradeVersion" if !attributes.is_yes("OnlyDetect") => {
                if let Some(section) = self.section() {
                    section.has_upgrade_row = true;
                }
            }
            "EnsureTable" if version.0 >= 6 => {
                let trigger = attributes.get("Id").and_then(Trigger::for_table);
                if let Some(section) = self.section() {
                    section.content.extend(trigger);
                }
            }
            "Package" if dialect == Dialect::V3 && parent == "Module" => {
                let guid = attributes.get("Id").map(str::to_string);
                if let Some(section) = self.section() {
                    section.module_guid = guid;
                }
            }
            _ => {}
        }
        let Some(section) = self.section() else {
            return Frame::Foreign;
        };
        match conditions::record(section, view, parent, dialect) {
            Some(target) => Frame::ConditionText { target },
            None => Frame::Other {
                name: parent_name(name),
            },
        }
    }

    /// One text run of the inline script of the `CustomAction` just opened.
    fn script_text(&mut self, value: &str, span: Span) {
        let last = self.section().and_then(|s| s.custom_actions.last_mut());
        if let Some(custom_action) = last.map(Arc::make_mut) {
            custom_action
                .script
                .push(Spanned::new(value.to_string(), span));
        }
    }

    /// Property facts: definitions, searches and upgrade rows that fill them, dialog writes and
    /// `DoAction` events.
    fn record_properties(&mut self, view: &ElementView<'_>, attributes: &Attributes<'_, '_>) {
        let name = view.element.name();
        let inside_property = self.open_properties > 0;
        let Some(section) = self.section() else {
            return;
        };
        let properties = &mut section.properties;
        match name {
            "Property" => {
                if let Some(id) = attributes.spanned("Id") {
                    properties.definitions.push(PropertyDefinition {
                        id,
                        secure: attributes.is_yes("Secure"),
                        value: attributes.spanned("Value"),
                    });
                }
            }
            search if inside_property && properties::is_search(search) => {
                if let Some(definition) = properties.definitions.last() {
                    properties.filled.push(FilledProperty {
                        property: definition.id.clone(),
                        by: "AppSearch",
                    });
                }
            }
            "UpgradeVersion" => {
                properties
                    .filled
                    .extend(
                        attributes
                            .spanned("Property")
                            .map(|property| FilledProperty {
                                property,
                                by: "FindRelatedProducts",
                            }),
                    )
            }
            "MajorUpgrade" => properties
                .filled
                .extend(
                    properties::MAJOR_UPGRADE_PROPERTIES.map(|property| FilledProperty {
                        property: Spanned::new(property.to_string(), view.element.name_span()),
                        by: "FindRelatedProducts",
                    }),
                ),
            "Control" | "Publish" => {
                properties.ui_writes.extend(attributes.spanned("Property"));
                if name == "Publish" && attributes.get("Event") == Some("DoAction") {
                    if let Some(action) = attributes.spanned("Value") {
                        section.references.push(Reference {
                            symbol: Symbol::new("CustomAction", &action.value),
                            span: action.span,
                        });
                        section.properties.do_actions.push(action);
                    }
                }
            }
            _ => {}
        }
    }

    fn custom_action(
        &mut self,
        view: &ElementView<'_>,
        dialect: Dialect,
        annotations: Vec<Spanned<String>>,
    ) -> Option<CustomAction> {
        let attributes = Attributes { view };
        let id = attributes.spanned("Id")?;
        let lookup = |name: &str| attributes.get(name);
        let inputs = TypeInputs {
            dialect,
            attribute: &lookup,
            arch_64: self.settings.arch_64,
        };
        let (type_bits, extended_type, execute) = type_of(&inputs);
        Some(CustomAction {
            id,
            element: view.element.name_span(),
            origin: CustomActionOrigin::CustomAction,
            type_bits,
            extended_type,
            execute,
            attributes: all_attributes(view).into(),
            annotations,
            script: Vec::new(),
        })
    }

    /// SetProperty and SetDirectory: a custom action plus its rows in one or both UI/execute
    /// sequences.
    fn set_property(&mut self, view: &ElementView<'_>, dialect: Dialect) -> Frame {
        let element = view.element;
        let attributes = Attributes { view };
        let is_directory = element.name() == "SetDirectory";
        let Some(id) = attributes.spanned("Id") else {
            return Frame::Other {
                name: parent_name(element.name()),
            };
        };
        let action = attributes
            .spanned("Action")
            .unwrap_or_else(|| Spanned::new(format!("Set{}", id.value), id.span));
        let sequence = attributes.get("Sequence").unwrap_or("both");
        let tables: &[Table] = match sequence {
            "execute" => &[Table::InstallExecute],
            "ui" => &[Table::InstallUI],
            _ => &[Table::InstallUI, Table::InstallExecute],
        };
        let first = if sequence == "first" { 0x100 } else { 0 };
        let (type_bits, origin, row_origin) = match (is_directory, dialect) {
            (true, Dialect::V4) => (
                35,
                CustomActionOrigin::SetDirectory,
                RowOrigin::SetDirectory,
            ),
            (true, Dialect::V3) => (
                51,
                CustomActionOrigin::SetDirectory,
                RowOrigin::SetDirectory,
            ),
            (false, _) => (51, CustomActionOrigin::SetProperty, RowOrigin::SetProperty),
        };
        let (before, after) = if is_directory {
            let anchor = match dialect {
                Dialect::V4 => "CostFinalize",
                Dialect::V3 => "CostInitialize",
            };
            (
                None,
                Some(Spanned::new(anchor.to_string(), element.name_span())),
            )
        } else {
            (attributes.spanned("Before"), attributes.spanned("After"))
        };
        let condition = match dialect {
            Dialect::V4 => conditions::attribute_condition(view, "Condition"),
            Dialect::V3 => None,
        };
        let mut custom_attributes = all_attributes(view);
        let target_kind = if is_directory {
            "Directory"
        } else {
            "Property"
        };
        custom_attributes.push((target_kind.to_string(), id.clone()));
        let custom_action = CustomAction {
            id: action.clone(),
            element: element.name_span(),
            origin,
            type_bits: type_bits | first,
            extended_type: 0,
            execute: if first != 0 {
                Execute::FirstSequence
            } else {
                Execute::Immediate
            },
            attributes: custom_attributes.into(),
            annotations: Vec::new(),
            script: Vec::new(),
        };
        let Some(section) = self.section() else {
            return Frame::Foreign;
        };
        section
            .definitions
            .push(Symbol::new("CustomAction", &action.value));
        section.custom_actions.push(Arc::new(custom_action));
        let mut rows = Vec::new();
        for &table in tables {
            rows.push(section.rows.len());
            push_row(
                section,
                ActionRow {
                    table,
                    action: action.clone(),
                    kind: ActionKind::Custom,
                    sequence: None,
                    before: before.clone(),
                    after: after.clone(),
                    on_exit: None,
                    condition: condition.clone(),
                    overridable: false,
                    access: Access::Global,
                    element: element.name_span(),
                    origin: row_origin,
                },
            );
        }
        Frame::ConditionText {
            target: TextTarget::Rows(rows),
        }
    }

    fn major_upgrade(&mut self, view: &ElementView<'_>) {
        let attributes = Attributes { view };
        let element = view.element;
        let schedule = attributes.spanned("Schedule");
        let anchor = match schedule.as_ref().map(|s| s.value.as_str()) {
            Some("afterInstallInitialize") => "InstallInitialize",
            Some("afterInstallExecute") => "InstallExecute",
            Some("afterInstallExecuteAgain") => "InstallExecuteAgain",
            Some("afterInstallFinalize") => "InstallFinalize",
            _ => "InstallValidate",
        };
        let anchor_span = schedule.map_or(element.name_span(), |s| s.span);
        let Some(section) = self.section() else {
            return;
        };
        section.has_upgrade_row = true;
        section.content.insert(Trigger::Upgrade);
        if attributes.get("MigrateFeatures") != Some("no") {
            section.content.insert(Trigger::MigrateFeatures);
        }
        if !attributes.is_yes("AllowDowngrades") || attributes.is_yes("Disallow") {
            section.content.insert(Trigger::LaunchCondition);
        }
        push_row(
            section,
            ActionRow {
                table: Table::InstallExecute,
                action: Spanned::new("RemoveExistingProducts".to_string(), element.name_span()),
                kind: ActionKind::Standard,
                sequence: None,
                before: None,
                after: Some(Spanned::new(anchor.to_string(), anchor_span)),
                on_exit: None,
                condition: None,
                overridable: false,
                access: Access::Global,
                element: element.name_span(),
                origin: RowOrigin::MajorUpgrade,
            },
        );
    }

    /// A child of a sequence element: `Custom`, `Show` or a standard action element.
    fn sequence_child(&mut self, view: &ElementView<'_>, table: Table, dialect: Dialect) -> Frame {
        let element = view.element;
        let attributes = Attributes { view };
        let (named, kind) = match element.name() {
            "Custom" => (attributes.spanned("Action"), ActionKind::Custom),
            "Show" => (attributes.spanned("Dialog"), ActionKind::Dialog),
            other => (
                Some(Spanned::new(other.to_string(), element.name_span())),
                ActionKind::Standard,
            ),
        };
        let Some(named) = named else {
            return Frame::Other {
                name: parent_name(element.name()),
            };
        };
        let (access, action) = split_access(&named.value);
        let action = Spanned::new(action.to_string(), named.span);
        let version = self.version;
        let Some(section) = self.section() else {
            return Frame::Foreign;
        };
        if attributes.is_yes("Suppress") {
            let conflict = ["Before", "After", "Sequence", "Overridable"]
                .into_iter()
                .find_map(|name| attributes.view.attribute(name))
                .map(|attribute| attribute.name_span);
            section.suppressions.push(Suppression {
                table,
                action,
                conflict,
            });
            return Frame::Other {
                name: parent_name(element.name()),
            };
        }
        match kind {
            ActionKind::Custom => section.references.push(Reference {
                symbol: Symbol::new("CustomAction", &action.value),
                span: action.span,
            }),
            ActionKind::Dialog => section.references.push(Reference {
                symbol: Symbol::new("Dialog", &action.value),
                span: action.span,
            }),
            ActionKind::Standard => {}
        }
        let overridable = attributes.is_yes("Overridable");
        let access = if overridable && version.has_virtual_symbols() {
            Access::Virtual
        } else {
            access
        };
        let row = ActionRow {
            table,
            kind,
            sequence: attributes.view.attribute("Sequence").and_then(|a| {
                let value = a.value.trim().parse().ok()?;
                Some(Spanned::new(value, a.value_span))
            }),
            before: attributes.spanned("Before"),
            after: attributes.spanned("After"),
            on_exit: attributes.view.attribute("OnExit").and_then(|a| {
                let value = on_exit_number(&a.value)?;
                Some(Spanned::new(value, a.value_span))
            }),
            condition: match dialect {
                Dialect::V4 => conditions::attribute_condition(view, "Condition"),
                Dialect::V3 => None,
            },
            overridable: overridable && !version.has_virtual_symbols(),
            access,
            element: element.name_span(),
            origin: RowOrigin::Authored,
            action,
        };
        let index = section.rows.len();
        push_row(section, row);
        Frame::ConditionText {
            target: TextTarget::Rows(vec![index]),
        }
    }
}

/// Adds a row with the symbol it defines and the references its anchors make.
fn push_row(section: &mut Section, row: ActionRow) {
    section
        .definitions
        .push(Symbol::action(row.table, &row.action.value));
    for anchor in [&row.before, &row.after].into_iter().flatten() {
        section.references.push(Reference {
            symbol: Symbol::action(row.table, &anchor.value),
            span: anchor.span,
        });
    }
    section.rows.push(std::sync::Arc::new(row));
}

/// Definitions (`<X Id="…">`) and references (`<XRef Id="…">`, `BinaryRef="…"`) for linking.
fn record_symbols(section: &mut Section, view: &ElementView<'_>, dialect: Dialect) {
    let name = view.element.name();
    if let Some(id) = view.attribute("Id") {
        if let Some(kind) = name.strip_suffix("Ref") {
            section.references.push(Reference {
                symbol: Symbol::new(kind, id.value.as_ref()),
                span: id.value_span,
            });
        } else {
            let kind = if name == "StandardDirectory" {
                "Directory"
            } else {
                name
            };
            section
                .definitions
                .push(Symbol::new(kind, id.value.as_ref()));
        }
    }
    let (binary, file) = match dialect {
        Dialect::V3 => ("BinaryKey", "FileKey"),
        Dialect::V4 => ("BinaryRef", "FileRef"),
    };
    for (attribute, kind) in [
        (binary, "Binary"),
        (file, "File"),
        ("Directory", "Directory"),
    ] {
        if let Some(value) = view.attribute(attribute) {
            if name != "Directory" && !value.value.is_empty() {
                section.references.push(Reference {
                    symbol: Symbol::new(kind, value.value.as_ref()),
                    span: value.value_span,
                });
            }
        }
    }
}

fn all_attributes(view: &ElementView<'_>) -> Vec<(String, Spanned<String>)> {
    view.attributes
        .iter()
        .filter(|a| a.attribute.is_unprefixed())
        .map(|a| (a.attribute.name().to_string(), spanned_value(a)))
        .collect()
}

/// Splits a v5+ access modifier off an action name: `override SetBar` → (Override, `SetBar`).
fn split_access(name: &str) -> (Access, &str) {
    let name = name.trim();
    match name.split_once(' ') {
        Some(("virtual", rest)) => (Access::Virtual, rest.trim()),
        Some(("override", rest)) => (Access::Override, rest.trim()),
        Some((
            "global" | "library" | "file" | "section" | "public" | "internal" | "protected"
            | "private",
            rest,
        )) => (Access::Global, rest.trim()),
        _ => (Access::Global, name),
    }
}

fn on_exit_number(value: &str) -> Option<i32> {
    Some(match value {
        "success" => -1,
        "cancel" => -2,
        "error" => -3,
        "suspend" => -4,
        _ => return None,
    })
}

fn namespace_of(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::V3 => super::V3_NAMESPACE,
        Dialect::V4 => super::V4_NAMESPACE,
    }
}

/// Whether a frame is a `<Property>` element (counted so nesting depth costs no rescans).
fn is_property(frame: &Frame) -> bool {
    matches!(frame, Frame::Other { name: "Property" })
}

/// The names of elements whose children are read differently because of them (conditions,
/// content triggers, searches inside a `Property`); any other parent is "".
const MEANINGFUL_PARENTS: [&str; 9] = [
    "Product",
    "Package",
    "Fragment",
    "Module",
    "Feature",
    "Component",
    "Control",
    "File",
    "Property",
];

/// `name` as a parent: itself if it is one of [`MEANINGFUL_PARENTS`], else "".
fn parent_name(name: &str) -> &'static str {
    MEANINGFUL_PARENTS
        .into_iter()
        .find(|parent| *parent == name)
        .unwrap_or_default()
}
