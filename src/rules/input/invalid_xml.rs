//! WXC001 invalid-xml.

crate::declare_rule! {
    /// The file is not well-formed XML.
    ///
    /// ## What it does
    /// Reports the first place where a file stops being XML: a mismatched or unclosed tag, a
    /// bad attribute, an undefined entity, text outside the root element.
    ///
    /// ## Why is this bad?
    /// WiX cannot read the file at all, and nothing in it can be checked. Other files given
    /// in the same run are still checked.
    ///
    /// ## Example
    /// ```xml
    /// <Custom Action="A" After="InstallValidate">
    /// ```
    /// Use instead:
    /// ```xml
    /// <Custom Action="A" After="InstallValidate" />
    /// ```
    ///
    /// ## References
    /// - Extensible Markup Language (XML) 1.0, §2.1 Well-Formed XML Documents
    pub INVALID_XML, "WXC001", "invalid-xml", Error, None
}
