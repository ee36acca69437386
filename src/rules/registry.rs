//! The one list of every rule, in code order.

use super::{conditions, input, lifetimes, scheduling, Rule};

static RULES: &[&Rule] = &[
    &input::invalid_xml::INVALID_XML,
    &input::unreadable_file::UNREADABLE_FILE,
    &input::undefined_preprocessor_variable::UNDEFINED_PREPROCESSOR_VARIABLE,
    &input::include_error::INCLUDE_ERROR,
    &input::preprocessor_error::PREPROCESSOR_ERROR,
    &input::unsupported_wix_dialect::UNSUPPORTED_WIX_DIALECT,
    &scheduling::schedule_cycle::SCHEDULE_CYCLE,
    &scheduling::schedule_anchor_not_found::SCHEDULE_ANCHOR_NOT_FOUND,
    &scheduling::action_scheduled_twice::ACTION_SCHEDULED_TWICE,
    &scheduling::sequence_no_room::SEQUENCE_NO_ROOM,
    &scheduling::duplicate_sequence_number::DUPLICATE_SEQUENCE_NUMBER,
    &scheduling::relative_to_exit_action::RELATIVE_TO_EXIT_ACTION,
    &scheduling::schedule_in_unlinked_fragment::SCHEDULE_IN_UNLINKED_FRAGMENT,
    &lifetimes::restart_manager_key_too_late::RESTART_MANAGER_KEY_TOO_LATE,
    &conditions::condition_syntax::CONDITION_SYNTAX,
    &conditions::unconditioned_system_change::UNCONDITIONED_SYSTEM_CHANGE,
    &conditions::v3_condition_in_v4::V3_CONDITION_IN_V4,
    &conditions::unknown_feature_or_component::UNKNOWN_FEATURE_OR_COMPONENT,
];

/// Every rule, sorted by code.
pub fn all() -> &'static [&'static Rule] {
    RULES
}

/// A rule by code (`WXC101`, case-insensitive) or name (`schedule-cycle`).
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|rule| {
        rule.code.code.eq_ignore_ascii_case(code_or_name) || rule.code.name == code_or_name
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_sorted_and_documented() {
        for pair in RULES.windows(2) {
            assert!(
                pair[0].code.code < pair[1].code.code,
                "{} then {}",
                pair[0].code.code,
                pair[1].code.code
            );
        }
        for rule in RULES {
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## References",
            ] {
                assert!(
                    rule.docs.contains(section),
                    "{} lacks {section}",
                    rule.code.code
                );
            }
            assert!(!rule.summary().is_empty());
        }
    }
}
