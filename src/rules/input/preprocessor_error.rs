//! WXC005 preprocessor-error.

crate::declare_rule! {
    /// A preprocessor directive is malformed, unbalanced, or raises an error.
    ///
    /// ## What it does
    /// Reports bad `<?if?>` expressions, `<?if?>` without `<?endif?>`, `<?foreach?>` without
    /// `<?endforeach?>`, `<?error?>` (as an error) and `<?warning?>` (as a warning).
    ///
    /// ## Why is this bad?
    /// WiX stops on these, or (for `<?warning?>`) the author asked to be told.
    ///
    /// ## Example
    /// ```xml
    /// <?if $(var.Platform) = x64 ?>
    /// ```
    /// Use instead:
    /// ```xml
    /// <?if $(var.Platform) = x64 ?> ... <?endif?>
    /// ```
    ///
    /// ## References
    /// - WiX preprocessor: <https://wixtoolset.org/docs/tools/preprocessor/>
    pub PREPROCESSOR_ERROR, "WXC005", "preprocessor-error", Error, None
}
