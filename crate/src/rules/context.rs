//! What the context rules (`auth-token`, `api-key-secret`) share: value shapes, how names read,
//! which calls build a Twilio client, the properties of an object literal, and credential pairs
//! inside strings (`"AC…:token"`, `Basic <base64>`).

use std::borrow::Cow;
use std::sync::OnceLock;

use swc_ecma_ast::{
    AssignTarget, Callee, Expr, Lit, MemberProp, ObjectLit, Pat, Prop, PropOrSpread,
    SimpleAssignTarget,
};

use super::shapes::{is_hex, is_placeholder, Part, Searcher};
use crate::engine::Ctx;
use crate::finding::Span;
use crate::http::key_name;

/// The help shared by the rules that find a secret half of a credential pair.
pub const SECRET_HELP: &str = "Move the credential to a Twilio Function's environment and call the Function from the plugin (in the Function, use `context.getTwilioClient()`); prefer an API key over the auth token, and rotate this secret: it has shipped.";

/// 32 hex digits that are not a placeholder: the shape of an auth token.
pub fn is_hex32(value: &str) -> bool {
    value.len() == 32 && value.bytes().all(|b| b.is_ascii_hexdigit()) && !is_placeholder(value)
}

/// 32 letters and digits, with both, that are not a placeholder: the shape of an API key secret.
pub fn is_secret32(value: &str) -> bool {
    value.len() == 32
        && value.bytes().all(|b| b.is_ascii_alphanumeric())
        && value.bytes().any(|b| b.is_ascii_digit())
        && value.bytes().any(|b| b.is_ascii_alphabetic())
        && !is_placeholder(value)
}

fn is_sid(value: &str, prefix: &str) -> bool {
    value.len() == 34 && value.starts_with(prefix) && is_hex32(&value[2..])
}

pub fn is_account_sid(value: &str) -> bool {
    is_sid(value, "AC")
}

pub fn is_api_key_sid(value: &str) -> bool {
    is_sid(value, "SK")
}

/// How a variable, property or assignment target name reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Name {
    /// `authToken`, `TWILIO_AUTH_TOKEN`, `twilioToken`: an auth token on its own.
    AuthToken,
    /// `apiKeySecret`, `API_SECRET`, `keySecret`: an API key secret on its own.
    ApiKeySecret,
    /// `token`, `secret`, `password`: a credential when its SID is next to it.
    Weak,
    /// `username`, `user`: the SID half of a Basic-auth object.
    Username,
    Other,
}

pub fn classify(name: &str) -> Name {
    // Called for every binding, property and assignment of a bundle. Every class but `Other`
    // needs one of these words, so a name lacking the letters of each is `Other` after one
    // cheap pass (most names: `e`, `onClick`, `prototype`); the rest are normalised on the stack.
    const fn letters(word: &[u8]) -> u32 {
        let (mut set, mut i) = (0u32, 0);
        while i < word.len() {
            set |= 1 << (word[i].to_ascii_lowercase() - b'a');
            i += 1;
        }
        set
    }
    const WORDS: [u32; 5] = [
        letters(b"token"),
        letters(b"secret"),
        letters(b"pwd"),
        letters(b"passw"),
        letters(b"user"),
    ];
    let present = name
        .bytes()
        .filter(u8::is_ascii_alphabetic)
        .fold(0u32, |set, b| set | 1 << (b.to_ascii_lowercase() - b'a'));
    if !WORDS.iter().any(|&word| word & !present == 0) {
        return Name::Other;
    }
    let mut buffer = [0u8; 64];
    let mut len = 0;
    for b in name.bytes().filter(u8::is_ascii_alphanumeric) {
        let Some(slot) = buffer.get_mut(len) else {
            return classify_normalised(
                &name
                    .to_ascii_lowercase()
                    .replace(|c: char| !c.is_ascii_alphanumeric(), ""),
            );
        };
        *slot = b.to_ascii_lowercase();
        len += 1;
    }
    classify_normalised(std::str::from_utf8(&buffer[..len]).unwrap_or(""))
}

/// `n` is lower-case ASCII letters and digits.
fn classify_normalised(n: &str) -> Name {
    // Every class but `Other` needs one of these; most names in a bundle (`e`, `t`, `onClick`)
    // have none. One pass keyed on the first letter: this runs for every binding and property.
    let b = n.as_bytes();
    let mentions = (0..b.len()).any(|i| {
        let rest = &b[i..];
        match rest[0] {
            b't' => rest.starts_with(b"token"),
            b's' => rest.starts_with(b"secret"),
            b'p' => rest.starts_with(b"pwd") || rest.starts_with(b"passw"),
            b'u' => rest.starts_with(b"user"),
            _ => false,
        }
    });
    if !mentions {
        return Name::Other;
    }
    if n.contains("authtoken") || (n.contains("twilio") && n.ends_with("token")) {
        Name::AuthToken
    } else if ["apikeysecret", "apisecret", "keysecret", "secretkey"]
        .iter()
        .any(|s| n.contains(s))
        || (n.contains("twilio") && n.ends_with("secret"))
    {
        Name::ApiKeySecret
    } else if ["token", "secret", "password", "passwd", "pwd"]
        .iter()
        .any(|s| n.ends_with(s))
    {
        Name::Weak
    } else if n == "username" || n == "user" {
        Name::Username
    } else {
        Name::Other
    }
}

pub fn pat_name(pat: &Pat) -> Option<&str> {
    match pat {
        Pat::Ident(ident) => Some(&ident.id.sym),
        _ => None,
    }
}

/// `name = …`, `obj.name = …`, `obj["name"] = …`.
pub fn target_name(target: &AssignTarget) -> Option<Cow<'_, str>> {
    match target {
        AssignTarget::Simple(SimpleAssignTarget::Ident(ident)) => {
            Some(Cow::Borrowed(&ident.id.sym))
        }
        AssignTarget::Simple(SimpleAssignTarget::Member(member)) => match &member.prop {
            MemberProp::Ident(prop) => Some(Cow::Borrowed(&prop.sym)),
            MemberProp::Computed(computed) => match &*computed.expr {
                Expr::Lit(Lit::Str(s)) => Some(s.value.to_string_lossy()),
                _ => None,
            },
            MemberProp::PrivateName(_) => None,
        },
        _ => None,
    }
}

/// A callee that builds a Twilio REST client from `(sid, secret, …)`: `twilio(…)`,
/// `Twilio(…)`, `Twilio.Client`, `twilio.Twilio`, `require("twilio")(…)`.
pub fn is_twilio_client(callee: &Expr) -> bool {
    match callee {
        Expr::Paren(p) => is_twilio_client(&p.expr),
        Expr::Ident(ident) => matches!(&*ident.sym, "twilio" | "Twilio"),
        Expr::Member(member) => {
            matches!(&member.prop, MemberProp::Ident(p) if matches!(&*p.sym, "Twilio" | "Client" | "RestClient"))
                && (is_twilio_client(&member.obj) || is_require_twilio(&member.obj))
        }
        Expr::Call(_) => is_require_twilio(callee),
        _ => false,
    }
}

fn is_require_twilio(expr: &Expr) -> bool {
    let Expr::Call(call) = expr else {
        return false;
    };
    let Callee::Expr(callee) = &call.callee else {
        return false;
    };
    matches!(&**callee, Expr::Ident(i) if &*i.sym == "require")
        && matches!(call.args.first().map(|a| &*a.expr), Some(Expr::Lit(Lit::Str(s))) if s.value.to_string_lossy() == "twilio")
}

/// One property of an object literal: its name and, when it folds to a credential-sized string
/// (32 to 34 bytes: a secret, a token or a SID), that value with where it is assembled.
pub struct Property<'o> {
    pub name: Option<Cow<'o, str>>,
    pub value: Option<(String, Span)>,
}

/// Byte lengths of a folded credential value: a secret or token (32) or a SID (34).
pub const CREDENTIAL_SIZES: std::ops::RangeInclusive<usize> = 32..=34;

/// Whether `expr` may fold to a credential-sized string, judged without folding (so without
/// spending the folder's work allowance): a literal of that length, a constant's name, or a
/// form that folds (`+`, a template, a decoding call). Numbers never fold to 32 characters.
/// Rules test this before classifying names and folding values: it rejects most nodes of a
/// bundle (short strings, calls, functions, member reads).
pub fn may_fold_to_credential(ctx: &Ctx, expr: &Expr) -> bool {
    match expr {
        Expr::Lit(Lit::Str(s)) => CREDENTIAL_SIZES.contains(&s.value.len()),
        Expr::Ident(ident) => ctx.binding(&ident.sym).is_some(),
        Expr::Tpl(_)
        | Expr::Bin(_)
        | Expr::Call(_)
        | Expr::Paren(_)
        | Expr::TsAs(_)
        | Expr::TsConstAssertion(_)
        | Expr::TsNonNull(_)
        | Expr::TsSatisfies(_) => true,
        _ => false,
    }
}

/// `expr` folded, when it is a credential-sized string (see [`may_fold_to_credential`]).
pub fn fold_credential_sized(ctx: &Ctx, expr: &Expr) -> Option<(String, Span)> {
    if !may_fold_to_credential(ctx, expr) {
        return None;
    }
    ctx.fold_at(expr)
        .filter(|(value, _)| CREDENTIAL_SIZES.contains(&value.len()))
}

/// Every `key: value` and shorthand property. Values are folded only when credential-sized:
/// objects in bundles are mostly configuration and handlers, so this is a hot path.
pub fn properties<'o>(ctx: &Ctx, object: &'o ObjectLit) -> Vec<Property<'o>> {
    let mut out = Vec::new();
    for prop in &object.props {
        let PropOrSpread::Prop(prop) = prop else {
            continue;
        };
        match &**prop {
            // `authTokens: ["…", "…"]`: each element under the key's name.
            Prop::KeyValue(kv) => {
                for value in values_named_by(&kv.value) {
                    out.push(Property {
                        name: key_name(&kv.key),
                        value: fold_credential_sized(ctx, value),
                    });
                }
            }
            Prop::Shorthand(ident) => out.push(Property {
                name: Some(Cow::Borrowed(&ident.sym)),
                value: ctx
                    .binding(&ident.sym)
                    .and_then(|init| fold_credential_sized(ctx, init)),
            }),
            _ => {}
        }
    }
    out
}

/// The values a name stands for: the value, or each element of an array literal
/// (`const authTokens = ["…", "…"]`), one level deep.
pub fn values_named_by(value: &Expr) -> Vec<&Expr> {
    match value {
        Expr::Array(array) => array
            .elems
            .iter()
            .flatten()
            .filter(|e| e.spread.is_none() && !matches!(*e.expr, Expr::Array(_)))
            .map(|e| &*e.expr)
            .collect(),
        _ => vec![value],
    }
}

/// A SID and its secret written as one string: `"AC…:token"`, a URL's `AC…:token@`, or the
/// base64 of a Basic-auth header. `secret` is where the secret sits in the string (the whole
/// base64 run when decoded).
pub struct Pair {
    pub sid_prefix: &'static str,
    pub secret: String,
    pub range: std::ops::Range<usize>,
    pub encoded: bool,
}

/// `SID:secret` (pattern `(?-u:\b)(AC|SK)[0-9a-fA-F]{32}:[0-9A-Za-z]{32}(?-u:\b)`), one
/// searcher per prefix.
const PAIR_PARTS: [&[Part]; 2] = [&pair_parts("AC"), &pair_parts("SK")];

const fn pair_parts(sid_prefix: &'static str) -> [Part; 6] {
    [
        Part::Boundary,
        Part::Literal(sid_prefix),
        Part::Run(is_hex, 32, 32),
        Part::Literal(":"),
        Part::Run(u8::is_ascii_alphanumeric, 32, 32),
        Part::Boundary,
    ]
}

/// A Basic-auth header value (pattern `Basic(?-u:\s)+[A-Za-z0-9+/]{60,}={0,2}`).
const BASIC_PARTS: &[Part] = &[
    Part::Literal("Basic"),
    Part::Run(u8::is_ascii_whitespace, 1, usize::MAX),
    Part::Run(is_base64, 60, usize::MAX),
    Part::Run(is_padding, 0, 2),
];

fn is_base64(b: &u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/')
}

fn is_padding(b: &u8) -> bool {
    *b == b'='
}

pub fn pairs_in(value: &str) -> Vec<Pair> {
    // Built on first need: most files never hold a string long enough for a pair.
    static PAIRS: OnceLock<[Searcher; 2]> = OnceLock::new();
    static BASIC: OnceLock<Searcher> = OnceLock::new();
    let mut out = Vec::new();
    let plain = |text: &str, encoded: Option<std::ops::Range<usize>>, out: &mut Vec<Pair>| {
        if text.len() < 67 || !text.contains(':') {
            return;
        }
        let searchers = PAIRS.get_or_init(|| PAIR_PARTS.map(Searcher::new));
        let mut found: Vec<std::ops::Range<usize>> =
            searchers.iter().flat_map(|s| s.matches(text)).collect();
        // As one regex with `(AC|SK)` would: leftmost first, not overlapping.
        found.sort_by_key(|range| range.start);
        let mut resume = 0;
        for range in found {
            if range.start < resume {
                continue;
            }
            resume = range.end;
            let secret = range.end - 32..range.end;
            out.push(Pair {
                sid_prefix: if text[range.clone()].starts_with("AC") {
                    "AC"
                } else {
                    "SK"
                },
                secret: text[secret.clone()].to_string(),
                range: encoded.clone().unwrap_or(secret),
                encoded: encoded.is_some(),
            });
        }
    };
    plain(value, None, &mut out);
    if value.len() >= 66 && value.contains("Basic") {
        for header in BASIC
            .get_or_init(|| Searcher::new(BASIC_PARTS))
            .matches(value)
        {
            // The base64 starts after `Basic` and the whitespace.
            let after_basic = header.start + "Basic".len();
            let spaces = value.as_bytes()[after_basic..]
                .iter()
                .take_while(|b| b.is_ascii_whitespace())
                .count();
            let b64 = after_basic + spaces..header.end;
            if let Some(decoded) = crate::fold::base64_decode(&value[b64.clone()]) {
                if let Ok(decoded) = String::from_utf8(decoded) {
                    plain(&decoded, Some(b64), &mut out);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;

    /// The regexes `pairs_in` was first written with: the oracle its searchers are tested against.
    fn pairs_by_regex(value: &str) -> Vec<(&'static str, String, std::ops::Range<usize>, bool)> {
        let pair = regex::Regex::new(r"(?-u:\b)(AC|SK)[0-9a-fA-F]{32}:([0-9A-Za-z]{32})(?-u:\b)")
            .expect("pair regex");
        let basic = regex::Regex::new(r"Basic(?-u:\s)+([A-Za-z0-9+/]{60,}={0,2})").expect("basic");
        let mut out = Vec::new();
        let plain = |text: &str, encoded: Option<std::ops::Range<usize>>, out: &mut Vec<_>| {
            for caps in pair.captures_iter(text) {
                let prefix = if &caps[1] == "AC" { "AC" } else { "SK" };
                let secret = caps.get(2).expect("group 2");
                let range = encoded.clone().unwrap_or(secret.range());
                out.push((
                    prefix,
                    secret.as_str().to_string(),
                    range,
                    encoded.is_some(),
                ));
            }
        };
        plain(value, None, &mut out);
        for caps in basic.captures_iter(value) {
            let b64 = caps.get(1).expect("group 1");
            if let Some(Ok(decoded)) =
                crate::fold::base64_decode(b64.as_str()).map(String::from_utf8)
            {
                plain(&decoded, Some(b64.range()), &mut out);
            }
        }
        out
    }

    /// `pairs_in` finds exactly what the regexes find, on generated text dense in near-misses.
    #[test]
    fn pairs_match_what_the_regexes_match() {
        let b64 = |text: String| base64::engine::general_purpose::STANDARD.encode(text);
        let mut next = crate::testgen::xorshift(0x9e37_79b9_7f4a_7c15);
        let (mut found, mut encoded) = (0, 0);
        for i in 0..3000u64 {
            let fill = |template: &str, k: u64| crate::testgen::fill(template, i * 31 + k);
            let pieces: Vec<String> = vec![
                fill("AC{hex32}:{alnum32}", 1),
                fill("SK{hex32}:{alnum32}", 2),
                fill("AC{hex32}", 3),
                fill("{alnum32}", 4),
                fill("{hex16}", 5),
                ":".into(),
                "_".into(),
                " ".into(),
                "=".into(),
                "é".into(),
                "Basic ".into(),
                "Basic\t ".into(),
                format!("Basic {}", b64(fill("AC{hex32}:{alnum32}", 6))),
                format!("Basic  {}", b64(fill("SK{hex32}:{alnum32}", 7))),
                format!("Basic {}", b64(fill("user:{alnum32}{alnum32}", 8))),
            ];
            let len = (next() % 8) as usize;
            let text: String = (0..len)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize].as_str())
                .collect();
            let expected = pairs_by_regex(&text);
            let actual: Vec<_> = pairs_in(&text)
                .into_iter()
                .map(|p| (p.sid_prefix, p.secret, p.range, p.encoded))
                .collect();
            assert_eq!(actual, expected, "{text}");
            found += expected.len();
            encoded += expected.iter().filter(|p| p.3).count();
        }
        assert!(
            found >= 100 && encoded >= 20,
            "{found} pairs, {encoded} encoded"
        );
    }
}
