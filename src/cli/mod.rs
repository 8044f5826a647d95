//! One file per command family; each prints its own results (only the binary prints).

pub(crate) mod check_log;
pub(crate) mod import;
pub(crate) mod site;
