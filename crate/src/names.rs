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

/// How often `text` names the identifier `name`, other than as a property (`x.name`), leaving
/// out comments that start a line. Strings, templates and regular expressions count: a scan that
/// tried to skip them could lose the rest of a line to a quote it misread, and undercount.
pub fn identifier_occurrences(text: &str, name: &str) -> usize {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let mut count = 0;
    let mut in_block_comment = false;
    for line in text.lines() {
        let mut code = line.trim_start();
        if in_block_comment {
            match code.find("*/") {
                Some(end) => {
                    in_block_comment = false;
                    code = &code[end + 2..];
                }
                None => continue,
            }
        } else if code.starts_with("//") {
            continue;
        } else if let Some(rest) = code.strip_prefix("/*") {
            match rest.find("*/") {
                Some(end) => code = &rest[end + 2..],
                None => {
                    in_block_comment = true;
                    continue;
                }
            }
        }
        count += code
            .match_indices(name)
            .filter(|(at, _)| {
                let before = code[..*at].chars().next_back();
                let after = code[at + name.len()..].chars().next();
                !before.is_some_and(|c| is_ident(c) || c == '.') && !after.is_some_and(is_ident)
            })
            .count();
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
    fn identifiers_outside_line_comments() {
        let text =
            "// a client for later\n/* the client\n   is made here */\nconst client = make();\n";
        assert_eq!(identifier_occurrences(text, "client"), 1);
        let cases = [
            "const client = x; run(`${client.calls}`);",
            "const client = x; reply(`Here's ${client.status}`);",
            "const client = x; const hook = `https://${d}/s`; client.calls.create({ url: hook });",
            "const client = x; const re = /'/g; send(client, to);",
            "const client = x; /* note */ client();",
        ];
        for text in cases {
            assert_eq!(identifier_occurrences(text, "client"), 2, "{text}");
        }
        assert_eq!(
            identifier_occurrences("const client = x; a.client; myclient;", "client"),
            1
        );
        assert_eq!(
            identifier_occurrences("é\\ü client ü/*\u{1F600}", "client"),
            1
        );
    }
}
