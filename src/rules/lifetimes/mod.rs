//! WXC3xx: properties that exist only inside a window of the sequence.
//!
//! [`windows`] holds the property availability table; the rules judge each property read by
//! the effective sequence number of the action that makes it.

pub mod directory_set_wrong_side_of_costfinalize;
pub mod property_outside_window;
pub mod remove_all_before_install_validate;
pub mod restart_manager_key_too_late;
pub mod search_result_used_early;
pub mod ui_property_not_secure;
pub mod windows;
