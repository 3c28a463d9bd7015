use super::declare_rule;
use crate::account::{AccountFinding, AccountResource, AuditSettings};
use crate::facts::Fact;

declare_rule! {
    /// Account settings that Twilio's public API does not show: check them in the Console.
    ///
    /// ## What it flags
    /// Every audited account, once (`twilio://<AccountSid>/manual/console`), at `info`: two-factor
    /// authentication for every Console user, single sign-on for Flex agents, and the use of a
    /// password manager. The audit cannot read these, so it lists them with the Console path to
    /// verify them, and never reports them as passed.
    ///
    /// ## Why it matters in a Flex plugin
    /// A Console login is the key to everything the other checks protect: keys, Functions,
    /// plugins and geo permissions. Twilio's Flex security advice puts 2FA and SSO first.
    ///
    /// ## How to fix
    /// Verify each setting at the Console path the finding names. Turn the rule off in the
    /// config (`"account-manual-checks": "off"`) once they are part of a regular review.
    ///
    /// ```json,flags
    /// [{ "kind": "manualChecks", "accountSid": "ACexample" }]
    /// ```
    ///
    /// ```json,clean
    /// [{ "kind": "usageTriggers", "accountSid": "ACexample", "triggers": [{ "sid": "UT1", "usageCategory": "totalprice" }, { "sid": "UT2", "usageCategory": "calls" }, { "sid": "UT3", "usageCategory": "sms" }] }]
    /// ```
    pub struct AccountManualChecks {
        id: "account-manual-checks",
        severity: Info,
        kind: Account,
        shape: None,
    }
}

impl super::Rule for AccountManualChecks {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }

    fn check_account(&self, fact: &Fact, _settings: &AuditSettings) -> Vec<AccountFinding> {
        let Fact::ManualChecks { account_sid } = fact else {
            return Vec::new();
        };
        vec![AccountFinding::new(
            AccountResource {
                account_sid: account_sid.clone(),
                kind: "manual".into(),
                id: "console".into(),
            },
            "not readable through Twilio's API, check by hand: two-factor authentication, single sign-on, password managers".into(),
            "Two-factor authentication: Console → Account → Manage users (each user's 2FA) and Account → General settings (require 2FA). Single sign-on: Console → Flex → Manage → Single sign-on. Password managers: your team's policy, for Console users without SSO.",
            "manual".into(),
        )]
    }
}
