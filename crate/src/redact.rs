//! Redaction and fingerprints: the only places a matched value is turned into output.

use sha2::{Digest, Sha256};

/// A credential as it may be shown: at most its first 4 and last 2 characters.
/// Short values show less, so that no more than a third of any value is ever visible.
pub fn redact(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let n = chars.len();
    let (head, tail) = match n {
        0..=5 => (0, 0),
        6..=11 => (2, 0),
        12..=17 => (4, 0),
        _ => (4, 2),
    };
    let mut out: String = chars[..head].iter().collect();
    out.push('…');
    out.extend(&chars[n - tail..]);
    out
}

/// Stable, one-way identity of a finding: rule, file and value, never the value itself.
pub fn fingerprint(rule_id: &str, file: &str, value: &str) -> String {
    let mut hasher = Sha256::new();
    for part in [rule_id, file, value] {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    let digest = hasher.finalize();
    digest[..12].iter().map(|b| format!("{b:02x}")).collect()
}

/// Mask anything in an excerpt that looks like a token even when no rule claimed it: runs of
/// 16+ token characters that mix letters and digits. Belt and braces for "never leaks".
pub fn mask_token_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        let has_digit = run.chars().filter(|c| c.is_ascii_digit()).count() >= 2;
        let has_alpha = run.chars().any(|c| c.is_ascii_alphabetic());
        if run.chars().count() >= 16 && has_digit && has_alpha {
            out.push_str(&redact(run));
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '=') {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_shows_at_most_four_and_two() {
        let v = format!("AC{}", "0123456789abcdef".repeat(2));
        assert_eq!(redact(&v), "AC01…ef");
        assert_eq!(redact("short"), "…");
        assert_eq!(redact("abcdefgh"), "ab…");
    }

    #[test]
    fn fingerprint_is_stable_and_does_not_contain_value() {
        let a = fingerprint("account-sid", "a.js", "secretvalue");
        assert_eq!(a, fingerprint("account-sid", "a.js", "secretvalue"));
        assert_ne!(a, fingerprint("account-sid", "b.js", "secretvalue"));
        assert!(!a.contains("secretvalue"));
    }

    #[test]
    fn masks_token_like_runs_but_not_words() {
        let masked = mask_token_like("key = 'q8XhT2mZ0vLw9RkP4sNbY7cD' + name");
        assert!(!masked.contains("q8XhT2mZ0vLw9RkP4sNbY7cD"));
        assert_eq!(
            mask_token_like("FlexguardWebpackPlugin"),
            "FlexguardWebpackPlugin"
        );
    }
}
