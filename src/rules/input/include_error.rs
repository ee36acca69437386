//! WXC004 include-error.

crate::declare_rule! {
    /// An `<?include?>` cannot be followed.
    ///
    /// ## What it does
    /// Reports includes whose file is missing or unreadable, whose root is not `<Include>`, or
    /// that include themselves directly or through other files.
    ///
    /// ## Why is this bad?
    /// WiX stops on a missing include, and an include cycle never ends.
    ///
    /// ## Example
    /// ```xml
    /// <?include Settings.wxi ?>  <!-- Settings.wxi is not next to this file -->
    /// ```
    /// Use instead: pass the directory that holds it with `-I DIR`.
    ///
    /// ## References
    /// - WiX preprocessor, includes: <https://wixtoolset.org/docs/tools/preprocessor/>
    pub INCLUDE_ERROR, "WXC004", "include-error", Error, None
}
