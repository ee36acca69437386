//! WiX's built-in standard actions: default sequence numbers, default conditions, and which
//! are added to every Package/Product.
//!
//! Source: `WindowsInstallerStandard.cs` (WiX v4+) and `actions.xml` (v3), as summarised in
//! `shared/wix-reference/standard-actions.tsv`. Actions without a number are WiX's "special
//! actions": they exist only when authored.

use super::table::Table;

/// One standard action in one table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StandardAction {
    pub table: Table,
    pub name: &'static str,
    pub sequence: Option<i32>,
    /// Added to every Package (v4+) or Product (v3) even if nothing references it.
    pub always: bool,
    pub condition: Option<&'static str>,
}

impl StandardAction {
    /// The default condition for a dialect: v3 also conditions AllocateRegistrySpace.
    pub fn condition(&self, v3: bool) -> Option<&'static str> {
        if v3 && self.table == Table::InstallExecute && self.name == "AllocateRegistrySpace" {
            return Some("NOT Installed");
        }
        self.condition
    }
}

/// The standard action `name` in `table`, if there is one.
pub fn find(table: Table, name: &str) -> Option<&'static StandardAction> {
    STANDARD_ACTIONS
        .iter()
        .find(|action| action.table == table && action.name == name)
}

/// True if `name` is a standard or special action in any table.
pub fn is_standard(name: &str) -> bool {
    STANDARD_ACTIONS.iter().any(|action| action.name == name)
}

/// The names of the standard actions of one table.
pub fn names(table: Table) -> impl Iterator<Item = &'static str> {
    STANDARD_ACTIONS
        .iter()
        .filter(move |action| action.table == table)
        .map(|action| action.name)
}

/// The actions every Package/Product gets, per table.
pub fn baseline() -> impl Iterator<Item = &'static StandardAction> {
    STANDARD_ACTIONS.iter().filter(|action| action.always)
}

#[rustfmt::skip]
static STANDARD_ACTIONS: &[StandardAction] = &[
    StandardAction { table: Table::InstallUI, name: "FindRelatedProducts", sequence: Some(25), always: false, condition: None },
    StandardAction { table: Table::InstallUI, name: "AppSearch", sequence: Some(50), always: false, condition: None },
    StandardAction { table: Table::InstallUI, name: "LaunchConditions", sequence: Some(100), always: false, condition: None },
    StandardAction { table: Table::InstallUI, name: "CCPSearch", sequence: Some(500), always: false, condition: Some("NOT Installed") },
    StandardAction { table: Table::InstallUI, name: "RMCCPSearch", sequence: Some(600), always: false, condition: Some("NOT Installed") },
    StandardAction { table: Table::InstallUI, name: "ValidateProductID", sequence: Some(700), always: true, condition: None },
    StandardAction { table: Table::InstallUI, name: "CostInitialize", sequence: Some(800), always: true, condition: None },
    StandardAction { table: Table::InstallUI, name: "FileCost", sequence: Some(900), always: true, condition: None },
    StandardAction { table: Table::InstallUI, name: "IsolateComponents", sequence: Some(950), always: false, condition: None },
    StandardAction { table: Table::InstallUI, name: "CostFinalize", sequence: Some(1000), always: true, condition: None },
    StandardAction { table: Table::InstallUI, name: "MigrateFeatureStates", sequence: Some(1200), always: false, condition: None },
    StandardAction { table: Table::InstallUI, name: "ExecuteAction", sequence: Some(1300), always: true, condition: None },
    StandardAction { table: Table::InstallUI, name: "ScheduleReboot", sequence: None, always: false, condition: None },
    StandardAction { table: Table::InstallUI, name: "ResolveSource", sequence: None, always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "FindRelatedProducts", sequence: Some(25), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "AppSearch", sequence: Some(50), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "LaunchConditions", sequence: Some(100), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "CCPSearch", sequence: Some(500), always: false, condition: Some("NOT Installed") },
    StandardAction { table: Table::InstallExecute, name: "RMCCPSearch", sequence: Some(600), always: false, condition: Some("NOT Installed") },
    StandardAction { table: Table::InstallExecute, name: "ValidateProductID", sequence: Some(700), always: true, condition: None },
    StandardAction { table: Table::InstallExecute, name: "CostInitialize", sequence: Some(800), always: true, condition: None },
    StandardAction { table: Table::InstallExecute, name: "FileCost", sequence: Some(900), always: true, condition: None },
    StandardAction { table: Table::InstallExecute, name: "IsolateComponents", sequence: Some(950), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "CostFinalize", sequence: Some(1000), always: true, condition: None },
    StandardAction { table: Table::InstallExecute, name: "SetODBCFolders", sequence: Some(1100), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "MigrateFeatureStates", sequence: Some(1200), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "InstallValidate", sequence: Some(1400), always: true, condition: None },
    StandardAction { table: Table::InstallExecute, name: "InstallInitialize", sequence: Some(1500), always: true, condition: None },
    StandardAction { table: Table::InstallExecute, name: "AllocateRegistrySpace", sequence: Some(1550), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "ProcessComponents", sequence: Some(1600), always: true, condition: None },
    StandardAction { table: Table::InstallExecute, name: "UnpublishComponents", sequence: Some(1700), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "MsiUnpublishAssemblies", sequence: Some(1750), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "UnpublishFeatures", sequence: Some(1800), always: true, condition: None },
    StandardAction { table: Table::InstallExecute, name: "StopServices", sequence: Some(1900), always: false, condition: Some("VersionNT") },
    StandardAction { table: Table::InstallExecute, name: "DeleteServices", sequence: Some(2000), always: false, condition: Some("VersionNT") },
    StandardAction { table: Table::InstallExecute, name: "UnregisterComPlus", sequence: Some(2100), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "SelfUnregModules", sequence: Some(2200), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "UnregisterTypeLibraries", sequence: Some(2300), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "RemoveODBC", sequence: Some(2400), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "UnregisterFonts", sequence: Some(2500), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "RemoveRegistryValues", sequence: Some(2600), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "UnregisterClassInfo", sequence: Some(2700), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "UnregisterExtensionInfo", sequence: Some(2800), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "UnregisterProgIdInfo", sequence: Some(2900), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "UnregisterMIMEInfo", sequence: Some(3000), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "RemoveIniValues", sequence: Some(3100), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "RemoveShortcuts", sequence: Some(3200), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "RemoveEnvironmentStrings", sequence: Some(3300), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "RemoveDuplicateFiles", sequence: Some(3400), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "RemoveFiles", sequence: Some(3500), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "RemoveFolders", sequence: Some(3600), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "CreateFolders", sequence: Some(3700), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "MoveFiles", sequence: Some(3800), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "InstallFiles", sequence: Some(4000), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "PatchFiles", sequence: Some(4090), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "DuplicateFiles", sequence: Some(4210), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "BindImage", sequence: Some(4300), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "CreateShortcuts", sequence: Some(4500), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "RegisterClassInfo", sequence: Some(4600), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "RegisterExtensionInfo", sequence: Some(4700), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "RegisterProgIdInfo", sequence: Some(4800), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "RegisterMIMEInfo", sequence: Some(4900), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "WriteRegistryValues", sequence: Some(5000), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "WriteIniValues", sequence: Some(5100), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "WriteEnvironmentStrings", sequence: Some(5200), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "RegisterFonts", sequence: Some(5300), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "InstallODBC", sequence: Some(5400), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "RegisterTypeLibraries", sequence: Some(5500), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "SelfRegModules", sequence: Some(5600), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "RegisterComPlus", sequence: Some(5700), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "InstallServices", sequence: Some(5800), always: false, condition: Some("VersionNT") },
    StandardAction { table: Table::InstallExecute, name: "MsiConfigureServices", sequence: Some(5850), always: false, condition: Some("VersionNT>=600") },
    StandardAction { table: Table::InstallExecute, name: "StartServices", sequence: Some(5900), always: false, condition: Some("VersionNT") },
    StandardAction { table: Table::InstallExecute, name: "RegisterUser", sequence: Some(6000), always: true, condition: None },
    StandardAction { table: Table::InstallExecute, name: "RegisterProduct", sequence: Some(6100), always: true, condition: None },
    StandardAction { table: Table::InstallExecute, name: "PublishComponents", sequence: Some(6200), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "MsiPublishAssemblies", sequence: Some(6250), always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "PublishFeatures", sequence: Some(6300), always: true, condition: None },
    StandardAction { table: Table::InstallExecute, name: "PublishProduct", sequence: Some(6400), always: true, condition: None },
    StandardAction { table: Table::InstallExecute, name: "InstallExecute", sequence: Some(6500), always: false, condition: Some("NOT Installed") },
    StandardAction { table: Table::InstallExecute, name: "InstallExecuteAgain", sequence: Some(6550), always: false, condition: Some("NOT Installed") },
    StandardAction { table: Table::InstallExecute, name: "InstallFinalize", sequence: Some(6600), always: true, condition: None },
    StandardAction { table: Table::InstallExecute, name: "RemoveExistingProducts", sequence: None, always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "ScheduleReboot", sequence: None, always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "ForceReboot", sequence: None, always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "ResolveSource", sequence: None, always: false, condition: None },
    StandardAction { table: Table::InstallExecute, name: "DisableRollback", sequence: None, always: false, condition: None },
    StandardAction { table: Table::AdminUI, name: "LaunchConditions", sequence: Some(100), always: false, condition: None },
    StandardAction { table: Table::AdminUI, name: "CostInitialize", sequence: Some(800), always: true, condition: None },
    StandardAction { table: Table::AdminUI, name: "FileCost", sequence: Some(900), always: true, condition: None },
    StandardAction { table: Table::AdminUI, name: "CostFinalize", sequence: Some(1000), always: true, condition: None },
    StandardAction { table: Table::AdminUI, name: "ExecuteAction", sequence: Some(1300), always: true, condition: None },
    StandardAction { table: Table::AdminExecute, name: "LaunchConditions", sequence: Some(100), always: false, condition: None },
    StandardAction { table: Table::AdminExecute, name: "CostInitialize", sequence: Some(800), always: true, condition: None },
    StandardAction { table: Table::AdminExecute, name: "FileCost", sequence: Some(900), always: true, condition: None },
    StandardAction { table: Table::AdminExecute, name: "CostFinalize", sequence: Some(1000), always: true, condition: None },
    StandardAction { table: Table::AdminExecute, name: "InstallValidate", sequence: Some(1400), always: true, condition: None },
    StandardAction { table: Table::AdminExecute, name: "InstallInitialize", sequence: Some(1500), always: true, condition: None },
    StandardAction { table: Table::AdminExecute, name: "InstallAdminPackage", sequence: Some(3900), always: true, condition: None },
    StandardAction { table: Table::AdminExecute, name: "InstallFiles", sequence: Some(4000), always: true, condition: None },
    StandardAction { table: Table::AdminExecute, name: "PatchFiles", sequence: Some(4090), always: false, condition: None },
    StandardAction { table: Table::AdminExecute, name: "InstallFinalize", sequence: Some(6600), always: true, condition: None },
    StandardAction { table: Table::AdminExecute, name: "ResolveSource", sequence: None, always: false, condition: None },
    StandardAction { table: Table::AdvtExecute, name: "CostInitialize", sequence: Some(800), always: true, condition: None },
    StandardAction { table: Table::AdvtExecute, name: "CostFinalize", sequence: Some(1000), always: true, condition: None },
    StandardAction { table: Table::AdvtExecute, name: "InstallValidate", sequence: Some(1400), always: true, condition: None },
    StandardAction { table: Table::AdvtExecute, name: "InstallInitialize", sequence: Some(1500), always: true, condition: None },
    StandardAction { table: Table::AdvtExecute, name: "CreateShortcuts", sequence: Some(4500), always: false, condition: None },
    StandardAction { table: Table::AdvtExecute, name: "RegisterClassInfo", sequence: Some(4600), always: false, condition: None },
    StandardAction { table: Table::AdvtExecute, name: "RegisterExtensionInfo", sequence: Some(4700), always: false, condition: None },
    StandardAction { table: Table::AdvtExecute, name: "RegisterProgIdInfo", sequence: Some(4800), always: false, condition: None },
    StandardAction { table: Table::AdvtExecute, name: "RegisterMIMEInfo", sequence: Some(4900), always: false, condition: None },
    StandardAction { table: Table::AdvtExecute, name: "PublishComponents", sequence: Some(6200), always: false, condition: None },
    StandardAction { table: Table::AdvtExecute, name: "MsiPublishAssemblies", sequence: Some(6250), always: false, condition: None },
    StandardAction { table: Table::AdvtExecute, name: "PublishFeatures", sequence: Some(6300), always: true, condition: None },
    StandardAction { table: Table::AdvtExecute, name: "PublishProduct", sequence: Some(6400), always: true, condition: None },
    StandardAction { table: Table::AdvtExecute, name: "InstallFinalize", sequence: Some(6600), always: true, condition: None },
];
