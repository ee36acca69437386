//! WXC3xx: properties that exist only inside a window of the sequence.

pub mod restart_manager_key_too_late;
