//! Log-check rules (spec v1): validation, the Rust engine, and the data the page's
//! script receives. PLACEHOLDER: replaced by the checker implementation.

/// Rules as written in `advisory.yaml` under `log_checks` (one entry).
#[derive(Debug, Clone, serde::Deserialize)]
pub struct RawCheck(serde_json::Value);

/// A validated check.
#[derive(Debug, Clone)]
pub struct Check {
    pub id: String,
}
