//! WXC2xx: execution context — deferred, rollback and commit actions, their
//! CustomActionData, and impersonation.
//!
//! A deferred action reads its data from CustomActionData, which Windows Installer fills from
//! the property named like the action when the action is written to the script. The
//! "setters" of that property (type-51 actions and `SetProperty` with the action's Id) are
//! what several of these rules pair with their deferred action.

pub mod action_data_missing;
pub mod action_data_set_too_late;
pub mod deferred_in_ui_sequence;
pub mod deferred_outside_transaction;
pub mod deferred_reads_property;
pub mod impersonation_mismatch;
pub mod rollback_after_action;
pub mod setproperty_missing_in_sequence;

use crate::model::CustomAction;
use std::collections::HashMap;
use std::sync::Arc;

/// The DLL entry points of WiX's exec custom actions (util `QuietExec`, v3 `CAQuietExec`).
/// Deferred, they read their command line from CustomActionData; immediate, from a
/// `…CmdLine` property.
pub const EXEC_ENTRIES: [&str; 6] = [
    "WixQuietExec",
    "WixQuietExec64",
    "WixSilentExec",
    "WixSilentExec64",
    "CAQuietExec",
    "CAQuietExec64",
];

/// MSI custom action type 51: set a property from formatted text.
const SET_PROPERTY_TYPE: u32 = 51;

/// The property a type-51 action (or `SetProperty`) sets, if `custom` is one.
pub fn property_set_by(custom: &CustomAction) -> Option<&str> {
    if custom.type_bits & 0x3F != SET_PROPERTY_TYPE {
        return None;
    }
    custom
        .attribute("Property")
        .map(|property| property.value.as_str())
}

/// Type-51 actions by the property they set; the setters of `X` fill the CustomActionData
/// of the deferred action `X`.
pub struct Setters<'a> {
    by_property: HashMap<&'a str, Vec<&'a CustomAction>>,
    by_lowercase: HashMap<String, &'a str>,
}

impl<'a> Setters<'a> {
    pub fn new(all: &'a [Arc<CustomAction>]) -> Self {
        let mut by_property: HashMap<&str, Vec<&CustomAction>> = HashMap::new();
        for custom in all {
            if let Some(property) = property_set_by(custom) {
                by_property.entry(property).or_default().push(custom);
            }
        }
        let by_lowercase = by_property
            .keys()
            .map(|&property| (property.to_lowercase(), property))
            .collect();
        Setters {
            by_property,
            by_lowercase,
        }
    }

    /// A setter of a property whose name differs from `property` only by case.
    pub fn differing_by_case(&self, property: &str) -> Option<&'a CustomAction> {
        let near = self.by_lowercase.get(&property.to_lowercase())?;
        (*near != property).then(|| self.of(near).first().copied())?
    }

    /// The actions that set `property`, in definition order.
    pub fn of(&self, property: &str) -> &[&'a CustomAction] {
        self.by_property.get(property).map_or(&[], Vec::as_slice)
    }
}
