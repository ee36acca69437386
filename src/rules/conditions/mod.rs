//! WXC4xx: conditions — syntax, actions that run in every mode, v3 syntax in v4 files, and
//! feature or component names that do not exist.
//!
//! The conditions are parsed when the model is built (`crate::condition`); these rules read
//! the parsed result.

pub mod condition_syntax;
pub mod unconditioned_system_change;
pub mod unknown_feature_or_component;
pub mod v3_condition_in_v4;

use crate::model::ConditionKind;

/// How a finding names what a condition decides.
fn described(kind: ConditionKind) -> &'static str {
    match kind {
        ConditionKind::Action => "action condition",
        ConditionKind::Launch => "launch condition",
        ConditionKind::FeatureLevel => "feature level condition",
        ConditionKind::Component => "component condition",
        ConditionKind::Publish => "publish condition",
        ConditionKind::Control => "control condition",
    }
}
