use super::declare_rule;
use crate::account::{
    not_checked, AccountFinding, AccountResource, AuditSettings, MAX_COUNTRIES_WITHOUT_LIST,
};
use crate::facts::Fact;

declare_rule! {
    /// Voice dialling enabled beyond the countries the team calls, or not inherited by subaccounts.
    ///
    /// ## What it flags
    /// From the account's voice dialling permissions (Voice v1 `DialingPermissions/Countries`
    /// and `Settings`):
    /// - with `audit.voiceCountries` set (ISO codes, e.g. `["US", "CA"]`): each country outside
    ///   the list where low-risk dialling is enabled (`twilio://<AccountSid>/country/<ISO>`);
    /// - without it: more than five countries enabled, reported once for the account;
    /// - `dialing_permissions_inheritance` off: subaccounts set their own permissions, which
    ///   this audit of the parent does not see.
    ///
    /// ## Why it matters in a Flex plugin
    /// Twilio's first defence against toll fraud is to allow only the countries the contact
    /// centre calls. Every other enabled country is a destination a stolen credential can
    /// reach. With inheritance off, each Flex subaccount is its own, unaudited, set of countries.
    ///
    /// ## How to fix
    /// Console → Voice → Settings → Geo permissions: disable the countries the team does not call,
    /// list the ones it does in `audit.voiceCountries`, and turn inheritance on for subaccounts.
    ///
    /// ```json,flags
    /// [{ "kind": "voiceDialing", "accountSid": "ACexample", "inheritance": false, "countries": [{ "isoCode": "US", "name": "United States", "lowRiskNumbersEnabled": true, "highRiskSpecialNumbersEnabled": false, "highRiskTollfraudNumbersEnabled": false }] }]
    /// ```
    ///
    /// ```json,clean
    /// [{ "kind": "voiceDialing", "accountSid": "ACexample", "inheritance": true, "countries": [{ "isoCode": "US", "name": "United States", "lowRiskNumbersEnabled": true, "highRiskSpecialNumbersEnabled": false, "highRiskTollfraudNumbersEnabled": false }, { "isoCode": "FR", "name": "France", "lowRiskNumbersEnabled": false, "highRiskSpecialNumbersEnabled": false, "highRiskTollfraudNumbersEnabled": false }] }]
    /// ```
    pub struct AccountVoiceDialingCountries {
        id: "account-voice-dialing-countries",
        severity: Warning,
        kind: Account,
        shape: None,
    }
}

const HELP: &str = "Console → Voice → Settings → Geo permissions: disable the countries the team does not call, and list the ones it does in audit.voiceCountries.";

impl super::Rule for AccountVoiceDialingCountries {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }

    fn check_account(&self, fact: &Fact, settings: &AuditSettings) -> Vec<AccountFinding> {
        if let Some(found) = not_checked(Self::META.id, fact) {
            return vec![found];
        }
        let Fact::VoiceDialing {
            account_sid,
            countries,
            inheritance,
        } = fact
        else {
            return Vec::new();
        };
        let resource = |kind: &str, id: &str| AccountResource {
            account_sid: account_sid.clone(),
            kind: kind.into(),
            id: id.into(),
        };
        let enabled: Vec<_> = countries
            .iter()
            .filter(|c| c.low_risk_numbers_enabled)
            .collect();
        let mut out = Vec::new();
        match &settings.voice_countries {
            Some(allowed) => {
                for country in enabled.iter().filter(|c| {
                    !allowed
                        .iter()
                        .any(|iso| iso.eq_ignore_ascii_case(&c.iso_code))
                }) {
                    out.push(AccountFinding::new(
                        resource("country", &country.iso_code),
                        format!(
                            "voice dialling is enabled in {} ({}), which is not in audit.voiceCountries",
                            country.iso_code, country.name
                        ),
                        HELP,
                        format!("outside:{}", country.iso_code),
                    ));
                }
            }
            None if enabled.len() > MAX_COUNTRIES_WITHOUT_LIST => {
                let codes: Vec<&str> = enabled.iter().map(|c| c.iso_code.as_str()).collect();
                out.push(AccountFinding::new(
                    resource("voice-dialing", "countries"),
                    format!(
                        "voice dialling is enabled in {} countries ({}); no allow-list is configured (audit.voiceCountries)",
                        codes.len(),
                        codes.join(", ")
                    ),
                    HELP,
                    "too-many-countries".into(),
                ));
            }
            None => {}
        }
        if *inheritance == Some(false) {
            out.push(AccountFinding::new(
                resource("voice-dialing", "inheritance"),
                "subaccounts do not inherit this account's voice dialling permissions: each sets its own".into(),
                "Console → Voice → Settings → Geo permissions: turn on 'Inherit dialing permissions' for subaccounts, or audit each subaccount.",
                "inheritance-off".into(),
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::account::{AuditSettings, DialingCountry};
    use crate::facts::{judge, Fact};
    use crate::Options;

    fn dialing(codes: &[&str]) -> Fact {
        Fact::VoiceDialing {
            account_sid: "ACx".into(),
            inheritance: None,
            countries: codes
                .iter()
                .map(|code| DialingCountry {
                    iso_code: code.to_string(),
                    name: String::new(),
                    low_risk_numbers_enabled: true,
                    high_risk_special_numbers_enabled: false,
                    high_risk_tollfraud_numbers_enabled: false,
                })
                .collect(),
        }
    }

    fn files(fact: Fact, allowed: Option<&[&str]>) -> Vec<String> {
        let options = Options {
            audit: Some(AuditSettings {
                key_max_age_days: None,
                voice_countries: allowed.map(|a| a.iter().map(|s| s.to_string()).collect()),
            }),
            ..Options::default()
        };
        judge(&[fact], &options)
            .findings
            .into_iter()
            .map(|f| f.file)
            .collect()
    }

    #[test]
    fn five_countries_pass_without_a_list_and_six_do_not() {
        assert!(files(dialing(&["US", "CA", "GB", "FR", "DE"]), None).is_empty());
        assert_eq!(
            files(dialing(&["US", "CA", "GB", "FR", "DE", "ES"]), None),
            ["twilio://ACx/voice-dialing/countries"]
        );
    }

    #[test]
    fn with_a_list_each_country_outside_it_is_named() {
        assert_eq!(
            files(dialing(&["US", "MX", "CA"]), Some(&["us", "CA"])),
            ["twilio://ACx/country/MX"]
        );
    }
}
