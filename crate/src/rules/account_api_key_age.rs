use super::declare_rule;
use crate::account::{not_checked, AccountFinding, AccountResource, AuditSettings};
use crate::facts::Fact;

declare_rule! {
    /// An API key of the audited account older than `audit.keyMaxAgeDays` (default 180 days).
    ///
    /// ## What it flags
    /// Each key in the account's key lists (the 2010 API's `Keys` and IAM v1 `Keys`, which also
    /// shows Restricted keys) created more than `audit.keyMaxAgeDays` days ago. The finding names
    /// the key SID (`twilio://<AccountSid>/key/<SK…>`). When the credential the audit runs with
    /// may not list keys (a Standard API key, which a twilio-cli profile holds, gets 403), the
    /// check reports that it did not run, and which credential would let it: it is never a pass.
    ///
    /// ## Why it matters in a Flex plugin
    /// Twilio advises rotating API keys every six months. A Flex deployment spreads keys over
    /// Functions' environments, CI secrets and developers' machines; an old key has had the most
    /// chances to leak, and a leaked key works until it is deleted.
    ///
    /// ## How to fix
    /// Create a new key (Console → Account → API keys & tokens), move every user of the old key to
    /// it, then delete the old key. Run the audit with the auth token or a Main key so it can list keys.
    ///
    /// ```json,flags
    /// [{ "kind": "apiKeys", "accountSid": "ACexample", "list": "api-v2010", "keys": [{ "sid": "SKold", "friendlyName": "ci", "ageDays": 400 }] }]
    /// ```
    ///
    /// ```json,clean
    /// [{ "kind": "apiKeys", "accountSid": "ACexample", "list": "iam-v1", "keys": [{ "sid": "SKnew", "friendlyName": "ci", "ageDays": 30 }] }]
    /// ```
    pub struct AccountApiKeyAge {
        id: "account-api-key-age",
        severity: Warning,
        kind: Account,
        shape: None,
    }
}

impl super::Rule for AccountApiKeyAge {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }

    fn check_account(&self, fact: &Fact, settings: &AuditSettings) -> Vec<AccountFinding> {
        if let Some(found) = not_checked(Self::META.id, fact) {
            return vec![found];
        }
        let Fact::ApiKeys {
            account_sid, keys, ..
        } = fact
        else {
            return Vec::new();
        };
        let max = settings.key_max_age_days();
        keys.iter()
            .filter(|key| key.age_days > max)
            .map(|key| {
                let name = if key.friendly_name.is_empty() {
                    String::new()
                } else {
                    format!(" (\"{}\")", key.friendly_name)
                };
                AccountFinding::new(
                    AccountResource {
                        account_sid: account_sid.clone(),
                        kind: "key".into(),
                        id: key.sid.clone(),
                    },
                    format!(
                        "API key {}{name} is {} days old, more than {max} (audit.keyMaxAgeDays)",
                        key.sid, key.age_days
                    ),
                    "Create a new key, move every user of this one to it, then delete this key (Console → Account → API keys & tokens).",
                    key.sid.clone(),
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::account::{ApiKeyInfo, AuditSettings};
    use crate::facts::{judge, Fact};
    use crate::Options;

    fn keys(ages: &[u32]) -> Fact {
        Fact::ApiKeys {
            account_sid: "ACx".into(),
            list: "iam-v1".into(),
            keys: ages
                .iter()
                .enumerate()
                .map(|(i, &age_days)| ApiKeyInfo {
                    sid: format!("SK{i}"),
                    friendly_name: String::new(),
                    age_days,
                })
                .collect(),
        }
    }

    #[test]
    fn the_threshold_is_configurable_and_exclusive() {
        let fact = keys(&[179, 180, 181, 900]);
        assert_eq!(
            judge(std::slice::from_ref(&fact), &Options::default())
                .findings
                .len(),
            2
        );
        let strict = Options {
            audit: Some(AuditSettings {
                key_max_age_days: Some(90),
                voice_countries: None,
            }),
            ..Options::default()
        };
        let report = judge(&[fact], &strict);
        assert_eq!(report.findings.len(), 4);
        assert_eq!(report.findings[0].file, "twilio://ACx/key/SK0");
        assert!(report.findings[0].message.contains("more than 90"));
    }
}
