//! Proof bundles (`stet prove`).
