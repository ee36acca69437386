//! Custom actions and the MSI `Type` number WiX computes for them.
//!
//! The bits follow WiX's binder (`CreateWindowsInstallerDataFromIRCommand.AddCustomActionSymbol`,
//! v4+) and v3's compiler: one source (Binary 0x00, File 0x10, Directory 0x20, Property 0x30)
//! plus one target (DLL 1, EXE 2, text 3, JScript 5, VBScript 6), then execution, return and
//! option flags. See `shared/reference/wix-sequencing.md` §4.3 and the rule catalogue §2.

use super::{Dialect, Spanned};
use crate::source::Span;
use std::sync::Arc;

/// When a custom action runs, from the `Execute` attribute (MSI Type bits 0x100–0x600).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Execute {
    Immediate,
    Deferred,
    Rollback,
    Commit,
    FirstSequence,
    OncePerProcess,
    SecondSequence,
}

impl Execute {
    pub fn parse(value: &str) -> Option<Execute> {
        Some(match value {
            "immediate" => Execute::Immediate,
            "deferred" => Execute::Deferred,
            "rollback" => Execute::Rollback,
            "commit" => Execute::Commit,
            "firstSequence" => Execute::FirstSequence,
            "oncePerProcess" => Execute::OncePerProcess,
            "secondSequence" => Execute::SecondSequence,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Execute::Immediate => "immediate",
            Execute::Deferred => "deferred",
            Execute::Rollback => "rollback",
            Execute::Commit => "commit",
            Execute::FirstSequence => "firstSequence",
            Execute::OncePerProcess => "oncePerProcess",
            Execute::SecondSequence => "secondSequence",
        }
    }

    fn bits(self) -> u32 {
        match self {
            Execute::Immediate => 0,
            Execute::FirstSequence => 0x100,
            Execute::OncePerProcess => 0x200,
            Execute::SecondSequence => 0x300,
            Execute::Deferred => 0x400,
            Execute::Rollback => 0x500,
            Execute::Commit => 0x600,
        }
    }

    /// Deferred, rollback and commit actions run from the install script.
    pub fn in_script(self) -> bool {
        self.bits() & 0x400 != 0
    }
}

/// Which element produced the custom action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CustomActionOrigin {
    CustomAction,
    SetProperty,
    SetDirectory,
}

/// A custom action definition with every attribute it was written with.
#[derive(Clone, Debug)]
pub struct CustomAction {
    pub id: Spanned<String>,
    /// The element's name in its start tag.
    pub element: Span,
    pub origin: CustomActionOrigin,
    /// The MSI CustomAction `Type` column.
    pub type_bits: u32,
    /// The MSI CustomAction `ExtendedType` column.
    pub extended_type: u32,
    pub execute: Execute,
    /// Every attribute as written (after preprocessing), for rules that read formatted fields
    /// (shared: the schedule's copy of a custom action costs no copy of them).
    pub attributes: Arc<[(String, Spanned<String>)]>,
    /// `<!-- wixcheck: ... -->` comments directly before the element.
    pub annotations: Vec<Spanned<String>>,
    /// The inline script of a `Script="vbscript|jscript"` action, as the text runs it is
    /// written in (comments and CDATA sections split it).
    pub script: Vec<Spanned<String>>,
}

impl CustomAction {
    pub fn attribute(&self, name: &str) -> Option<&Spanned<String>> {
        self.attributes
            .iter()
            .find(|(attribute, _)| attribute == name)
            .map(|(_, value)| value)
    }
}

/// What `Type` depends on, read from the element's attributes.
pub struct TypeInputs<'a> {
    pub dialect: Dialect,
    pub attribute: &'a dyn Fn(&str) -> Option<&'a str>,
    /// The build architecture is 64-bit (x64, arm64).
    pub arch_64: bool,
}

const SOURCE_FILE: u32 = 0x10;
const SOURCE_DIRECTORY: u32 = 0x20;
const SOURCE_PROPERTY: u32 = 0x30;
const TARGET_DLL: u32 = 1;
const TARGET_EXE: u32 = 2;
const TARGET_TEXT: u32 = 3;
const TARGET_JSCRIPT: u32 = 5;
const TARGET_VBSCRIPT: u32 = 6;

/// Computes `(Type, ExtendedType, Execute)` as WiX does for a `CustomAction` element.
pub fn type_of(inputs: &TypeInputs<'_>) -> (u32, u32, Execute) {
    let get = |name: &str| (inputs.attribute)(name);
    let v3 = inputs.dialect == Dialect::V3;
    let file = if v3 { get("FileKey") } else { get("FileRef") };
    let script = get("Script");
    let mut source = if file.is_some() {
        SOURCE_FILE
    } else if get("Property").is_some() {
        SOURCE_PROPERTY
    } else if get("Directory").is_some() || script.is_some() {
        SOURCE_DIRECTORY
    } else {
        0
    };
    let target = if get("DllEntry").is_some() {
        TARGET_DLL
    } else if get("ExeCommand").is_some() {
        TARGET_EXE
    } else if get("Value").is_some() {
        TARGET_TEXT
    } else if get("Error").is_some() {
        source = SOURCE_FILE;
        TARGET_TEXT
    } else if get("JScriptCall").is_some() || script == Some("jscript") {
        TARGET_JSCRIPT
    } else if get("VBScriptCall").is_some() || script == Some("vbscript") {
        TARGET_VBSCRIPT
    } else {
        0
    };
    let execute = get("Execute")
        .and_then(Execute::parse)
        .unwrap_or(Execute::Immediate);
    let mut bits = source | target | execute.bits();
    bits |= match get("Return") {
        Some("ignore") => 0x40,
        Some("asyncWait") => 0x80,
        Some("asyncNoWait") => 0xC0,
        _ => 0,
    };
    if get("Impersonate") == Some("no") && (v3 || execute.in_script()) {
        bits |= 0x800;
    }
    if get("TerminalServerAware") == Some("yes") && execute.in_script() {
        bits |= 0x4000;
    }
    if get("HideTarget") == Some("yes") {
        bits |= 0x2000;
    }
    if matches!(target, TARGET_JSCRIPT | TARGET_VBSCRIPT) && is_64_bit_script(inputs) {
        bits |= 0x1000;
    }
    let extended = if get("PatchUninstall") == Some("yes") {
        0x8000
    } else {
        0
    };
    (bits, extended, execute)
}

fn is_64_bit_script(inputs: &TypeInputs<'_>) -> bool {
    let get = |name: &str| (inputs.attribute)(name);
    match inputs.dialect {
        Dialect::V3 => match get("Win64") {
            Some(value) => value == "yes",
            None => inputs.arch_64,
        },
        Dialect::V4 => match get("Bitness") {
            Some("always64") => true,
            Some("always32") => false,
            _ => inputs.arch_64,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn type_for(dialect: Dialect, attributes: &[(&str, &str)]) -> u32 {
        let lookup = |name: &str| {
            attributes
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| *value)
        };
        let inputs = TypeInputs {
            dialect,
            attribute: &lookup,
            arch_64: false,
        };
        type_of(&inputs).0
    }

    #[test]
    fn types_match_the_numbers_wix_tests_assert() {
        use Dialect::*;
        assert_eq!(type_for(V4, &[("BinaryRef", "B"), ("DllEntry", "E")]), 1);
        let hidden = [
            ("BinaryRef", "B"),
            ("DllEntry", "E"),
            ("Execute", "deferred"),
            ("HideTarget", "yes"),
        ];
        assert_eq!(type_for(V4, &hidden), 9217);
        assert_eq!(type_for(V4, &[("Property", "P"), ("Value", "1")]), 51);
        assert_eq!(type_for(V4, &[("Error", "text")]), 19);
        assert_eq!(type_for(V4, &[("Directory", "D"), ("Value", "x")]), 35);
        let v3_exe = [
            ("BinaryKey", "B"),
            ("ExeCommand", ""),
            ("Execute", "deferred"),
        ];
        assert_eq!(type_for(V3, &v3_exe), 1026);
    }

    #[test]
    fn impersonation_bit_depends_on_dialect_and_script() {
        let immediate = [("BinaryRef", "B"), ("DllEntry", "E"), ("Impersonate", "no")];
        assert_eq!(type_for(Dialect::V4, &immediate), 1);
        assert_eq!(
            type_for(
                Dialect::V3,
                &[("BinaryKey", "B"), ("DllEntry", "E"), ("Impersonate", "no")]
            ),
            2049
        );
        let deferred = [
            ("BinaryRef", "B"),
            ("DllEntry", "E"),
            ("Impersonate", "no"),
            ("Execute", "deferred"),
        ];
        assert_eq!(type_for(Dialect::V4, &deferred), 3073);
        assert_eq!(
            type_for(
                Dialect::V4,
                &[
                    ("Directory", "D"),
                    ("ExeCommand", "x"),
                    ("Return", "ignore")
                ]
            ),
            98
        );
        assert_eq!(
            type_for(
                Dialect::V4,
                &[("Script", "vbscript"), ("ScriptSourceFile", "a.vbs")]
            ),
            38
        );
    }
}
