//! WXC306 ui-property-not-secure: a property the UI sets and the execute sequence reads,
//! which Windows Installer does not pass across.

use crate::diagnostic::Diagnostic;
use crate::model::properties::PropertyDefinition;
use crate::rules::context::property_set_by;
use crate::rules::Context;
use crate::sequence::{Output, Schedule};
use crate::source::Span;
use std::collections::{BTreeMap, HashSet};

crate::declare_rule! {
    /// A property set in the UI is read by the execute sequence but is not passed to it.
    ///
    /// ## What it does
    /// Finds properties that a dialog writes — a control's or `Publish`'s `Property` — that
    /// no setter in the execute sequence sets, and that an action in an execute sequence
    /// reads (in its condition, as `[Property]` in a formatted field, or declared with a
    /// `wixcheck: reads` annotation). It reports them when the name has lowercase letters
    /// (a private property, never passed to the execute sequence) or when it is public but
    /// its `Property` element lacks `Secure="yes"`. A public property with no `Property`
    /// element in a library of fragments is left alone: the package may define it.
    ///
    /// ## Why is this bad?
    /// The execute sequence runs in the Windows Installer service. Only public properties
    /// cross from the UI, and in elevated (per-machine, managed) installs only those listed
    /// in SecureCustomProperties. Otherwise the execute sequence reads the property's
    /// default, and the user's choice in the dialog is lost.
    ///
    /// ## Example
    /// ```xml
    /// <Property Id="ServerName" />
    /// <Control Id="Server" Type="Edit" Property="ServerName" … />
    /// ```
    /// Use instead:
    /// ```xml
    /// <Property Id="SERVERNAME" Secure="yes" />
    /// <Control Id="Server" Type="Edit" Property="SERVERNAME" … />
    /// ```
    ///
    /// ## References
    /// - Private properties: <https://learn.microsoft.com/windows/win32/msi/private-properties>
    /// - SecureCustomProperties: <https://learn.microsoft.com/windows/win32/msi/securecustomproperties>
    /// - Restricted public properties: <https://learn.microsoft.com/windows/win32/msi/restricted-public-properties>
    pub UI_PROPERTY_NOT_SECURE, "WXC306", "ui-property-not-secure", Warning, Some(check)
}

fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let schedule = context.schedule;
    let written = ui_writes(context);
    if written.is_empty() {
        return;
    }
    let set_in_execute = set_in_execute(schedule);
    let definitions: Vec<&PropertyDefinition> = context
        .linked_sections()
        .flat_map(|section| section.properties.definitions.iter())
        .collect();
    let mut reported = HashSet::new();
    for table in schedule.tables.iter().filter(|t| t.table.is_execute()) {
        for (action, reads) in table.actions.iter().zip(context.reads_in(table)) {
            for read in reads {
                let property = read.property.as_str();
                let Some(&write) = written.get(property) else {
                    continue;
                };
                if set_in_execute.contains(property)
                    || context.defines("Directory", property)
                    || reported.contains(property)
                {
                    continue;
                }
                let definition = definitions.iter().find(|d| d.id.value == property);
                let private = property.chars().any(|c| c.is_lowercase());
                let unknown = definition.is_none() && schedule.linked.output == Output::Library;
                if !private && (unknown || definition.is_some_and(|d| d.secure)) {
                    continue;
                }
                reported.insert(property.to_string());
                let why = if private {
                    "it has lowercase letters, so it is private and never passed to the execute sequence"
                } else {
                    "it is not Secure, so elevated installs drop it on the way to the execute sequence"
                };
                let primary = definition.map_or(write, |d| d.id.span);
                let help = if private {
                    format!("rename it to an all-uppercase public property (e.g. {}) and mark its Property element Secure=\"yes\"", property.to_uppercase())
                } else {
                    format!("add Secure=\"yes\": <Property Id=\"{property}\" Secure=\"yes\" />")
                };
                diagnostics.push(
                    UI_PROPERTY_NOT_SECURE
                        .diagnostic(
                            primary,
                            format!(
                                "`{property}` is set in the UI and read by `{}` in {}, but {why}",
                                action.name, table.table
                            ),
                        )
                        .with_label(write, "the UI sets it here")
                        .with_label(read.span, format!("read in {} here", table.table))
                        .with_help(help),
                );
            }
        }
    }
}

/// Properties dialogs write (`Control/@Property`, `Publish/@Property`), with where. Setters
/// scheduled only in the UI sequence are WXC208's.
fn ui_writes<'a>(context: &Context<'a>) -> BTreeMap<&'a str, Span> {
    let mut written = BTreeMap::new();
    for section in context.linked_sections() {
        for write in &section.properties.ui_writes {
            written.entry(write.value.as_str()).or_insert(write.span);
        }
    }
    written
}

/// Properties a setter in an execute sequence sets.
fn set_in_execute(schedule: &Schedule) -> HashSet<&str> {
    schedule
        .tables
        .iter()
        .filter(|t| t.table.is_execute())
        .flat_map(|table| table.actions.iter())
        .filter_map(|action| schedule.custom_action(action))
        .filter_map(property_set_by)
        .collect()
}
