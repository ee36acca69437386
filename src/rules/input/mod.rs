//! WXC0xx: problems reading the input — files that are not XML, cannot be decoded, or use
//! the preprocessor wrongly. The reading stages report these; the rules here document them.

pub mod include_error;
pub mod invalid_config;
pub mod invalid_xml;
pub mod preprocessor_error;
pub mod undefined_preprocessor_variable;
pub mod unreadable_file;
pub mod unsupported_wix_dialect;
pub mod unused_suppression;
