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

/// Stable, one-way identity of a finding: the first 96 bits of SHA-256 over rule id, path and
/// value (each followed by a NUL byte), as 24 hex digits. The path is relative to the project
/// root; the value is never shown, only hashed.
pub fn fingerprint(rule_id: &str, file: &str, value: &str) -> String {
    let mut hasher = Sha256::new();
    for part in [rule_id, file, value] {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    let digest = hasher.finalize();
    digest[..12].iter().map(|b| format!("{b:02x}")).collect()
}

/// What older versions fingerprinted this finding as: the same hash over the path as displayed
/// (relative to the directory the host ran in) when that differs from the project path.
pub fn legacy_fingerprints(
    rule_id: &str,
    file: &str,
    project_path: &str,
    value: &str,
) -> Vec<String> {
    if file == project_path {
        Vec::new()
    } else {
        vec![fingerprint(rule_id, file, value)]
    }
}

/// FNV-1a over 128 bits, as 24 hex digits: how older JS hosts fingerprinted findings about a
/// whole file (a staged `.env`, a missing ignore rule). Read, never written.
pub fn legacy_file_fingerprint(rule_id: &str, file: &str) -> String {
    const PRIME: u128 = (1 << 88) + 0x13b;
    let mut hash: u128 = 0x6c62272e07bb014262b821756295c58d;
    for byte in rule_id.bytes().chain([0]).chain(file.bytes()).chain([0]) {
        hash = (hash ^ byte as u128).wrapping_mul(PRIME);
    }
    format!("{hash:032x}")[..24].to_string()
}

/// Mask anything in an excerpt that looks like a token even when no rule claimed it: runs of
/// 16+ token characters that mix letters and digits. Belt and braces for "never leaks". A run
/// with `/` in it is masked whole when it reads as standard base64 (both cases and digits
/// throughout: a Basic credential, a key file), else per `/`-separated segment, so that paths
/// and URLs (`2010-04-01/Accounts/…`) stay readable.
pub fn mask_token_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.contains('/') && !looks_like_base64(run) {
            for (i, segment) in run.split('/').enumerate() {
                if i > 0 {
                    out.push('/');
                }
                push_masked(segment, out);
            }
        } else {
            push_masked(run, out);
        }
        run.clear();
    };
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        // `=` ends base64 (padding), but separates `NAME=value`: the name is no part of a token.
        let padding = c == '=' && !chars.peek().is_some_and(|n| n.is_ascii_alphanumeric());
        if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '/') || padding {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

fn push_masked(run: &str, out: &mut String) {
    let digits = run.bytes().filter(u8::is_ascii_digit).count();
    let has_alpha = run.bytes().any(|b| b.is_ascii_alphabetic());
    if run.len() >= 16 && digits >= 2 && has_alpha {
        out.push_str(&redact(run));
    } else {
        out.push_str(run);
    }
}

/// 20+ characters of which at least a fifth are upper case, a fifth lower case, and two are
/// digits: random bytes in base64, not a path of words.
fn looks_like_base64(run: &str) -> bool {
    let count = |f: fn(&u8) -> bool| run.bytes().filter(f).count();
    let (upper, lower, digits) = (
        count(u8::is_ascii_uppercase),
        count(u8::is_ascii_lowercase),
        count(u8::is_ascii_digit),
    );
    run.len() >= 20 && digits >= 2 && upper * 5 >= run.len() && lower * 5 >= run.len()
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

    #[test]
    fn masks_the_value_of_name_equals_value_but_not_the_name() {
        let masked = mask_token_like("TWILIO_API_SECRET=q8XhT2mZ0vLw9RkP4sNbY7cD");
        assert!(masked.starts_with("TWILIO_API_SECRET="), "{masked}");
        assert!(!masked.contains("q8XhT2mZ0vLw9RkP4sNbY7cD"), "{masked}");
        // Padding still belongs to the base64 it ends.
        assert_eq!(
            mask_token_like("x QUMxZjNkT2mZ0vLw9RkP4sNbY7== y"),
            "x QUMx…== y"
        );
    }

    #[test]
    fn masks_base64_with_slashes_whole_but_keeps_paths() {
        // FAKE: base64 of random bytes, with `/` in it.
        let encoded = "QUMxZjN/kT2mZ0vL/w9RkP4sNbY7cDq8X/hT2mZ==";
        let masked = mask_token_like(&format!("'Basic {encoded}'"));
        for piece in encoded.split('/') {
            assert!(!masked.contains(piece), "{piece} in {masked}");
        }
        let url = "fetch(`https://api.twilio.com/2010-04-01/Accounts/${sid}/Messages.json`)";
        assert_eq!(mask_token_like(url), url);
        let path = "src/components/CustomTaskList/CustomTaskList.jsx";
        assert_eq!(mask_token_like(path), path);
    }
}
