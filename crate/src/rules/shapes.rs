//! Credential shapes as data: a pattern, a check that rejects placeholders, and examples that
//! run as tests. Examples use `{hex32}`-style holes that tests fill with generated values
//! (see `testgen`), so this repository never carries a credential-shaped literal.

use regex::Regex;
use std::sync::OnceLock;

pub struct Shape {
    /// Regex over a string value or raw text; the whole match is the credential.
    pub pattern: &'static str,
    /// Rejects matches that have the shape but are not credentials (placeholders, hashes).
    pub is_credential: fn(&str) -> bool,
    /// Must match (after filling holes).
    pub examples: &'static [&'static str],
    /// Must not match, each with the reason.
    pub negative_examples: &'static [(&'static str, &'static str)],
    /// The compiled pattern and the length of its shortest match.
    pub compiled: OnceLock<(Regex, usize)>,
}

impl Shape {
    fn compiled(&self) -> &(Regex, usize) {
        self.compiled.get_or_init(|| {
            let regex = Regex::new(self.pattern).expect("shape pattern compiles");
            let shortest = regex_syntax::parse(self.pattern)
                .expect("shape pattern parses")
                .properties()
                .minimum_len()
                .unwrap_or(0);
            (regex, shortest)
        })
    }

    pub fn regex(&self) -> &Regex {
        &self.compiled().0
    }

    /// Credentials of this shape in `text`: byte ranges and values.
    pub fn find_in<'t>(&self, text: &'t str) -> Vec<(std::ops::Range<usize>, &'t str)> {
        let (regex, shortest) = self.compiled();
        // Most strings in code are far shorter than any credential: skip the regex call.
        if text.len() < *shortest {
            return Vec::new();
        }
        regex
            .find_iter(text)
            .filter(|m| (self.is_credential)(m.as_str()))
            .map(|m| (m.range(), m.as_str()))
            .collect()
    }
}

/// True for documentation placeholders and filler: a value whose distinctive part uses very few
/// distinct characters (`AC000…`, `ACaaaa…`), repeats a short period (`0123456789abcdef` twice,
/// `1234567890` cut off anywhere) or says what it is (`your…`, `example`, `xxxx`).
pub fn is_placeholder(body: &str) -> bool {
    let bytes = body.as_bytes();
    let mut distinct: Vec<u8> = bytes.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() <= 4 {
        return true;
    }
    let lower = body.to_ascii_lowercase();
    if lower.contains("xxxx") || lower.contains("your") || lower.contains("example") {
        return true;
    }
    (1..=bytes.len() / 2).any(|period| (period..bytes.len()).all(|i| bytes[i] == bytes[i - period]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        assert!(is_placeholder("00000000000000000000000000000000"));
        assert!(is_placeholder("0123456789abcdef0123456789abcdef"));
        assert!(is_placeholder("XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"));
        assert!(is_placeholder("12345678901234567890123456789012"));
        assert!(is_placeholder("your_auth_token"));
        assert!(!is_placeholder(&crate::testgen::fill("{hex32}", 7)));
    }
}
