//! Custom actions that WiX extensions define in their libraries (util, netfx, iis, sql, …).
//!
//! When a package schedules one of these without the extension's library among the inputs,
//! the action is defined where wixcheck cannot see it — not a typo. The list in
//! `extension_actions.txt` was read from the wixlib sources of WiX v3 and v4+; v4+ ids such
//! as `Wix4QuietExec_X64` are matched after stripping their `Wix4`/`Wix5`/`Wix6` prefix and
//! architecture suffix.

const LIST: &str = include_str!("extension_actions.txt");

/// True if `id` names a custom action that a WiX extension library defines.
pub fn is_extension_action(id: &str) -> bool {
    let unsuffixed = ["_X86", "_X64", "_A64", "_ARM64", "_x86", "_x64", "_ia64"]
        .iter()
        .find_map(|suffix| id.strip_suffix(suffix))
        .unwrap_or(id);
    let base = ["Wix4", "Wix5", "Wix6"]
        .iter()
        .find_map(|prefix| unsuffixed.strip_prefix(prefix))
        .unwrap_or(unsuffixed);
    LIST.lines()
        .filter(|line| !line.starts_with('#'))
        .any(|line| line == base || line == unsuffixed)
}

#[cfg(test)]
mod tests {
    use super::is_extension_action;

    #[test]
    fn matches_v3_and_v4_ids() {
        for id in [
            "WixQuietExec",
            "WixQuietExec64",
            "Wix4QuietExec_X64",
            "Wix4CloseApplications_A64",
            "Wix6ConfigureGroups_X86",
            "ConfigureIIs",
            "NetFxScheduleNativeImage",
        ] {
            assert!(is_extension_action(id), "{id}");
        }
        assert!(!is_extension_action("SetInstallDir"));
        assert!(!is_extension_action("Wix4MyOwnAction_X64"));
    }
}
