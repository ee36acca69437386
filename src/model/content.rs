//! Content that makes WiX add standard actions to the sequence tables.
//!
//! WiX v4+ adds actions per symbol type present in the linked output, v3 per MSI table
//! present (`SequenceActionsCommand.GetActionsForSymbolType`, v3 `Linker.SequenceActions`;
//! reference §1.1). Here each kind of content is a [`Trigger`], found from the element that
//! creates it, and each trigger lists the actions it adds.

use super::{Dialect, Table};
use std::collections::BTreeSet;

/// A kind of content that pulls standard actions into the tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Trigger {
    AppSearch,
    CcpSearch,
    Class,
    Complus,
    CreateFolder,
    DuplicateFile,
    Environment,
    Extension,
    File,
    Font,
    SelfReg,
    BindImage,
    IniFile,
    IsolatedComponent,
    LaunchCondition,
    Mime,
    MoveFile,
    MsiAssembly,
    MsiServiceConfig,
    Odbc,
    ProgId,
    PublishComponent,
    Registry,
    RemoveFile,
    ServiceControl,
    ServiceInstall,
    Shortcut,
    TypeLib,
    Upgrade,
    /// An Upgrade row with MigrateFeatures set.
    MigrateFeatures,
}

use Table::{AdvtExecute as Advt, InstallExecute as Ies, InstallUI as Ius};

impl Trigger {
    /// The standard actions this content adds.
    pub fn actions(self) -> &'static [(Table, &'static str)] {
        match self {
            Trigger::AppSearch => &[(Ies, "AppSearch"), (Ius, "AppSearch")],
            Trigger::CcpSearch => &[
                (Ies, "AppSearch"),
                (Ies, "CCPSearch"),
                (Ies, "RMCCPSearch"),
                (Ius, "AppSearch"),
                (Ius, "CCPSearch"),
                (Ius, "RMCCPSearch"),
            ],
            Trigger::Class => &[
                (Advt, "RegisterClassInfo"),
                (Ies, "RegisterClassInfo"),
                (Ies, "UnregisterClassInfo"),
            ],
            Trigger::Complus => &[(Ies, "RegisterComPlus"), (Ies, "UnregisterComPlus")],
            Trigger::CreateFolder => &[(Ies, "CreateFolders"), (Ies, "RemoveFolders")],
            Trigger::DuplicateFile => &[(Ies, "DuplicateFiles"), (Ies, "RemoveDuplicateFiles")],
            Trigger::Environment => &[
                (Ies, "WriteEnvironmentStrings"),
                (Ies, "RemoveEnvironmentStrings"),
            ],
            Trigger::Extension => &[
                (Advt, "RegisterExtensionInfo"),
                (Ies, "RegisterExtensionInfo"),
                (Ies, "UnregisterExtensionInfo"),
            ],
            Trigger::File => &[(Ies, "InstallFiles"), (Ies, "RemoveFiles")],
            Trigger::Font => &[(Ies, "RegisterFonts"), (Ies, "UnregisterFonts")],
            Trigger::SelfReg => &[(Ies, "SelfRegModules"), (Ies, "SelfUnregModules")],
            Trigger::BindImage => &[(Ies, "BindImage")],
            Trigger::IniFile => &[(Ies, "WriteIniValues"), (Ies, "RemoveIniValues")],
            Trigger::IsolatedComponent => &[(Ies, "IsolateComponents")],
            Trigger::LaunchCondition => &[(Ies, "LaunchConditions"), (Ius, "LaunchConditions")],
            Trigger::Mime => &[
                (Advt, "RegisterMIMEInfo"),
                (Ies, "RegisterMIMEInfo"),
                (Ies, "UnregisterMIMEInfo"),
            ],
            Trigger::MoveFile => &[(Ies, "MoveFiles")],
            Trigger::MsiAssembly => &[
                (Advt, "MsiPublishAssemblies"),
                (Ies, "MsiPublishAssemblies"),
                (Ies, "MsiUnpublishAssemblies"),
            ],
            Trigger::MsiServiceConfig => &[(Ies, "MsiConfigureServices")],
            Trigger::Odbc => &[
                (Ies, "SetODBCFolders"),
                (Ies, "InstallODBC"),
                (Ies, "RemoveODBC"),
            ],
            Trigger::ProgId => &[
                (Advt, "RegisterProgIdInfo"),
                (Ies, "RegisterProgIdInfo"),
                (Ies, "UnregisterProgIdInfo"),
            ],
            Trigger::PublishComponent => &[
                (Advt, "PublishComponents"),
                (Ies, "PublishComponents"),
                (Ies, "UnpublishComponents"),
            ],
            Trigger::Registry => &[(Ies, "WriteRegistryValues"), (Ies, "RemoveRegistryValues")],
            Trigger::RemoveFile => &[(Ies, "RemoveFiles")],
            Trigger::ServiceControl => &[
                (Ies, "StartServices"),
                (Ies, "StopServices"),
                (Ies, "DeleteServices"),
            ],
            Trigger::ServiceInstall => &[(Ies, "InstallServices")],
            Trigger::Shortcut => &[
                (Advt, "CreateShortcuts"),
                (Ies, "CreateShortcuts"),
                (Ies, "RemoveShortcuts"),
            ],
            Trigger::TypeLib => &[
                (Ies, "RegisterTypeLibraries"),
                (Ies, "UnregisterTypeLibraries"),
            ],
            Trigger::Upgrade => &[(Ies, "FindRelatedProducts"), (Ius, "FindRelatedProducts")],
            Trigger::MigrateFeatures => {
                &[(Ies, "MigrateFeatureStates"), (Ius, "MigrateFeatureStates")]
            }
        }
    }

    /// The trigger an `<EnsureTable Id="…"/>` stands for (WiX v6+).
    pub fn for_table(table: &str) -> Option<Trigger> {
        Some(match table {
            "AppSearch" => Trigger::AppSearch,
            "CCPSearch" => Trigger::CcpSearch,
            "Class" => Trigger::Class,
            "Complus" => Trigger::Complus,
            "CreateFolder" => Trigger::CreateFolder,
            "DuplicateFile" => Trigger::DuplicateFile,
            "Environment" => Trigger::Environment,
            "Extension" => Trigger::Extension,
            "File" => Trigger::File,
            "IniFile" => Trigger::IniFile,
            "IsolatedComponent" => Trigger::IsolatedComponent,
            // WiX maps MsiServiceConfig to the LaunchCondition trigger here (a quirk, kept).
            "LaunchCondition" | "MsiServiceConfig" => Trigger::LaunchCondition,
            "MIME" => Trigger::Mime,
            "MoveFile" => Trigger::MoveFile,
            "MsiAssembly" | "MsiAssemblyName" => Trigger::MsiAssembly,
            "MsiServiceConfigFailureActions" => Trigger::MsiServiceConfig,
            "ODBCAttribute"
            | "ODBCDataSource"
            | "ODBCDriver"
            | "ODBCTranslator"
            | "ODBCSourceAttribute" => Trigger::Odbc,
            "PublishComponent" => Trigger::PublishComponent,
            "Registry" | "RemoveRegistry" => Trigger::Registry,
            "RemoveFile" => Trigger::RemoveFile,
            "ServiceControl" => Trigger::ServiceControl,
            "ServiceInstall" => Trigger::ServiceInstall,
            "Shortcut" => Trigger::Shortcut,
            "TypeLib" => Trigger::TypeLib,
            "Upgrade" => Trigger::Upgrade,
            _ => return None,
        })
    }
}

/// What an element contributes, judged by its name, a few attributes and its parent; added
/// to `triggers`.
pub fn triggers_of<'v>(
    dialect: Dialect,
    element: &str,
    parent: &str,
    attribute: &dyn Fn(&str) -> Option<&'v str>,
    triggers: &mut BTreeSet<Trigger>,
) {
    let has = |name: &str| attribute(name).is_some();
    let single = match element {
        "Component" if dialect == Dialect::V4 => Some(Trigger::CreateFolder),
        "CreateFolder" => Some(Trigger::CreateFolder),
        "RegistrySearch" | "DirectorySearch" | "FileSearch" | "ComponentSearch"
        | "IniFileSearch" | "ProductSearch" | "RegistrySearchRef" | "DirectorySearchRef"
        | "FileSearchRef" | "ComponentSearchRef" | "IniFileSearchRef" => Some(Trigger::AppSearch),
        "ComplianceCheck" => Some(Trigger::CcpSearch),
        "Class" => Some(Trigger::Class),
        "Environment" => Some(Trigger::Environment),
        "Extension" => Some(Trigger::Extension),
        "IniFile" => Some(Trigger::IniFile),
        "RemoveIniFile" if dialect == Dialect::V3 => Some(Trigger::IniFile),
        "IsolateComponent" => Some(Trigger::IsolatedComponent),
        "Launch" => Some(Trigger::LaunchCondition),
        "Condition" if dialect == Dialect::V3 && matches!(parent, "Product" | "Fragment") => {
            Some(Trigger::LaunchCondition)
        }
        "MIME" => Some(Trigger::Mime),
        "ServiceConfig" | "ServiceConfigFailureActions" => Some(Trigger::MsiServiceConfig),
        "ODBCDataSource" | "ODBCDriver" | "ODBCTranslator" => Some(Trigger::Odbc),
        "ProgId" => Some(Trigger::ProgId),
        "Category" | "PublishComponent" => Some(Trigger::PublishComponent),
        "Registry"
        | "RegistryValue"
        | "RegistryKey"
        | "RemoveRegistryKey"
        | "RemoveRegistryValue" => Some(Trigger::Registry),
        "RemoveFile" | "RemoveFolder" => Some(Trigger::RemoveFile),
        "ServiceControl" => Some(Trigger::ServiceControl),
        "ServiceInstall" => Some(Trigger::ServiceInstall),
        "Shortcut" => Some(Trigger::Shortcut),
        "TypeLib" => Some(Trigger::TypeLib),
        "Upgrade" => Some(Trigger::Upgrade),
        "ComPlusApplication" | "ComPlusComponent" => Some(Trigger::Complus),
        "CopyFile" => Some(if parent == "File" || has("FileId") {
            Trigger::DuplicateFile
        } else {
            Trigger::MoveFile
        }),
        _ => None,
    };
    triggers.extend(single);
    if matches!(element, "File" | "Files") {
        triggers.insert(Trigger::File);
        // v4+: a File outside a Component gets an implicit Component of its own.
        if dialect == Dialect::V4 && parent != "Component" {
            triggers.insert(Trigger::CreateFolder);
        }
        if has("FontTitle") || attribute("TrueType") == Some("yes") {
            triggers.insert(Trigger::Font);
        }
        if has("SelfRegCost") {
            triggers.insert(Trigger::SelfReg);
        }
        if attribute("BindPath").is_some_and(|path| !path.is_empty()) {
            triggers.insert(Trigger::BindImage);
        }
        if attribute("Assembly").is_some_and(|kind| kind != "no") {
            triggers.insert(Trigger::MsiAssembly);
        }
    }
    if element == "UpgradeVersion" && attribute("MigrateFeatures") == Some("yes") {
        triggers.insert(Trigger::MigrateFeatures);
    }
}
