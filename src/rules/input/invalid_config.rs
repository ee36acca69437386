//! WXC008 invalid-config.

crate::declare_rule! {
    /// An entry in `wixcheck.toml` is not understood.
    ///
    /// ## What it does
    /// Reports TOML syntax errors, unknown keys, unknown rule codes or names, levels other
    /// than `allow`, `info`, `warn` and `deny`, `wix` versions other than 3 to 6, globs that do
    /// not parse, and values of the wrong type. The rest of the file still applies.
    ///
    /// ## Why is this bad?
    /// A misspelt key or rule name silently does nothing: the rule you meant to allow still
    /// fires, or the define you meant to set is missing and the preprocessor takes another
    /// branch.
    ///
    /// ## Example
    /// ```toml
    /// [rules]
    /// restart-manager-key-to-late = "allow"
    /// ```
    /// Use instead:
    /// ```toml
    /// [rules]
    /// restart-manager-key-too-late = "allow"
    /// ```
    ///
    /// ## References
    /// - `wixcheck rules` lists every code and name
    /// - TOML 1.0: <https://toml.io/en/v1.0.0>
    pub INVALID_CONFIG, "WXC008", "invalid-config", Error, None
}
