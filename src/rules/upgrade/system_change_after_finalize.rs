//! WXC502 system-change-after-finalize: an immediate action after InstallFinalize that runs a
//! tool which changes the machine.

use crate::diagnostic::Diagnostic;
use crate::model::{CustomAction, Spanned};
use crate::rules::context::{Setters, EXEC_ENTRIES};
use crate::rules::Context;
use crate::source::Span;

crate::declare_rule! {
    /// An immediate custom action after InstallFinalize changes the system.
    ///
    /// ## What it does
    /// Looks at immediate custom actions placed after InstallFinalize in an execute sequence
    /// whose command line runs a tool that changes the machine: `icacls`, `sc`, `net`,
    /// `netsh`, `reg`, `regsvr32`, `schtasks`, `setx`, `msiexec`, `dism`, `bcdedit`,
    /// `takeown`, or PowerShell cmdlets that set, add, install, register or remove things.
    /// EXE actions are judged by their `ExeCommand`, WiX's quiet-exec actions by the command
    /// line property their setter fills. Deferred actions after InstallFinalize are WXC201.
    ///
    /// ## Why is this bad?
    /// After InstallFinalize the transaction is over: nothing is rolled back if the change
    /// fails or the user cancels, and immediate actions run as the user — under UAC with a
    /// filtered token — so the change often fails with "access denied". Launching the
    /// installed application there is fine; changing the machine is not.
    ///
    /// ## Example
    /// ```xml
    /// <CustomAction Id="OpenFirewall" Directory="System64Folder" Execute="immediate"
    ///               ExeCommand="netsh advfirewall firewall add rule name=App dir=in action=allow" />
    /// <Custom Action="OpenFirewall" After="InstallFinalize" />
    /// ```
    /// Use instead:
    /// ```xml
    /// <CustomAction Id="OpenFirewall" Directory="System64Folder" Execute="deferred" Impersonate="no"
    ///               ExeCommand="netsh advfirewall firewall add rule name=App dir=in action=allow" />
    /// <Custom Action="OpenFirewall" Before="InstallFinalize" />
    /// ```
    ///
    /// ## References
    /// - InstallFinalize action: <https://learn.microsoft.com/windows/win32/msi/installfinalize-action>
    /// - Changing the system state using a custom action: <https://learn.microsoft.com/windows/win32/msi/changing-the-system-state-using-a-custom-action>
    /// - Custom action security: <https://learn.microsoft.com/windows/win32/msi/custom-action-security>
    pub SYSTEM_CHANGE_AFTER_FINALIZE, "WXC502", "system-change-after-finalize", Warning, Some(check)
}

/// Programs that change the machine, matched as whole words of a command line.
const TOOLS: [&str; 13] = [
    "icacls", "cacls", "sc", "net", "netsh", "reg", "regsvr32", "schtasks", "setx", "msiexec",
    "dism", "bcdedit", "takeown",
];
/// PowerShell verbs that change the machine.
const CMDLET_VERBS: [&str; 6] = ["set-", "new-", "add-", "remove-", "install-", "register-"];
/// The properties WiX's quiet-exec actions read their command line from when immediate.
const EXEC_COMMAND_PROPERTIES: [&str; 6] = [
    "QtExecCmdLine",
    "QtExec64CmdLine",
    "WixQuietExecCmdLine",
    "WixQuietExec64CmdLine",
    "WixSilentExecCmdLine",
    "WixSilentExec64CmdLine",
];

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let schedule = context.schedule;
    let setters = Setters::new(&schedule.custom_actions);
    for table in schedule.tables.iter().filter(|t| t.table.is_execute()) {
        let Some(finalize) = table.find("InstallFinalize").and_then(|a| a.sequence) else {
            continue;
        };
        for (action, number, custom) in schedule.custom_actions_in(table) {
            if number <= finalize || custom.execute.in_script() {
                continue;
            }
            let Some((tool, command)) = system_change(custom, &setters) else {
                continue;
            };
            let primary = action.placement_span().unwrap_or(custom.id.span);
            diagnostics.push(
                SYSTEM_CHANGE_AFTER_FINALIZE
                    .diagnostic(
                        primary,
                        format!("immediate action `{}` runs `{tool}` at {number}, after InstallFinalize ({finalize})", action.name),
                    )
                    .with_label(primary, format!("this action runs at {number}"))
                    .with_label(command, format!("runs `{tool}`"))
                    .with_note("after InstallFinalize nothing is rolled back, and immediate actions run as the user")
                    .with_help("make it a deferred action with Impersonate=\"no\" scheduled before InstallFinalize, with a rollback action; suppress this finding if the command only reads"),
            );
        }
    }
}

/// The tool `custom` runs and where its command line is written, if it changes the machine.
fn system_change(custom: &CustomAction, setters: &Setters<'_>) -> Option<(String, Span)> {
    let own = custom.attribute("ExeCommand");
    let exec_lines = EXEC_COMMAND_PROPERTIES
        .iter()
        .filter(|_| {
            custom
                .attribute("DllEntry")
                .is_some_and(|entry| EXEC_ENTRIES.contains(&entry.value.as_str()))
        })
        .flat_map(|property| setters.of(property))
        .filter_map(|setter| setter.attribute("Value"));
    own.into_iter()
        .chain(exec_lines)
        .find_map(|command| tool_in(command).map(|tool| (tool, command.span)))
}

/// The first machine-changing tool named in a command line.
fn tool_in(command: &Spanned<String>) -> Option<String> {
    let lower = command.value.to_ascii_lowercase();
    let words = lower.split(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | '\\' | '/' | '[' | ']' | ';')
    });
    let mut powershell = false;
    for word in words.filter(|word| !word.is_empty()) {
        let program = word.strip_suffix(".exe").unwrap_or(word);
        if TOOLS.contains(&program) {
            return Some(program.to_string());
        }
        powershell |= program == "powershell" || program == "pwsh";
        if powershell && CMDLET_VERBS.iter().any(|verb| word.starts_with(verb)) {
            return Some(format!("powershell {word}"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tool(command: &str) -> Option<String> {
        let span = Span::new(crate::source::FileId::first(), 0, command.len());
        tool_in(&Spanned::new(command.to_string(), span))
    }

    #[test]
    fn finds_machine_changing_tools_as_whole_words() {
        assert_eq!(
            tool("\"[System64Folder]netsh.exe\" advfirewall").as_deref(),
            Some("netsh")
        );
        assert_eq!(tool("sc.exe stop Svc").as_deref(), Some("sc"));
        assert_eq!(
            tool("powershell -Command Set-ItemProperty HKLM:\\X").as_deref(),
            Some("powershell set-itemproperty")
        );
        assert_eq!(tool("\"[INSTALLFOLDER]app.exe\" --welcome"), None);
        assert_eq!(tool("powershell Get-Item x"), None);
        assert_eq!(tool("describe network"), None);
    }
}
