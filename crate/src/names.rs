//! How an environment variable's name reads: its words (`TWILIO_API_SECRET`, `gfAccountSecret`)
//! and the last words that make it a setting about a credential (`TOKEN_URL`, `API_KEY_SID`)
//! rather than the credential. Shared by the rules that judge names; each keeps its own list of
//! the words that mark a credential, because what is secret depends on where the name is read.
//! Also how often a text names an identifier.

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

/// How often the code of `text` names the identifier `name`, other than as a property
/// (`x.name`). Comments and quoted strings are not code; template literals are (their `${…}`
/// may name it).
pub fn identifier_occurrences(text: &str, name: &str) -> usize {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let bytes = text.as_bytes();
    let mut count = 0;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'/' if bytes.get(at + 1) == Some(&b'/') => {
                at = text[at..].find('\n').map_or(bytes.len(), |end| at + end);
            }
            b'/' if bytes.get(at + 1) == Some(&b'*') => {
                at = text[at + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |end| at + 2 + end + 2);
            }
            quote @ (b'"' | b'\'') => {
                at += 1;
                while at < bytes.len() && bytes[at] != quote && bytes[at] != b'\n' {
                    at += if bytes[at] == b'\\' { 2 } else { 1 };
                }
                at += 1;
            }
            _ if text.is_char_boundary(at) && text[at..].starts_with(name) => {
                let before = text[..at].chars().next_back();
                let after = text[at + name.len()..].chars().next();
                if !before.is_some_and(|c| is_ident(c) || c == '.') && !after.is_some_and(is_ident)
                {
                    count += 1;
                }
                at += name.len();
            }
            _ => at += 1,
        }
    }
    count
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

    #[test]
    fn identifiers_in_code_only() {
        let text = "// a client for later\nconst client = make(); /* client */ log('client', \"client\");\n";
        assert_eq!(identifier_occurrences(text, "client"), 1);
        assert_eq!(
            identifier_occurrences("const client = x; run(`${client.calls}`);", "client"),
            2
        );
        assert_eq!(
            identifier_occurrences("const client = x; a.client; myclient;", "client"),
            1
        );
        assert_eq!(
            identifier_occurrences("const u = 'https://x'; client.calls.list();", "client"),
            1
        );
        assert_eq!(
            identifier_occurrences("const s = 'it\\'s'; client();", "client"),
            1
        );
        assert_eq!(
            identifier_occurrences("é\\ü client ü/*\u{1F600}", "client"),
            1
        );
    }
}
