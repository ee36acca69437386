//! The WiX semantic model: sections, custom actions and scheduling rows, each value with the
//! span it was written at.
//!
//! [`build`] reads one preprocessed file into [`Section`]s (Package/Product, Module,
//! Fragment). A section records what it defines and references (for the linker), the
//! sequence-table rows it authors — including the ones WiX generates for SetProperty,
//! SetDirectory and MajorUpgrade —, the custom actions it defines, and the content that makes
//! WiX add standard actions (files, registry, services, …). The model knows nothing about
//! numbering; `sequence` does that.

mod build;
mod conditions;
mod content;
pub mod custom_action;
pub mod extension_actions;
pub mod formatted;
pub mod properties;
pub mod standard_actions;
mod table;

pub use crate::condition::Condition;
pub use build::{build, build_streamed, BuildSettings, FileModel};
pub use conditions::{ConditionKind, ConditionSite, InnerTextCondition};
pub use content::Trigger;
pub use custom_action::{CustomAction, CustomActionOrigin, Execute};
pub use table::Table;

use crate::source::{FileId, Span};
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::Arc;

/// A value and where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// The schema a file is written in, decided by its namespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dialect {
    /// `http://schemas.microsoft.com/wix/2006/wi`
    V3,
    /// `http://wixtoolset.org/schemas/v4/wxs`
    V4,
}

pub const V3_NAMESPACE: &str = "http://schemas.microsoft.com/wix/2006/wi";
pub const V4_NAMESPACE: &str = "http://wixtoolset.org/schemas/v4/wxs";

impl Dialect {
    pub fn from_namespace(namespace: &str) -> Option<Dialect> {
        match namespace {
            V3_NAMESPACE => Some(Dialect::V3),
            V4_NAMESPACE => Some(Dialect::V4),
            _ => None,
        }
    }
}

/// The WiX release whose semantics apply: 3, or 4, 5, 6 (6 covers 6 and later).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WixVersion(pub u8);

impl WixVersion {
    pub const NEWEST: WixVersion = WixVersion(6);

    /// The version for a dialect, given what the user asked for with `--wix` (v4+ files only).
    pub fn for_dialect(dialect: Dialect, requested: Option<u8>) -> WixVersion {
        match dialect {
            Dialect::V3 => WixVersion(3),
            Dialect::V4 => WixVersion(requested.unwrap_or(6).clamp(4, 6)),
        }
    }

    /// v5+: `Overridable="yes"` makes a virtual symbol that only `override` may replace.
    pub fn has_virtual_symbols(self) -> bool {
        self.0 >= 5
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SectionKind {
    /// `Package` (v4+) or `Product` (v3).
    Package,
    Module,
    Fragment,
    /// Bundles, patches: no sequence tables.
    Other,
}

/// A symbol a section defines or references, e.g. `CustomAction:SetFoo`.
///
/// A heat-generated package defines hundreds of thousands (a `Component` and a `File` per
/// file), so a symbol is kept small: its kind is borrowed from a table of known kinds when it is
/// one of them, and its id is a boxed string.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Symbol {
    pub kind: Cow<'static, str>,
    pub id: Box<str>,
}

impl Symbol {
    pub fn new(kind: &str, id: &str) -> Self {
        Symbol {
            kind: known_kind(kind).map_or_else(|| Cow::Owned(kind.to_string()), Cow::Borrowed),
            id: id.into(),
        }
    }

    /// The symbol a scheduling row defines: `WixAction:InstallExecuteSequence/Action`.
    pub fn action(table: Table, action: &str) -> Self {
        // Joined by hand: `format!` cost about a thousand instructions a row.
        let table = table.wix_name();
        let mut id = String::with_capacity(table.len() + 1 + action.len());
        id.push_str(table);
        id.push('/');
        id.push_str(action);
        Symbol {
            kind: Cow::Borrowed("WixAction"),
            id: id.into_boxed_str(),
        }
    }
}

/// A reference from a section to a symbol, with the text that makes it.
#[derive(Clone, Debug)]
pub struct Reference {
    pub symbol: Symbol,
    pub span: Span,
}

/// Whether a row is a built-in action, a custom action or a dialog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionKind {
    Standard,
    Custom,
    Dialog,
}

impl ActionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Standard => "standard",
            ActionKind::Custom => "custom",
            ActionKind::Dialog => "dialog",
        }
    }
}

/// WiX v5+ access modifiers on an action name (`virtual X`, `override X`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Global,
    Virtual,
    Override,
}

/// What wrote a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowOrigin {
    /// A child of a sequence element.
    Authored,
    SetProperty,
    SetDirectory,
    MajorUpgrade,
    /// WiX v5+ adds a major upgrade to packages that author none.
    DefaultMajorUpgrade,
}

/// One row of a sequence table as authored (before numbering).
#[derive(Clone, Debug)]
pub struct ActionRow {
    pub table: Table,
    /// The action name, without access modifier; the span is where the name is written.
    pub action: Spanned<String>,
    pub kind: ActionKind,
    pub sequence: Option<Spanned<i32>>,
    pub before: Option<Spanned<String>>,
    pub after: Option<Spanned<String>>,
    /// OnExit as its negative number: success -1, cancel -2, error -3, suspend -4.
    pub on_exit: Option<Spanned<i32>>,
    pub condition: Option<Condition>,
    pub overridable: bool,
    pub access: Access,
    /// The element's name in its start tag.
    pub element: Span,
    pub origin: RowOrigin,
}

impl ActionRow {
    /// The action this row hangs off: `After` if set, else `Before` (as WiX does).
    pub fn anchor(&self) -> Option<&Spanned<String>> {
        self.after.as_ref().or(self.before.as_ref())
    }

    /// The attribute that decides where the row goes, or the element when none does.
    pub fn placement_span(&self) -> Span {
        self.after
            .as_ref()
            .or(self.before.as_ref())
            .map(|anchor| anchor.span)
            .or_else(|| self.sequence.as_ref().map(|sequence| sequence.span))
            .or_else(|| self.on_exit.as_ref().map(|on_exit| on_exit.span))
            .unwrap_or(self.element)
    }
}

/// `<X Suppress="yes"/>` in a sequence.
#[derive(Clone, Debug)]
pub struct Suppression {
    pub table: Table,
    pub action: Spanned<String>,
    /// A placing attribute written beside `Suppress="yes"`, which WiX rejects.
    pub conflict: Option<Span>,
}

/// Facts about a Package that decide whether WiX v5+ adds a default major upgrade.
#[derive(Clone, Debug, Default)]
pub struct PackageFacts {
    /// An UpgradeCode is authored, or (v6+) derived from `Package/@Id`.
    pub has_upgrade_code: bool,
    /// `UpgradeStrategy` is `majorUpgrade` (the default).
    pub major_upgrade_strategy: bool,
}

/// One Package/Product, Module or Fragment.
#[derive(Clone, Debug)]
pub struct Section {
    pub kind: SectionKind,
    pub file: FileId,
    pub dialect: Dialect,
    pub version: WixVersion,
    /// The section element's name in its start tag.
    pub span: Span,
    pub id: Option<String>,
    pub definitions: Vec<Symbol>,
    pub references: Vec<Reference>,
    pub rows: Vec<std::sync::Arc<ActionRow>>,
    pub suppressions: Vec<Suppression>,
    /// Shared with the schedule, which copies only those a merge module renames.
    pub custom_actions: Vec<Arc<CustomAction>>,
    /// Launch, Feature level, Component, Publish and Control conditions.
    pub conditions: Vec<ConditionSite>,
    /// Inner-text conditions in a v4+ file (WiX rejects them).
    pub inner_text_conditions: Vec<InnerTextCondition>,
    pub content: BTreeSet<Trigger>,
    /// A non-detect-only Upgrade row (MajorUpgrade or UpgradeVersion without OnlyDetect).
    pub has_upgrade_row: bool,
    pub properties: properties::Properties,
    /// Merge modules: the Guid their identifiers are modularized with.
    pub module_guid: Option<String>,
    pub package: Option<PackageFacts>,
}

/// Every section of every file in the link unit, in command-line and document order.
#[derive(Default, Debug)]
pub struct WixModel {
    pub sections: Vec<Section>,
    /// Every `<!-- wixcheck: … -->` comment, in document order.
    pub directives: Vec<Directive>,
}

/// A `<!-- wixcheck: TEXT -->` comment: its text after `wixcheck:` (spanned on the whole
/// comment) and the element it precedes, if any follows it.
#[derive(Clone, Debug)]
pub struct Directive {
    pub text: Spanned<String>,
    /// The whole next element, from `<` to the end of its end tag.
    pub element: Option<Span>,
}

/// The kinds of symbol WiX sources define and reference most, borrowed rather than copied
/// (a `match`, which compiles to a test of the length and then of a few bytes).
fn known_kind(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "Binary" => "Binary",
        "Component" => "Component",
        "ComponentGroup" => "ComponentGroup",
        "CustomAction" => "CustomAction",
        "Dialog" => "Dialog",
        "Directory" => "Directory",
        "Extension" => "Extension",
        "Feature" => "Feature",
        "FeatureGroup" => "FeatureGroup",
        "File" => "File",
        "Icon" => "Icon",
        "Property" => "Property",
        "RegistryValue" => "RegistryValue",
        "UI" => "UI",
        "Upgrade" => "Upgrade",
        "WixAction" => "WixAction",
        _ => return None,
    })
}
