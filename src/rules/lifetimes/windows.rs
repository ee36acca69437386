//! The property availability table: which standard action makes a property readable, and
//! which one clears it. One row per property; a new property is one more row.
//!
//! Built from the rule catalogue's property availability table (`shared/reference/
//! rule-catalogue.md` §1.C), which cites the Windows Installer SDK page of each property.
//! Properties whose mistakes have a rule of their own name it in `dedicated`, so the generic
//! rule (WXC302) leaves them to it.

use crate::sequence::{Action, ResolvedTable};

/// When a property holds its value during a sequence.
#[derive(Clone, Copy, Debug)]
pub struct Window {
    pub property: &'static str,
    /// The property is set by the first of these actions that the table schedules; before
    /// it, or when the table schedules none of them, the property is empty. Empty: set when
    /// the installer starts.
    pub set_by: &'static [&'static str],
    /// The action that clears the property, if any.
    pub cleared_by: Option<&'static str>,
    /// The rule that reports this property instead of WXC302.
    pub dedicated: Option<&'static str>,
    /// The SDK page that documents the window.
    pub reference: &'static str,
}

/// Why a read at some sequence number sees no value.
#[derive(Clone, Copy, Debug)]
pub enum Outside<'t> {
    /// The table schedules none of the actions that set the property.
    NeverSet,
    /// The read runs before the action that sets the property.
    BeforeSet { action: &'t Action, number: i32 },
    /// The read runs at or after the action that clears the property.
    AfterCleared { action: &'t Action, number: i32 },
}

impl Window {
    pub fn find(property: &str) -> Option<&'static Window> {
        WINDOWS.iter().find(|window| window.property == property)
    }

    /// Whether a read at `number` in `table` falls outside the window, and why.
    pub fn outside<'t>(&self, table: &'t ResolvedTable, number: i32) -> Option<Outside<'t>> {
        let numbered = |name: &str| {
            let action = table.find(name)?;
            Some((action, action.sequence?))
        };
        if let Some((action, cleared)) = self.cleared_by.and_then(numbered) {
            if number >= cleared {
                return Some(Outside::AfterCleared {
                    action,
                    number: cleared,
                });
            }
        }
        if self.set_by.is_empty() {
            return None;
        }
        match self.set_by.iter().find_map(|name| numbered(name)) {
            None => Some(Outside::NeverSet),
            Some((action, set)) if number <= set => Some(Outside::BeforeSet {
                action,
                number: set,
            }),
            Some(_) => None,
        }
    }
}

const COSTED: &[&str] = &["CostFinalize"];

macro_rules! window {
    ($property:literal, $set_by:expr, $cleared_by:expr, $dedicated:expr, $page:literal) => {
        Window {
            property: $property,
            set_by: $set_by,
            cleared_by: $cleared_by,
            dedicated: $dedicated,
            reference: concat!("https://learn.microsoft.com/windows/win32/msi/", $page),
        }
    };
}

#[rustfmt::skip]
pub static WINDOWS: &[Window] = &[
    window!("MsiRestartManagerSessionKey", &[], Some("InstallValidate"), Some("WXC301"), "msirestartmanagersessionkey"),
    window!("SourceDir", &["ResolveSource"], None, None, "sourcedir"),
    window!("ProductID", &["ValidateProductID"], None, None, "productid"),
    window!("ReplacedInUseFiles", &["InstallExecute", "InstallExecuteAgain", "InstallFinalize"], None, None, "replacedinusefiles"),
    window!("CostingComplete", COSTED, None, None, "costingcomplete"),
    window!("OutOfDiskSpace", COSTED, None, None, "outofdiskspace"),
    window!("OutOfNoRbDiskSpace", COSTED, None, None, "outofnorbdiskspace"),
    window!("PrimaryVolumePath", COSTED, None, None, "primaryvolumepath"),
    window!("PrimaryVolumeSpaceAvailable", COSTED, None, None, "primaryvolumespaceavailable"),
    window!("PrimaryVolumeSpaceRequired", COSTED, None, None, "primaryvolumespacerequired"),
    window!("PrimaryVolumeSpaceRemaining", COSTED, None, None, "primaryvolumespaceremaining"),
    window!("CCP_Success", &["CCPSearch"], None, Some("WXC305"), "ccp-success"),
];

#[cfg(test)]
mod tests {
    use super::*;

    const SDK: &str = "https://learn.microsoft.com/windows/win32/msi/";

    #[test]
    fn every_row_links_its_sdk_page_and_dedicated_rules_exist() {
        for window in WINDOWS {
            assert!(window.reference.starts_with(SDK), "{}", window.property);
            if let Some(code) = window.dedicated {
                assert!(crate::rules::find(code).is_some(), "{code}");
            }
        }
        assert_eq!(
            Window::find("MsiRestartManagerSessionKey").and_then(|w| w.cleared_by),
            Some("InstallValidate")
        );
    }
}
