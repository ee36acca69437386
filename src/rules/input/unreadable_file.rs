//! WXC002 unreadable-file.

crate::declare_rule! {
    /// The file's bytes cannot be decoded as text.
    ///
    /// ## What it does
    /// Reports files whose bytes are not text in their encoding (UTF-8 with or without BOM,
    /// UTF-16 with a BOM, or the encoding the XML declaration names), and declarations that
    /// name an unknown encoding, at the first byte that cannot be decoded.
    ///
    /// ## Why is this bad?
    /// A file that cannot be decoded cannot be checked; WiX would fail on it too.
    ///
    /// ## Example
    /// A file saved as Windows-1252 with `é` in a comment but declared (or assumed) UTF-8.
    ///
    /// Use instead: save the file as UTF-8.
    ///
    /// ## References
    /// - Extensible Markup Language (XML) 1.0, §4.3.3 Character Encoding in Entities
    pub UNREADABLE_FILE, "WXC002", "unreadable-file", Error, None
}
