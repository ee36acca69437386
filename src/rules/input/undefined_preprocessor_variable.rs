//! WXC003 undefined-preprocessor-variable.

crate::declare_rule! {
    /// A `$(var.X)` reference names a variable that is not defined.
    ///
    /// ## What it does
    /// Reports each `$(var.X)`, `$(X)` or `$(env.X)` whose variable has no value at that
    /// point of the file, after `-d` defines and `<?define?>`s seen so far.
    ///
    /// ## Why is this bad?
    /// WiX stops with "undefined preprocessor variable"; the build needs the define.
    ///
    /// ## Example
    /// ```xml
    /// <Package Version="$(var.Version)" ...>
    /// ```
    /// Use instead: pass `-d Version=1.2.3` (as the build does), or `<?define Version = 1.2.3?>`.
    ///
    /// ## References
    /// - WiX preprocessor: <https://wixtoolset.org/docs/tools/preprocessor/>
    pub UNDEFINED_PREPROCESSOR_VARIABLE, "WXC003", "undefined-preprocessor-variable", Error, None
}
