//! WXC5xx: upgrades and the end of the transaction — where RemoveExistingProducts may go,
//! and what may still run after InstallFinalize.

pub mod remove_existing_products_placement;
pub mod system_change_after_finalize;
