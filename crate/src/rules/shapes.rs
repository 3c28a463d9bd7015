//! Credential shapes as data: a pattern, a check that rejects placeholders, and examples that
//! run as tests. Examples use `{hex32}`-style holes that tests fill with generated values
//! (see `testgen`), so this repository never carries a credential-shaped literal.

/// One piece of a shape, matched left to right. Runs are greedy and never give characters back:
/// in every shape the part after a run cannot start with a character of the run's class, so
/// this is exactly what the shape's regex matches (a test checks that on generated text).
pub enum Part {
    /// An ASCII word boundary, `(?-u:\b)`.
    Boundary,
    Literal(&'static str),
    /// `min..=max` bytes of a class.
    Run(fn(&u8) -> bool, usize, usize),
}

pub struct Shape {
    /// The shape as a regex over a string value or raw text (the whole match is the
    /// credential): its documentation, and the oracle `parts` is tested against.
    pub pattern: &'static str,
    /// The same shape as parts. Matching them needs no compiled automaton: the engine's first
    /// call (a CLI's cold start, in unoptimised wasm) paid tens of milliseconds for regexes.
    pub parts: &'static [Part],
    /// Rejects matches that have the shape but are not credentials (placeholders, hashes).
    pub is_credential: fn(&str) -> bool,
    /// Must match (after filling holes).
    pub examples: &'static [&'static str],
    /// Must not match, each with the reason.
    pub negative_examples: &'static [(&'static str, &'static str)],
}

pub fn is_hex(b: &u8) -> bool {
    b.is_ascii_hexdigit()
}

fn is_word(b: &u8) -> bool {
    b.is_ascii_alphanumeric() || *b == b'_'
}

impl Shape {
    /// Credentials of this shape in `text`: byte ranges and values.
    pub fn find_in<'t>(&self, text: &'t str) -> Vec<(std::ops::Range<usize>, &'t str)> {
        self.matcher().find_in(text)
    }

    /// The shape ready to search many texts (see [`Searcher`]).
    pub fn matcher(&self) -> Matcher<'_> {
        Matcher {
            shape: self,
            searcher: Searcher::new(self.parts),
        }
    }

    #[cfg(test)]
    fn matches(&self, text: &str) -> Vec<std::ops::Range<usize>> {
        self.matcher().searcher.matches(text)
    }
}

/// A [`Shape`] with its searcher built (see [`Shape::matcher`]).
pub struct Matcher<'s> {
    shape: &'s Shape,
    searcher: Searcher,
}

impl Matcher<'_> {
    /// Where the shape's anchor occurs in `text`: every match starts at one.
    pub fn anchor_positions<'t>(&'t self, text: &'t str) -> impl Iterator<Item = usize> + 't {
        self.searcher
            .anchor
            .iter()
            .flat_map(move |anchor| anchor.find_iter(text.as_bytes()))
    }

    /// Credentials of this shape in `text`: byte ranges and values.
    pub fn find_in<'t>(&self, text: &'t str) -> Vec<(std::ops::Range<usize>, &'t str)> {
        self.searcher
            .matches(text)
            .into_iter()
            .map(|range| (range.clone(), &text[range]))
            .filter(|(_, value)| (self.shape.is_credential)(value))
            .collect()
    }
}

/// Parts ready to search many texts: the anchor (the first literal part; the parts before it
/// must be zero-width) is found with a vectorised searcher built once, since building one cost
/// more than searching a typical string or comment.
pub struct Searcher {
    parts: &'static [Part],
    anchor: Option<memchr::memmem::Finder<'static>>,
    shortest: usize,
}

impl Searcher {
    pub fn new(parts: &'static [Part]) -> Self {
        let anchor = parts.iter().find_map(|part| match part {
            Part::Literal(literal) => Some(*literal),
            _ => None,
        });
        let shortest = parts
            .iter()
            .map(|part| match part {
                Part::Boundary => 0,
                Part::Literal(literal) => literal.len(),
                Part::Run(_, min, _) => *min,
            })
            .sum();
        Searcher {
            parts,
            anchor: anchor.map(|literal| memchr::memmem::Finder::new(literal.as_bytes())),
            shortest,
        }
    }

    /// Where the parts match: leftmost first, not overlapping (as a regex's `find_iter`).
    /// Matches start and end at ASCII bytes, so at char boundaries.
    pub fn matches(&self, text: &str) -> Vec<std::ops::Range<usize>> {
        let bytes = text.as_bytes();
        let mut found = Vec::new();
        // Most strings in code are far shorter than any credential.
        let Some(anchor) = self
            .anchor
            .as_ref()
            .filter(|_| bytes.len() >= self.shortest)
        else {
            return found;
        };
        let mut resume = 0;
        for at in anchor.find_iter(bytes) {
            if at < resume {
                continue;
            }
            if let Some(end) = self.match_at(bytes, at) {
                resume = end;
                found.push(at..end);
            }
        }
        found
    }

    /// The end of the match starting at `start`, if the parts match there.
    fn match_at(&self, bytes: &[u8], start: usize) -> Option<usize> {
        let mut at = start;
        for part in self.parts {
            match part {
                Part::Boundary => {
                    let before = at.checked_sub(1).and_then(|i| bytes.get(i));
                    if before.is_some_and(is_word) == bytes.get(at).is_some_and(is_word) {
                        return None;
                    }
                }
                Part::Literal(literal) => {
                    if !bytes[at..].starts_with(literal.as_bytes()) {
                        return None;
                    }
                    at += literal.len();
                }
                Part::Run(class, min, max) => {
                    let run = bytes[at..]
                        .iter()
                        .take(*max)
                        .take_while(|b| class(b))
                        .count();
                    if run < *min {
                        return None;
                    }
                    at += run;
                }
            }
        }
        Some(at)
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

    /// `parts` match exactly what `pattern` matches, on generated text dense in near-misses:
    /// anchors, class characters, separators, non-ASCII, and every example filled in.
    #[test]
    fn parts_match_what_the_pattern_matches() {
        let pieces = [
            "AC",
            "SK",
            "SG.",
            "eyJ",
            ".",
            "=",
            "==",
            "-",
            "_",
            "/",
            "+",
            " ",
            "é",
            ":",
            "x",
            "Z",
            "0",
            "9",
            "a",
            "f",
            "F",
            "{hex8}",
            "{hex16}",
            "{hex32}",
            "{alnum22}",
            "{b64url43}",
            "eyJ{b64url16}",
            ".eyJ{alnum22}",
            ".{b64url43}",
            "SG.{b64url22}",
        ];
        let mut next = crate::testgen::xorshift(0x2545_f491_4f6c_dd1d);
        for rule in crate::rules::ALL {
            let Some(shape) = rule.meta().shape else {
                continue;
            };
            let regex = regex::Regex::new(shape.pattern).expect("pattern compiles");
            let mut texts: Vec<String> = shape
                .examples
                .iter()
                .chain(shape.negative_examples.iter().map(|(e, _)| e))
                .enumerate()
                .map(|(i, e)| crate::testgen::fill(e, i as u64))
                .collect();
            for i in 0..3000 {
                let len = (next() % 40) as usize;
                let template: String = (0..len)
                    .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                    .collect();
                texts.push(crate::testgen::fill(&template, i));
            }
            let mut matched = 0;
            for text in texts {
                let expected: Vec<_> = regex.find_iter(&text).map(|m| m.range()).collect();
                assert_eq!(shape.matches(&text), expected, "{}: {text}", rule.meta().id);
                matched += expected.len();
            }
            assert!(matched >= 10, "{}: only {matched} matches", rule.meta().id);
        }
    }

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
