//! How an environment variable's name reads: its words (`TWILIO_API_SECRET`, `gfAccountSecret`)
//! and the last words that make it a setting about a credential (`TOKEN_URL`, `API_KEY_SID`)
//! rather than the credential. Shared by the rules that judge names; each keeps its own list of
//! the words that mark a credential, because what is secret depends on where the name is read.

/// A last word that makes the name a setting about a credential, not the credential.
pub const SETTING_WORDS: &[&str] = &[
    "URL",
    "URI",
    "ENDPOINT",
    "HOST",
    "DOMAIN",
    "PATH",
    "NAME",
    "SID",
    "ID",
    "HEADER",
    "TTL",
    "EXPIRY",
    "EXPIRES",
    "EXPIRATION",
    "LIFETIME",
    "TIMEOUT",
    "ENABLED",
    "TYPE",
    "REALM",
];

/// The words of a name, upper-cased: split at anything but a letter or digit, and at camelCase
/// humps (`gfAccountSecret` → `GF ACCOUNT SECRET`, `APIKey` → `API KEY`).
pub fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    for part in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let chars: Vec<char> = part.chars().collect();
        let mut start = 0;
        for i in 1..chars.len() {
            let lower_to_upper = chars[i - 1].is_ascii_lowercase() && chars[i].is_ascii_uppercase();
            // The last capital of an acronym starts the next word: `APIKey` → `API`, `Key`.
            let acronym_end = chars[i - 1].is_ascii_uppercase()
                && chars[i].is_ascii_uppercase()
                && chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
            if lower_to_upper || acronym_end {
                words.push(chars[start..i].iter().collect::<String>());
                start = i;
            }
        }
        if start < chars.len() {
            words.push(chars[start..].iter().collect::<String>());
        }
    }
    words.iter().map(|w| w.to_ascii_uppercase()).collect()
}

/// The name ends with a [`SETTING_WORDS`] word.
pub fn names_a_setting(words: &[String]) -> bool {
    words
        .last()
        .is_some_and(|w| SETTING_WORDS.contains(&w.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_snake_and_camel_case() {
        for (name, expected) in [
            ("TWILIO_API_SECRET", "TWILIO API SECRET"),
            ("gfAccountSecret", "GF ACCOUNT SECRET"),
            ("APIKey", "API KEY"),
            ("apiKEY", "API KEY"),
            ("flex_app_auth_token", "FLEX APP AUTH TOKEN"),
            ("S3_BUCKET", "S3 BUCKET"),
            ("__", ""),
        ] {
            assert_eq!(words(name).join(" "), expected, "{name}");
        }
    }

    #[test]
    fn settings_end_with_a_setting_word() {
        assert!(names_a_setting(&words("TOKEN_URL")));
        assert!(names_a_setting(&words("apiKeySid")));
        assert!(!names_a_setting(&words("API_SECRET")));
        assert!(!names_a_setting(&[]));
    }
}
