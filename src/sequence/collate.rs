//! WiX v3's sibling order: actions sorted by name with .NET's culture-aware comparer.
//!
//! v3 keeps before/after lists in `SortedList`s keyed by `"Table/Action"` compared with the
//! current culture (`WixActionRowCollection.cs`). For ASCII names that is: punctuation before
//! digits before letters, letters compared case-insensitively first, and on a full tie the
//! lowercase form first. The exact weights of `_` and `.` under culture rules were not
//! verified against Windows (reference §7); this approximation is documented there.

use std::cmp::Ordering;

/// Compares two action names the way v3's sorted lists order them.
pub fn compare(a: &str, b: &str) -> Ordering {
    let primary = a.chars().map(weight).cmp(b.chars().map(weight));
    primary.then_with(|| {
        // Tie on letters: lowercase sorts before uppercase at the first difference.
        let case = |c: char| if c.is_lowercase() { 0 } else { 1 };
        a.chars().map(case).cmp(b.chars().map(case))
    })
}

fn weight(c: char) -> (u8, char) {
    match c {
        c if c.is_alphabetic() => (2, c.to_lowercase().next().unwrap_or(c)),
        c if c.is_numeric() => (1, c),
        c => (0, c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_compare_case_insensitively_with_lowercase_first_on_ties() {
        let mut names = vec!["Zeta", "alpha", "Beta", "A1", "beta", "A_b"];
        names.sort_by(|a, b| compare(a, b));
        assert_eq!(names, ["A_b", "A1", "alpha", "beta", "Beta", "Zeta"]);
    }
}
