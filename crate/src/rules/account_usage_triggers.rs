use super::declare_rule;
use crate::account::{not_checked, AccountFinding, AccountResource, AuditSettings};
use crate::facts::Fact;

declare_rule! {
    /// No usage trigger watches calls, SMS or total spend, or a trigger calls back over plain HTTP.
    ///
    /// ## What it flags
    /// From the account's usage triggers (2010 API `Usage/Triggers`):
    /// - no trigger at all (`twilio://<AccountSid>/usage-triggers/all`);
    /// - else, each of the three groups no trigger watches: calls (`calls`, `calls-outbound`),
    ///   SMS (`sms`, `sms-outbound`) and total price (`totalprice`)
    ///   (`twilio://<AccountSid>/usage-triggers/<group>`);
    /// - each trigger whose `callback_url` is `http://` (`twilio://<AccountSid>/usage-trigger/<UT…>`).
    ///
    /// ## Why it matters in a Flex plugin
    /// Toll fraud and SMS pumping run up a bill in hours. Twilio's advice is to set usage
    /// triggers so that a spike alerts someone while it can still be stopped. A callback over
    /// plain HTTP can be read and forged on the way.
    ///
    /// ## How to fix
    /// Console → Monitor → Usage triggers (or `POST /Usage/Triggers`): add triggers on calls, SMS
    /// and total price at a value above normal daily use, with an `https://` callback that alerts a person.
    ///
    /// ```json,flags
    /// [{ "kind": "usageTriggers", "accountSid": "ACexample", "triggers": [] }]
    /// ```
    ///
    /// ```json,clean
    /// [{ "kind": "usageTriggers", "accountSid": "ACexample", "triggers": [
    ///   { "sid": "UT1", "usageCategory": "calls", "callbackUrl": "https://alerts.example.com/t" },
    ///   { "sid": "UT2", "usageCategory": "sms" },
    ///   { "sid": "UT3", "usageCategory": "totalprice" }] }]
    /// ```
    pub struct AccountUsageTriggers {
        id: "account-usage-triggers",
        severity: Warning,
        kind: Account,
        shape: None,
    }
}

/// The groups a fraud spike shows up in, and the categories that watch each.
const GROUPS: &[(&str, &[&str])] = &[
    ("calls", &["calls", "calls-outbound"]),
    ("sms", &["sms", "sms-outbound"]),
    ("totalprice", &["totalprice"]),
];

const HELP: &str = "Console → Monitor → Usage triggers: add triggers on calls, SMS and total price above normal daily use, with an https:// callback that alerts a person.";

impl super::Rule for AccountUsageTriggers {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }

    fn check_account(&self, fact: &Fact, _settings: &AuditSettings) -> Vec<AccountFinding> {
        if let Some(found) = not_checked(Self::META.id, fact) {
            return vec![found];
        }
        let Fact::UsageTriggers {
            account_sid,
            triggers,
        } = fact
        else {
            return Vec::new();
        };
        let resource = |kind: &str, id: &str| AccountResource {
            account_sid: account_sid.clone(),
            kind: kind.into(),
            id: id.into(),
        };
        if triggers.is_empty() {
            return vec![AccountFinding::new(
                resource("usage-triggers", "all"),
                "the account has no usage trigger: a fraud spike alerts no one".into(),
                HELP,
                "none".into(),
            )];
        }
        let mut out: Vec<AccountFinding> = GROUPS
            .iter()
            .filter(|(_, categories)| {
                !triggers
                    .iter()
                    .any(|t| categories.contains(&t.usage_category.as_str()))
            })
            .map(|(group, categories)| {
                AccountFinding::new(
                    resource("usage-triggers", group),
                    format!(
                        "no usage trigger watches {group} (usage category {})",
                        categories.join(" or ")
                    ),
                    HELP,
                    format!("missing:{group}"),
                )
            })
            .collect();
        for trigger in triggers {
            let insecure = trigger
                .callback_url
                .as_deref()
                .is_some_and(|url| url.len() >= 7 && url[..7].eq_ignore_ascii_case("http://"));
            if insecure {
                out.push(AccountFinding::new(
                    resource("usage-trigger", &trigger.sid),
                    format!("usage trigger {} calls back over plain HTTP", trigger.sid),
                    "Point the trigger's callback at an https:// URL.",
                    format!("http:{}", trigger.sid),
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::account::UsageTrigger;
    use crate::facts::{judge, Fact};
    use crate::Options;

    fn files(triggers: &[(&str, Option<&str>)]) -> Vec<String> {
        let fact = Fact::UsageTriggers {
            account_sid: "ACx".into(),
            triggers: triggers
                .iter()
                .enumerate()
                .map(|(i, (category, url))| UsageTrigger {
                    sid: format!("UT{i}"),
                    friendly_name: String::new(),
                    usage_category: category.to_string(),
                    callback_url: url.map(str::to_string),
                })
                .collect(),
        };
        judge(&[fact], &Options::default())
            .findings
            .into_iter()
            .map(|f| f.file)
            .collect()
    }

    #[test]
    fn each_missing_group_and_each_http_callback_is_named() {
        assert_eq!(
            files(&[("calls-outbound", Some("HTTP://alerts.example.com"))]),
            [
                "twilio://ACx/usage-trigger/UT0",
                "twilio://ACx/usage-triggers/sms",
                "twilio://ACx/usage-triggers/totalprice"
            ]
        );
        assert!(files(&[
            ("calls", None),
            ("sms-outbound", None),
            ("totalprice", Some("https://a.example"))
        ])
        .is_empty());
        // A recordings trigger does not watch call spend.
        assert!(files(&[
            ("calls-recordings", None),
            ("sms", None),
            ("totalprice", None)
        ])
        .contains(&"twilio://ACx/usage-triggers/calls".to_string()));
    }
}
