//! The rules as the page's script receives them (inline JSON): the same validated data,
//! with `match:` literals already escaped into `regex` so the script needs no escaping
//! rules of its own.

use serde_json::{Value, json};

use super::rules::{Check, Condition};

/// The JSON object the browser script codes against: `id`, `log_name`, `file_hint`,
/// `signals` (ordered list of `{name, regex, ignore_case, component}`), `sessions`
/// (`{start, decide}` or null), `verdicts` (`{verdict, when, message, evidence}`) and
/// `otherwise` (`{verdict, message}`).
pub(crate) fn page_rules(check: &Check) -> Value {
    json!({
        "id": check.id,
        "log_name": check.log_name,
        "file_hint": check.file_hint,
        "signals": check.signals.iter().map(|s| json!({
            "name": s.name,
            "regex": s.regex,
            "ignore_case": s.ignore_case,
            "component": s.component,
        })).collect::<Vec<_>>(),
        "sessions": check.session_start.as_ref().map(|s| json!({"start": s, "decide": "last_conclusive"})),
        "verdicts": check.verdicts.iter().map(|v| json!({
            "verdict": v.verdict,
            "when": condition_json(&v.when),
            "message": v.message,
            "evidence": v.evidence,
        })).collect::<Vec<_>>(),
        "otherwise": {"verdict": check.otherwise.verdict, "message": check.otherwise.message},
    })
}

fn condition_json(c: &Condition) -> Value {
    match c {
        Condition::Present(s) => json!({ "present": s }),
        Condition::Absent(s) => json!({ "absent": s }),
        Condition::Count {
            signal,
            at_least,
            at_most,
        } => {
            json!({ "count": { "signal": signal, "at_least": at_least, "at_most": at_most } })
        }
        Condition::Sequence(v) => json!({ "sequence": v }),
        Condition::All(v) => json!({ "all": v.iter().map(condition_json).collect::<Vec<_>>() }),
        Condition::Any(v) => json!({ "any": v.iter().map(condition_json).collect::<Vec<_>>() }),
        Condition::Not(c) => json!({ "not": condition_json(c) }),
    }
}

#[cfg(test)]
mod tests {
    use super::super::rules::{tests::shared_rules, validate_checks};
    use super::*;

    #[test]
    fn page_rules_of_the_worked_example_have_the_agreed_shape() {
        let (checks, _) = validate_checks(shared_rules());
        let v = page_rules(&checks[0]);
        assert_eq!(v["id"], "msa954474-wsyncmgr-legacy-sync");
        assert_eq!(v["log_name"], "Wsyncmgr.log");
        assert_eq!(v["file_hint"], json!(["wsyncmgr.log", "wsyncmgr.lo_"]));
        assert_eq!(
            v["signals"][0],
            json!({"name": "legacy_sync", "regex": "Performing legacy sync", "ignore_case": false, "component": "SMS_WSUS_SYNC_MANAGER"})
        );
        assert_eq!(v["signals"][1]["component"], Value::Null);
        assert_eq!(v["signals"][2]["ignore_case"], true);
        assert_eq!(
            v["sessions"],
            json!({"start": "legacy_sync", "decide": "last_conclusive"})
        );
        assert_eq!(
            v["verdicts"][0]["when"],
            json!({"present": "deployment_action_error"})
        );
        assert_eq!(
            v["verdicts"][1]["when"],
            json!({"all": [{"sequence": ["legacy_sync", "nonzero_summary"]}, {"absent": "deployment_action_error"}]})
        );
        assert_eq!(v["verdicts"][1]["verdict"], "not_affected");
        assert_eq!(
            v["otherwise"],
            json!({"verdict": "inconclusive", "message": "no_legacy_sync"})
        );
    }

    #[test]
    fn count_and_not_conditions_serialize_with_null_bounds() {
        let c = Condition::Not(Box::new(Condition::Count {
            signal: "s".into(),
            at_least: Some(1),
            at_most: None,
        }));
        assert_eq!(
            condition_json(&c),
            json!({"not": {"count": {"signal": "s", "at_least": 1, "at_most": null}}})
        );
        assert_eq!(
            condition_json(&Condition::Any(vec![Condition::Absent("x".into())])),
            json!({"any": [{"absent": "x"}]})
        );
    }
}
