//! WXC007 unsupported-wix-dialect.

crate::declare_rule! {
    /// The file's root is not a WiX v3 or v4+ `<Wix>` element.
    ///
    /// ## What it does
    /// Reports files whose root element is not `Wix` (or `Include`) in the WiX v3 namespace
    /// `http://schemas.microsoft.com/wix/2006/wi` or the v4+ namespace
    /// `http://wixtoolset.org/schemas/v4/wxs`. wixcheck does not guess the dialect.
    ///
    /// ## Why is this bad?
    /// WiX v4+ rejects a document in the wrong namespace (WIX0199) and v3 does not read v4
    /// sources; the file is not checked.
    ///
    /// ## Example
    /// ```xml
    /// <Wix>
    /// ```
    /// Use instead:
    /// ```xml
    /// <Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">
    /// ```
    ///
    /// ## References
    /// - WiX error WIX0199 InvalidWixXmlNamespace
    pub UNSUPPORTED_WIX_DIALECT, "WXC007", "unsupported-wix-dialect", Error, None
}
