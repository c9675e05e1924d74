//! What changed between two audits of a target: the previous audit's
//! fingerprints against the current ones. Fingerprints are counted, not
//! just compared: two identical edits in different paragraphs are two
//! findings, and one of them going away resolves one.

use std::collections::BTreeMap;

/// Indices into the two lists given to [`delta`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Delta {
    /// Current findings the previous audit did not have (current indices).
    pub new: Vec<usize>,
    /// Current findings the previous audit had too (current indices).
    pub standing: Vec<usize>,
    /// Previous findings that are gone now (previous indices).
    pub resolved: Vec<usize>,
}

impl Delta {
    /// Nothing appeared and nothing went away.
    pub fn is_quiet(&self) -> bool {
        self.new.is_empty() && self.resolved.is_empty()
    }
}

/// Compare the fingerprints of the previous audit with the current ones.
/// Each list keeps its order in the result.
pub fn delta<P: AsRef<str>, C: AsRef<str>>(previous: &[P], current: &[C]) -> Delta {
    let mut left: BTreeMap<&str, usize> = BTreeMap::new();
    for p in previous {
        *left.entry(p.as_ref()).or_default() += 1;
    }
    let mut out = Delta::default();
    for (i, c) in current.iter().enumerate() {
        match left.get_mut(c.as_ref()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                out.standing.push(i);
            }
            _ => out.new.push(i),
        }
    }
    for (i, p) in previous.iter().enumerate().rev() {
        if let Some(n) = left.get_mut(p.as_ref()).filter(|n| **n > 0) {
            *n -= 1;
            out.resolved.push(i);
        }
    }
    out.resolved.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_standing_and_resolved() {
        let d = delta(&["a", "b", "c"], &["b", "d", "a"]);
        assert_eq!(d.standing, vec![0, 2]);
        assert_eq!(d.new, vec![1]);
        assert_eq!(d.resolved, vec![2]);
        assert!(!d.is_quiet());
    }

    #[test]
    fn nothing_changed_is_quiet() {
        let d = delta(&["a", "b"], &["b", "a"]);
        assert!(d.is_quiet());
        assert_eq!(d.standing, vec![0, 1]);
    }

    #[test]
    fn first_audit_everything_is_new() {
        let d = delta::<&str, _>(&[], &["a", "a"]);
        assert_eq!(d.new, vec![0, 1]);
        assert!(d.resolved.is_empty());
    }

    #[test]
    fn duplicates_are_counted() {
        // Two identical edits; one goes away: one resolved, one standing.
        let d = delta(&["x", "y", "x"], &["x", "y"]);
        assert_eq!(d.standing, vec![0, 1]);
        assert!(d.new.is_empty());
        assert_eq!(d.resolved.len(), 1);
        // A third identical one appears: one new.
        let d = delta(&["x", "x"], &["x", "x", "x"]);
        assert_eq!(d.new, vec![2]);
    }

    #[test]
    fn a_to_b_to_a() {
        let a: [&str; 0] = [];
        let b = ["e1", "e2"];
        assert_eq!(delta(&a, &b).new, vec![0, 1]);
        assert!(delta(&b, &b).is_quiet());
        assert_eq!(delta(&b, &a).resolved, vec![0, 1]);
        assert!(delta(&a, &a).is_quiet());
    }
}
