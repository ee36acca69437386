//! Properties as the sources shape them: where they are defined, which standard action fills
//! them, where the UI writes them, and which custom actions the UI runs.
//!
//! Property-lifetime rules ask "who sets this property, and when?". The answers that are not
//! scheduling rows live here: a `Property` element (its default value and `Secure` flag), an
//! AppSearch search under a `Property`, an `UpgradeVersion/@Property` or `MajorUpgrade` that
//! FindRelatedProducts fills, a dialog `Control/@Property` or `Publish/@Property` that the UI
//! writes, and `Publish Event="DoAction"` that runs a custom action from a dialog.

use super::Spanned;

/// `<Property Id="…">`.
#[derive(Clone, Debug)]
pub struct PropertyDefinition {
    pub id: Spanned<String>,
    /// `Secure="yes"`: listed in SecureCustomProperties, so it crosses from the UI to the
    /// elevated execute sequence.
    pub secure: bool,
    /// The default value, when one is authored.
    pub value: Option<Spanned<String>>,
}

/// A property a standard action fills at run time.
#[derive(Clone, Debug)]
pub struct FilledProperty {
    /// The property, spanned where the sources name it (or the element that implies it).
    pub property: Spanned<String>,
    /// The standard action that fills it: `AppSearch` or `FindRelatedProducts`.
    pub by: &'static str,
}

/// Everything one section says about properties outside its sequence tables.
#[derive(Clone, Debug, Default)]
pub struct Properties {
    pub definitions: Vec<PropertyDefinition>,
    pub filled: Vec<FilledProperty>,
    /// Properties a dialog writes: `Control/@Property`, `Publish/@Property`.
    pub ui_writes: Vec<Spanned<String>>,
    /// Custom actions a dialog runs: `Publish Event="DoAction" Value="…"`.
    pub do_actions: Vec<Spanned<String>>,
}

/// Elements under a `Property` that make AppSearch fill it.
pub fn is_search(element: &str) -> bool {
    matches!(
        element,
        "RegistrySearch"
            | "RegistrySearchRef"
            | "FileSearch"
            | "FileSearchRef"
            | "DirectorySearch"
            | "DirectorySearchRef"
            | "ComponentSearch"
            | "IniFileSearch"
            | "ProductSearch"
            | "ComplianceDrive"
    )
}

/// The properties WiX's `MajorUpgrade` makes FindRelatedProducts fill.
pub const MAJOR_UPGRADE_PROPERTIES: [&str; 2] = ["WIX_UPGRADE_DETECTED", "WIX_DOWNGRADE_DETECTED"];
