//! Log-check rules (spec v1): validation, the streaming Rust engine, the result
//! structure, and the data the page's script receives. The browser script
//! (`checker.js`) implements the same spec on the same `page_rules` data.

mod backtrack;
mod decode;
mod engine;
mod page;
mod portable;
mod records;
mod result;
mod rules;
mod standalone;

pub use engine::{LogInput, ReadSeek, run_check, run_check_without_lists};
pub(crate) use page::page_rules;
pub use result::{
    CheckResult, FileReport, FileStatus, LineRefOut, MessageScope, Note, NoteKind, Placeholders,
    SessionReport,
};
pub use rules::{
    Check, Condition, Outcome, RawCheck, RawCondition, RawCount, RawOutcome, RawSessions,
    RawSignal, RawSignals, RawVerdict, Signal, Verdict, VerdictRule,
};
pub(crate) use rules::{
    PLACEHOLDERS, TITLE_KEY, message_keys, unknown_placeholders, validate_checks,
};
pub use standalone::{RulesFile, load_rules_file};

/// The page script (engine + DOM layer), shipped as `assets/checker.js`.
pub(crate) const PAGE_SCRIPT: &str = include_str!("checker.js");
