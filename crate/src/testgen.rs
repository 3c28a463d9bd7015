//! Clearly fake, generated credential values for tests, docs examples and fixtures.
//!
//! A template holds holes like `{hex32}`, `{alnum32}` or `{b64url43}`; `fill` replaces each with
//! pseudo-random characters from a fixed seed, so tests are repeatable and the repository never
//! stores a credential-shaped literal.

/// Fill every `{hexN}`, `{alnumN}`, `{b64urlN}` hole of `template` from `seed`.
pub fn fill(template: &str, seed: u64) -> String {
    let mut next = xorshift(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let hole = &after[..close];
        const ALPHABETS: [(&str, &[u8]); 3] = [
            ("hex", b"0123456789abcdef"),
            (
                "alnum",
                b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
            ),
            (
                "b64url",
                b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_",
            ),
        ];
        let parsed = ALPHABETS.iter().find_map(|(name, alphabet)| {
            let count = hole.strip_prefix(name)?.parse::<usize>().ok()?;
            Some((*alphabet, count))
        });
        match parsed {
            Some((alphabet, count)) => {
                out.extend(
                    (0..count).map(|_| alphabet[(next() % alphabet.len() as u64) as usize] as char),
                );
                rest = &after[close + 1..];
            }
            // Not a hole (an object literal, a block): keep the brace and read on after it.
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A repeatable pseudo-random sequence (xorshift64) from a non-zero `state`, for generated
/// test inputs.
pub fn xorshift(mut state: u64) -> impl FnMut() -> u64 {
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fills_holes_deterministically() {
        let a = super::fill("AC{hex32} {alnum4} {keep}", 1);
        assert_eq!(a, super::fill("AC{hex32} {alnum4} {keep}", 1));
        assert_eq!(a.len(), 2 + 32 + 1 + 4 + 7);
        assert!(super::fill("{ a: '{hex4}' }", 1).starts_with("{ a: '"));
        assert!(!super::fill("{ a: '{hex4}' }", 1).contains("hex"));
        assert!(a.ends_with(" {keep}"));
        assert!(a[2..34].chars().all(|c| c.is_ascii_hexdigit()));
    }

    /// npm/test/testgen.js must produce exactly this (its test checks the same value).
    #[test]
    fn matches_the_js_port() {
        assert_eq!(
            super::fill("{hex8}-{alnum6}-{b64url4}", 42),
            "5bdd73e7-7Mctsf-wgNe"
        );
    }
}
