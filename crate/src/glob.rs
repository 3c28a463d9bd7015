//! Globs over forward-slash paths, for the settings that decide how a file is judged
//! (`firstParty`). The hosts keep their own matching for what to walk (`.gitignore`, `ignore`):
//! walking files is theirs, judging them is the engine's.
//!
//! `*` and `?` stay within a segment, `**` spans segments, `{a,b}` alternates, `[…]`/`[!…]` is a
//! class and `\` escapes. A pattern without `/` matches a base name at any depth, as in
//! `.gitignore` and ESLint. A leading `./` is ignored, and a trailing `/` means "everything below".

/// A parsed glob. Matching backtracks over at most the path's length per star, and alternatives
/// are expanded when the glob is parsed, so a hostile pattern cannot make a match explode.
#[derive(Clone, Debug)]
pub struct Glob {
    /// The pattern with every `{…}` expanded, as tokens.
    alternatives: Vec<Vec<Token>>,
    any_depth: bool,
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Char(char),
    /// `?`: one character other than `/`.
    One,
    /// `*`: any run without `/`.
    Star,
    /// `**/` at the start of a segment: zero or more whole directories.
    Directories,
    /// Any other `**`: anything, slashes included.
    Anything,
    Class {
        negated: bool,
        items: Vec<(char, char)>,
    },
}

/// Brace expansion stops here: a config glob has a handful of alternatives, not thousands.
const MAX_ALTERNATIVES: usize = 256;

impl Glob {
    pub fn new(pattern: &str) -> Glob {
        let mut pattern = pattern.strip_prefix("./").unwrap_or(pattern).to_string();
        if pattern.ends_with('/') {
            pattern.push_str("**");
        }
        let any_depth = !pattern.contains('/');
        let alternatives = expand_braces(&pattern, MAX_ALTERNATIVES)
            .iter()
            .map(|p| tokenize(p))
            .collect();
        Glob {
            alternatives,
            any_depth,
        }
    }

    /// True when the path (forward slashes, no leading `./`) matches.
    pub fn matches(&self, path: &str) -> bool {
        let path = path.strip_prefix("./").unwrap_or(path);
        let text: Vec<char> = path.chars().collect();
        let starts = std::iter::once(0).chain(
            text.iter()
                .enumerate()
                .filter(|(_, c)| **c == '/')
                .map(|(i, _)| i + 1)
                .filter(|_| self.any_depth),
        );
        let starts: Vec<usize> = starts.collect();
        self.alternatives
            .iter()
            .any(|tokens| starts.iter().any(|&at| match_here(tokens, &text[at..])))
    }
}

/// True when any of the globs matches the path.
pub fn matches_any(globs: &[Glob], path: &str) -> bool {
    globs.iter().any(|glob| glob.matches(path))
}

/// The pattern with its first top-level `{…}` expanded, recursively: at most `limit` patterns.
fn expand_braces(pattern: &str, limit: usize) -> Vec<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut depth = 0usize;
    let mut open = None;
    let mut commas = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '{' => {
                if depth == 0 {
                    open = Some(i);
                    commas.clear();
                }
                depth += 1;
            }
            ',' if depth == 1 => commas.push(i),
            '}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    let start = open.expect("an open brace precedes its close");
                    let head: String = chars[..start].iter().collect();
                    let tail: String = chars[i + 1..].iter().collect();
                    let mut cuts = vec![start];
                    cuts.extend(&commas);
                    cuts.push(i);
                    let mut out = Vec::new();
                    for pair in cuts.windows(2) {
                        let middle: String = chars[pair[0] + 1..pair[1]].iter().collect();
                        let room = limit - out.len();
                        for rest in expand_braces(&format!("{middle}{tail}"), room) {
                            out.push(format!("{head}{rest}"));
                        }
                        if out.len() >= limit {
                            break;
                        }
                    }
                    return out;
                }
            }
            _ => {}
        }
        i += 1;
    }
    vec![pattern.to_string()]
}

fn tokenize(pattern: &str) -> Vec<Token> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '*' if chars.get(i + 1) == Some(&'*') => {
                let at_segment_start = i == 0 || chars[i - 1] == '/';
                let slash_after = chars.get(i + 2) == Some(&'/');
                if at_segment_start && slash_after {
                    tokens.push(Token::Directories);
                    i += 3;
                } else {
                    tokens.push(Token::Anything);
                    i += 2;
                }
                continue;
            }
            '*' => tokens.push(Token::Star),
            '?' => tokens.push(Token::One),
            '[' => match class(&chars, i) {
                Some((token, end)) => {
                    tokens.push(token);
                    i = end + 1;
                    continue;
                }
                None => tokens.push(Token::Char('[')),
            },
            '\\' if i + 1 < chars.len() => {
                i += 1;
                tokens.push(Token::Char(chars[i]));
            }
            _ => tokens.push(Token::Char(c)),
        }
        i += 1;
    }
    tokens
}

/// A `[…]` class starting at `open`: the token and the index of its `]`.
fn class(chars: &[char], open: usize) -> Option<(Token, usize)> {
    let mut i = open + 1;
    let negated = matches!(chars.get(i), Some('!' | '^'));
    if negated {
        i += 1;
    }
    let first = i;
    let mut items = Vec::new();
    while i < chars.len() {
        if chars[i] == ']' && i > first {
            return Some((Token::Class { negated, items }, i));
        }
        let low = chars[i];
        if chars.get(i + 1) == Some(&'-') && chars.get(i + 2).is_some_and(|c| *c != ']') {
            items.push((low, chars[i + 2]));
            i += 3;
        } else {
            items.push((low, low));
            i += 1;
        }
    }
    None
}

/// Whether `tokens` match all of `text`: dynamic programming over (token, position), so every
/// pattern costs at most tokens × positions² steps, however many stars it has.
fn match_here(tokens: &[Token], text: &[char]) -> bool {
    let n = text.len();
    // `rest[j]`: the tokens after the current one match `text[j..]`.
    let mut rest = vec![false; n + 1];
    rest[n] = true;
    for token in tokens.iter().rev() {
        let mut here = vec![false; n + 1];
        for j in (0..=n).rev() {
            let single = |ok: &dyn Fn(char) -> bool| j < n && ok(text[j]) && rest[j + 1];
            here[j] = match token {
                Token::Char(c) => single(&|t| t == *c),
                Token::One => single(&|t| t != '/'),
                Token::Class { negated, items } => single(&|t| {
                    t != '/' && items.iter().any(|(lo, hi)| *lo <= t && t <= *hi) != *negated
                }),
                Token::Star => {
                    let run = text[j..].iter().position(|c| *c == '/').unwrap_or(n - j);
                    (j..=j + run).any(|k| rest[k])
                }
                Token::Directories => rest[j] || (j..n).any(|k| text[k] == '/' && rest[k + 1]),
                Token::Anything => (j..=n).any(|k| rest[k]),
            };
        }
        rest = here;
    }
    rest[0]
}

#[cfg(test)]
mod tests {
    use super::Glob;

    fn check(pattern: &str, yes: &[&str], no: &[&str]) {
        let glob = Glob::new(pattern);
        for path in yes {
            assert!(glob.matches(path), "{pattern} should match {path}");
        }
        for path in no {
            assert!(!glob.matches(path), "{pattern} should not match {path}");
        }
    }

    #[test]
    fn stars_stay_in_a_segment_and_globstars_span_them() {
        check("src/*.js", &["src/a.js"], &["src/x/a.js", "lib/a.js"]);
        check(
            "src/**",
            &["src/a.js", "src/x/y/a.ts"],
            &["srcx/a.js", "lib/src/a.js"],
        );
        check(
            "src/**/*.ts",
            &["src/a.ts", "src/x/y/a.ts"],
            &["src/a.js", "a.ts"],
        );
        check(
            "**/test/**",
            &["test/a.js", "a/test/b/c.js"],
            &["a/tests/b.js"],
        );
        check(
            "plugin-*/src/**",
            &["plugin-chat/src/a.js"],
            &["plugin/src/a.js"],
        );
    }

    #[test]
    fn patterns_without_a_slash_match_base_names_anywhere() {
        check("*.test.js", &["a.test.js", "src/x/a.test.js"], &["a.js"]);
        check("?.js", &["a.js", "x/b.js"], &["ab.js"]);
    }

    #[test]
    fn braces_classes_escapes_and_prefixes() {
        check(
            "src/**/*.{js,ts}",
            &["src/a.js", "src/b/c.ts"],
            &["src/a.tsx"],
        );
        check(
            "{src,lib}/{a,b}.js",
            &["lib/b.js", "src/a.js"],
            &["src/c.js"],
        );
        check("file[0-9].js", &["file3.js"], &["filex.js"]);
        check("file[!0-9].js", &["filex.js"], &["file3.js"]);
        check("\\*.js", &["*.js"], &["a.js"]);
        check("./src/", &["src/a.js", "./src/a/b.js"], &["lib/a.js"]);
    }

    #[test]
    fn hostile_patterns_stay_cheap() {
        let glob = Glob::new(&"{a,b}".repeat(40));
        assert!(!glob.matches("c"));
        let stars = Glob::new(&"*a".repeat(30));
        assert!(!stars.matches(&"a".repeat(29)));
    }
}
