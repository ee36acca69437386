//! WXC305 search-result-used-early: reading a property before the search that fills it.

use super::windows::{Outside, Window};
use crate::diagnostic::Diagnostic;
use crate::model::{formatted, CustomAction};
use crate::rules::context::property_set_by;
use crate::rules::Context;
use crate::source::Span;
use std::collections::HashMap;

crate::declare_rule! {
    /// An action reads a search result before the search has run.
    ///
    /// ## What it does
    /// Finds the properties that standard actions fill at run time — AppSearch fills
    /// properties that have a `RegistrySearch`, `FileSearch`, `DirectorySearch`,
    /// `ComponentSearch`, `IniFileSearch` or `ProductSearch` child; FindRelatedProducts fills
    /// the `UpgradeVersion/@Property` properties and MajorUpgrade's `WIX_UPGRADE_DETECTED`
    /// and `WIX_DOWNGRADE_DETECTED`; CCPSearch sets `CCP_Success` — and reports actions that
    /// read one (in their condition, as `[Property]` in a formatted field, or declared with a
    /// `wixcheck: reads` annotation)
    /// before the action that fills it, by effective sequence number.
    ///
    /// A setter whose whole value is one property (`Value="[INSTALLDIR]"`) is left alone
    /// before AppSearch: that is WiX's "remember property" pattern, which saves the
    /// command-line value before the search overwrites it.
    ///
    /// ## Why is this bad?
    /// Before the search runs, the property holds its default (usually nothing), so the
    /// action works with the wrong value on every machine — and the mistake looks like a
    /// search that "does not find anything".
    ///
    /// ## Example
    /// ```xml
    /// <Property Id="OLDCONFIG"><RegistrySearch Id="Cfg" Root="HKLM" Key="Software\App" Name="Config" Type="raw" /></Property>
    /// <SetProperty Id="BackupConfig" Value="[OLDCONFIG]" Before="AppSearch" Sequence="execute" />
    /// ```
    /// Use instead:
    /// ```xml
    /// <SetProperty Id="BackupConfig" Value="[OLDCONFIG]" After="AppSearch" Sequence="execute" />
    /// ```
    ///
    /// ## References
    /// - AppSearch action: <https://learn.microsoft.com/windows/win32/msi/appsearch-action>
    /// - FindRelatedProducts action: <https://learn.microsoft.com/windows/win32/msi/findrelatedproducts-action>
    /// - CCPSearch action: <https://learn.microsoft.com/windows/win32/msi/ccpsearch-action>
    /// - The WiX toolset's "Remember Property" pattern: <https://robmensching.com/blog/posts/2010/5/2/the-wix-toolsets-remember-property-pattern/>
    pub SEARCH_RESULT_USED_EARLY, "WXC305", "search-result-used-early", Warning, Some(check)
}

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let schedule = context.schedule;
    let mut filled: HashMap<&str, (&str, Span)> = HashMap::new();
    for section in context.linked_sections() {
        for fill in &section.properties.filled {
            filled
                .entry(fill.property.value.as_str())
                .or_insert((fill.by, fill.property.span));
        }
    }
    for table in &schedule.tables {
        for (action, reads) in table.actions.iter().zip(context.reads_in(table)) {
            let Some(number) = action.sequence else {
                continue;
            };
            if schedule
                .custom_action(action)
                .is_some_and(saves_command_line_value)
            {
                continue;
            }
            for read in reads {
                let found = match filled.get(read.property.as_str()) {
                    Some(&(by, span)) => table
                        .find(by)
                        .and_then(|filler| Some((filler, filler.sequence?, Some(span)))),
                    None => Window::find(&read.property)
                        .filter(|window| {
                            window.dedicated == Some(SEARCH_RESULT_USED_EARLY.code.code)
                        })
                        .and_then(|window| match window.outside(table, number)? {
                            Outside::BeforeSet { action, number } => Some((action, number, None)),
                            _ => None,
                        }),
                };
                let Some((filler, filled_at, filled_span)) = found else {
                    continue;
                };
                if number >= filled_at {
                    continue;
                }
                let property = &read.property;
                let primary = action.placement_span().unwrap_or(read.span);
                let mut diagnostic = SEARCH_RESULT_USED_EARLY
                    .diagnostic(
                        primary,
                        format!(
                            "`{}` reads {property} at {number}, before {} ({filled_at}) fills it",
                            action.name, filler.name
                        ),
                    )
                    .with_label(
                        primary,
                        format!("this action runs at {number} in {}", table.table),
                    )
                    .with_label(read.span, format!("reads {property} here"));
                if let Some(span) = filled_span {
                    diagnostic = diagnostic
                        .with_label(span, format!("{} fills {property} from this", filler.name));
                }
                diagnostics.push(
                    diagnostic.with_help(format!("schedule this action after {}", filler.name)),
                );
            }
        }
    }
}

/// A property setter whose value is exactly one `[Property]`: it saves that property's
/// current (command-line) value before a search replaces it.
fn saves_command_line_value(custom: &CustomAction) -> bool {
    let Some(value) = property_set_by(custom).and(custom.attribute("Value")) else {
        return false;
    };
    let references = formatted::references(&value.value);
    matches!(references.as_slice(), [only] if only.range.start == 1 && only.range.end + 1 == value.value.len())
}
