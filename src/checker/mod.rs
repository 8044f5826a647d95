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

/// A rule problem; `needles` locate it in the YAML source.
#[derive(Debug, Clone)]
pub(crate) struct RuleProblem {
    pub(crate) needles: Vec<String>,
    pub(crate) message: String,
    pub(crate) help: Option<String>,
}

/// Validates raw checks.
pub(crate) fn validate_checks(raw: Vec<RawCheck>) -> (Vec<Check>, Vec<RuleProblem>) {
    let checks = raw
        .into_iter()
        .map(|r| Check {
            id: r
                .0
                .get("id")
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string(),
        })
        .collect();
    (checks, Vec::new())
}

/// Message keys a check uses.
pub(crate) fn message_keys(_check: &Check) -> Vec<String> {
    Vec::new()
}

/// The rules as the page script receives them.
pub(crate) fn page_rules(check: &Check) -> serde_json::Value {
    serde_json::json!({ "id": check.id })
}
