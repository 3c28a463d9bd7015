use super::declare_rule;
use crate::account::{not_checked, AccountFinding, AccountResource, AuditSettings};
use crate::facts::Fact;

declare_rule! {
    /// High-risk voice dialling (toll-fraud or special numbers) enabled for a country.
    ///
    /// ## What it flags
    /// Each country in the account's voice dialling permissions (Voice v1
    /// `DialingPermissions/Countries`) where `high_risk_tollfraud_numbers_enabled` or
    /// `high_risk_special_numbers_enabled` is on. The finding names the country's ISO code
    /// (`twilio://<AccountSid>/country/<ISO>`).
    ///
    /// ## Why it matters in a Flex plugin
    /// A stolen credential, or a Flex outbound-call feature misused, turns into calls to premium
    /// and toll-fraud ranges that pay the caller. Twilio's advice is to enable only the countries
    /// and number types the contact centre needs; high-risk ranges almost never are.
    ///
    /// ## How to fix
    /// Console → Voice → Settings → Geo permissions: clear the high-risk boxes of the country (or
    /// disable it), unless the business calls those numbers on purpose; then turn this rule off.
    ///
    /// ```json,flags
    /// [{ "kind": "voiceDialing", "accountSid": "ACexample", "countries": [{ "isoCode": "CU", "name": "Cuba", "lowRiskNumbersEnabled": true, "highRiskSpecialNumbersEnabled": false, "highRiskTollfraudNumbersEnabled": true }] }]
    /// ```
    ///
    /// ```json,clean
    /// [{ "kind": "voiceDialing", "accountSid": "ACexample", "countries": [{ "isoCode": "US", "name": "United States", "lowRiskNumbersEnabled": true, "highRiskSpecialNumbersEnabled": false, "highRiskTollfraudNumbersEnabled": false }] }]
    /// ```
    pub struct AccountVoiceHighRiskDialing {
        id: "account-voice-high-risk-dialing",
        severity: Error,
        kind: Account,
        shape: None,
    }
}

impl super::Rule for AccountVoiceHighRiskDialing {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }

    fn check_account(&self, fact: &Fact, _settings: &AuditSettings) -> Vec<AccountFinding> {
        if let Some(found) = not_checked(Self::META.id, fact) {
            return vec![found];
        }
        let Fact::VoiceDialing {
            account_sid,
            countries,
            ..
        } = fact
        else {
            return Vec::new();
        };
        countries
            .iter()
            .filter_map(|country| {
                let kinds: Vec<&str> = [
                    (country.high_risk_tollfraud_numbers_enabled, "toll-fraud"),
                    (country.high_risk_special_numbers_enabled, "special"),
                ]
                .into_iter()
                .filter_map(|(on, kind)| on.then_some(kind))
                .collect();
                if kinds.is_empty() {
                    return None;
                }
                Some(AccountFinding::new(
                    AccountResource {
                        account_sid: account_sid.clone(),
                        kind: "country".into(),
                        id: country.iso_code.clone(),
                    },
                    format!(
                        "high-risk {} numbers may be dialled in {} ({})",
                        kinds.join(" and "),
                        country.iso_code,
                        country.name
                    ),
                    "Console → Voice → Settings → Geo permissions: clear the country's high-risk boxes unless the business calls those numbers on purpose.",
                    format!("{}:{}", country.iso_code, kinds.join("+")),
                ))
            })
            .collect()
    }
}
