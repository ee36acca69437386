//! The one list of every rule, in code order.

use super::{conditions, context, input, lifetimes, scheduling, upgrade, Rule};

static RULES: &[&Rule] = &[
    &input::invalid_xml::INVALID_XML,
    &input::unreadable_file::UNREADABLE_FILE,
    &input::undefined_preprocessor_variable::UNDEFINED_PREPROCESSOR_VARIABLE,
    &input::include_error::INCLUDE_ERROR,
    &input::preprocessor_error::PREPROCESSOR_ERROR,
    &input::unused_suppression::UNUSED_SUPPRESSION,
    &input::unsupported_wix_dialect::UNSUPPORTED_WIX_DIALECT,
    &input::invalid_config::INVALID_CONFIG,
    &scheduling::schedule_cycle::SCHEDULE_CYCLE,
    &scheduling::schedule_anchor_not_found::SCHEDULE_ANCHOR_NOT_FOUND,
    &scheduling::custom_action_not_defined::CUSTOM_ACTION_NOT_DEFINED,
    &scheduling::action_scheduled_twice::ACTION_SCHEDULED_TWICE,
    &scheduling::conflicting_schedule::CONFLICTING_SCHEDULE,
    &scheduling::sequence_no_room::SEQUENCE_NO_ROOM,
    &scheduling::duplicate_sequence_number::DUPLICATE_SEQUENCE_NUMBER,
    &scheduling::relative_to_exit_action::RELATIVE_TO_EXIT_ACTION,
    &scheduling::custom_action_never_scheduled::CUSTOM_ACTION_NEVER_SCHEDULED,
    &scheduling::schedule_in_unlinked_fragment::SCHEDULE_IN_UNLINKED_FRAGMENT,
    &context::deferred_outside_transaction::DEFERRED_OUTSIDE_TRANSACTION,
    &context::deferred_in_ui_sequence::DEFERRED_IN_UI_SEQUENCE,
    &context::action_data_missing::ACTION_DATA_MISSING,
    &context::action_data_set_too_late::ACTION_DATA_SET_TOO_LATE,
    &context::deferred_reads_property::DEFERRED_READS_PROPERTY,
    &context::rollback_after_action::ROLLBACK_AFTER_ACTION,
    &context::impersonation_mismatch::IMPERSONATION_MISMATCH,
    &context::setproperty_missing_in_sequence::SETPROPERTY_MISSING_IN_SEQUENCE,
    &lifetimes::restart_manager_key_too_late::RESTART_MANAGER_KEY_TOO_LATE,
    &lifetimes::property_outside_window::PROPERTY_OUTSIDE_WINDOW,
    &lifetimes::remove_all_before_install_validate::REMOVE_ALL_BEFORE_INSTALL_VALIDATE,
    &lifetimes::directory_set_wrong_side_of_costfinalize::DIRECTORY_SET_WRONG_SIDE_OF_COSTFINALIZE,
    &lifetimes::search_result_used_early::SEARCH_RESULT_USED_EARLY,
    &lifetimes::ui_property_not_secure::UI_PROPERTY_NOT_SECURE,
    &conditions::condition_syntax::CONDITION_SYNTAX,
    &conditions::unconditioned_system_change::UNCONDITIONED_SYSTEM_CHANGE,
    &conditions::v3_condition_in_v4::V3_CONDITION_IN_V4,
    &conditions::unknown_feature_or_component::UNKNOWN_FEATURE_OR_COMPONENT,
    &upgrade::remove_existing_products_placement::REMOVE_EXISTING_PRODUCTS_PLACEMENT,
    &upgrade::system_change_after_finalize::SYSTEM_CHANGE_AFTER_FINALIZE,
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
