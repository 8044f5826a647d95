//! One file per command family; each prints its own results (only the binary prints).

pub(crate) mod check_log;
pub(crate) mod import;
pub(crate) mod serve;
pub(crate) mod site;

/// `n` and the noun in the right number: "1 advisory", "3 advisories".
pub(crate) fn counted(n: usize, one: &str, other: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { other })
}
