//! WXC006 unused-suppression.

crate::declare_rule! {
    /// A `<!-- wixcheck: allow(…) -->` comment suppresses nothing.
    ///
    /// ## What it does
    /// Reports each code or name in an `allow(…)` or `allow-file(…)` comment that no
    /// diagnostic used: the element after an `allow` comment (or the file, for
    /// `allow-file`) has no finding of that rule, or the code names no rule at all.
    ///
    /// ## Why is this bad?
    /// A stale suppression hides the next real problem of that kind in the element, and a
    /// misspelt code suppresses nothing while looking as if it does.
    ///
    /// ## Example
    /// ```xml
    /// <!-- wixcheck: allow(WXC301) -->
    /// <Custom Action="SaveRmKey" Before="InstallValidate" />
    /// ```
    /// Use instead:
    /// ```xml
    /// <Custom Action="SaveRmKey" Before="InstallValidate" />
    /// ```
    ///
    /// ## References
    /// - ruff's RUF100 unused-noqa, the same idea for Python: <https://docs.astral.sh/ruff/rules/unused-noqa/>
    pub UNUSED_SUPPRESSION, "WXC006", "unused-suppression", Warning, None
}
