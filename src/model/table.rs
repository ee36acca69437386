//! The five MSI sequence tables, with their WiX element names and MSI table names.

use std::fmt;

/// A sequence table. Declaration order is the order tables are printed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Table {
    InstallUI,
    InstallExecute,
    AdminUI,
    AdminExecute,
    AdvtExecute,
}

impl Table {
    pub const ALL: [Table; 5] = [
        Table::InstallUI,
        Table::InstallExecute,
        Table::AdminUI,
        Table::AdminExecute,
        Table::AdvtExecute,
    ];

    /// The MSI table name, e.g. `AdvtExecuteSequence`.
    pub fn msi_name(self) -> &'static str {
        match self {
            Table::InstallUI => "InstallUISequence",
            Table::InstallExecute => "InstallExecuteSequence",
            Table::AdminUI => "AdminUISequence",
            Table::AdminExecute => "AdminExecuteSequence",
            Table::AdvtExecute => "AdvtExecuteSequence",
        }
    }

    /// The table's name in a merge module, e.g. `ModuleInstallExecuteSequence`.
    pub fn module_name(self) -> &'static str {
        match self {
            Table::InstallUI => "ModuleInstallUISequence",
            Table::InstallExecute => "ModuleInstallExecuteSequence",
            Table::AdminUI => "ModuleAdminUISequence",
            Table::AdminExecute => "ModuleAdminExecuteSequence",
            Table::AdvtExecute => "ModuleAdvtExecuteSequence",
        }
    }

    /// The name WiX uses in messages and identifiers (`WixAction:InstallUISequence/X`).
    pub fn wix_name(self) -> &'static str {
        match self {
            Table::AdvtExecute => "AdvertiseExecuteSequence",
            other => other.msi_name(),
        }
    }

    /// The table a WiX sequence element fills.
    pub fn from_element(name: &str) -> Option<Table> {
        Some(match name {
            "InstallUISequence" => Table::InstallUI,
            "InstallExecuteSequence" => Table::InstallExecute,
            "AdminUISequence" => Table::AdminUI,
            "AdminExecuteSequence" => Table::AdminExecute,
            "AdvertiseExecuteSequence" => Table::AdvtExecute,
            _ => return None,
        })
    }

    /// Parses an MSI or WiX table name, as users write it after `--table`.
    pub fn from_name(name: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|table| {
            [table.msi_name(), table.module_name(), table.wix_name()]
                .iter()
                .any(|candidate| candidate.eq_ignore_ascii_case(name))
        })
    }

    pub fn is_execute(self) -> bool {
        matches!(
            self,
            Table::InstallExecute | Table::AdminExecute | Table::AdvtExecute
        )
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.msi_name())
    }
}
