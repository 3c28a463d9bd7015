//! Markdown (`.md`, `.mdx`): fenced code blocks are linted in their language (JS, TS, JSON,
//! YAML, shell and `.env` snippets); all text, fences included, is searched for shapes.

use std::ops::Range;

use super::Kind;

/// One fenced block: its content and how to lint it (`syntax_of`: a file name whose
/// extension selects the JavaScript dialect).
pub struct Fence {
    pub body: Range<usize>,
    pub kind: Kind,
    pub syntax_of: &'static str,
    /// The blockquote markers (`> `) in front of the body's lines, for a fence in a quote: the
    /// code is the body with these blanked.
    pub markers: Vec<Range<usize>>,
}

impl Fence {
    /// The code of the block, as long as `body` (markers blanked), so positions map back.
    pub fn code<'s>(&self, source: &'s str) -> std::borrow::Cow<'s, str> {
        let body = &source[self.body.clone()];
        if self.markers.is_empty() {
            return body.into();
        }
        let mut code = body.to_string();
        for marker in &self.markers {
            let range = marker.start - self.body.start..marker.end - self.body.start;
            code.replace_range(range.clone(), &" ".repeat(range.len()));
        }
        code.into()
    }
}

/// Where a line's blockquote marker that may start at `at` ends (`>` after up to three
/// spaces, and one blank after it), if there is one.
fn quote_marker_end(bytes: &[u8], at: usize) -> Option<usize> {
    let spaces = bytes[at..]
        .iter()
        .take(3)
        .take_while(|&&b| b == b' ')
        .count();
    if bytes.get(at + spaces) != Some(&b'>') {
        return None;
    }
    let end = at + spaces + 1;
    Some(end + usize::from(matches!(bytes.get(end), Some(b' ' | b'\t'))))
}

/// The length of a line's blockquote markers, `depth` levels deep (`> `, `>`, `> > `);
/// `None` when the line is quoted fewer levels deep.
fn quote_prefix(line: &str, depth: usize) -> Option<usize> {
    (0..depth).try_fold(0, |at, _| quote_marker_end(line.as_bytes(), at))
}

/// How many levels deep a line is quoted (`> > x` → 2), in one pass over its markers.
fn quote_depth(line: &str) -> usize {
    std::iter::successors(quote_marker_end(line.as_bytes(), 0), |&at| {
        quote_marker_end(line.as_bytes(), at)
    })
    .count()
}

/// The language of an info string (its first word), when it is one flexguard lints.
fn language(info: &str) -> Option<(Kind, &'static str)> {
    let word = info
        .trim()
        .trim_start_matches(['{', '.'])
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '{' | '}' | '='))
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    Some(match word.as_str() {
        "js" | "javascript" | "jsx" | "mjs" | "cjs" | "node" | "es6" => {
            (Kind::Script, "snippet.jsx")
        }
        "ts" | "typescript" | "mts" | "cts" => (Kind::Script, "snippet.ts"),
        "tsx" => (Kind::Script, "snippet.tsx"),
        "json" | "jsonc" | "json5" => (Kind::Json, "snippet.json"),
        "yaml" | "yml" => (Kind::Yaml, "snippet.yaml"),
        "properties" => (Kind::DotEnv, "snippet.properties"),
        "sh" | "bash" | "shell" | "zsh" | "console" | "shell-session" | "env" | "dotenv"
        | "ini" | "toml" | "powershell" | "ps1" | "bat" | "cmd" => (Kind::DotEnv, ".env"),
        _ => return None,
    })
}

/// How far a fence line may be indented (CommonMark allows 3, plus a list item's indentation).
const MAX_INDENT: usize = 12;

/// A fence being read: its character, its length, its language, where its body starts, how
/// many blockquote levels deep it is, and the markers of its body's lines so far.
struct OpenFence {
    fence_char: u8,
    run: usize,
    language: Option<(Kind, &'static str)>,
    body_start: usize,
    depth: usize,
    markers: Vec<Range<usize>>,
}

/// The fenced blocks in a language flexguard lints, in order. A fence left open runs to the
/// end of the file, as CommonMark says.
pub fn fences(source: &str) -> Vec<Fence> {
    let mut out = Vec::new();
    let mut open: Option<OpenFence> = None;
    let finish = |fence: OpenFence, end: usize, out: &mut Vec<Fence>| {
        if let Some((kind, syntax_of)) = fence.language {
            out.push(Fence {
                body: fence.body_start..end,
                kind,
                syntax_of,
                markers: fence.markers,
            });
        }
    };
    let mut at = 0;
    for line in source.split_inclusive('\n') {
        let start = at;
        at += line.len();
        // A byte-order mark does not keep the first line from opening a fence.
        let whole = line.len();
        let line = match start {
            0 => line.strip_prefix('\u{feff}').unwrap_or(line),
            _ => line,
        };
        let line_start = start + (whole - line.len());
        // A fence in a blockquote: its lines carry the quote's markers, and the quote's end
        // closes it (CommonMark).
        let mut depth = open.as_ref().map_or_else(|| quote_depth(line), |f| f.depth);
        // The fence this line's end of quote closed: its character and length.
        let mut closed_by_quote = None;
        let quoted = match (quote_prefix(line, depth), open.take()) {
            (Some(quoted), fence) => {
                open = fence;
                quoted
            }
            (None, fence) => {
                if let Some(fence) = fence {
                    closed_by_quote = Some((fence.fence_char, fence.run));
                    finish(fence, start, &mut out);
                }
                // The line itself is read as any other: it may open the next fence.
                depth = quote_depth(line);
                quote_prefix(line, depth).unwrap_or(0)
            }
        };
        let line = &line[quoted..];
        // Fences in list items are indented by the item's content (`1. ` → 3, nested → more);
        // an indented code block that starts with a fence line is rare enough to ignore.
        let indent = line.len() - line.trim_start_matches(' ').len();
        let fence_line = (indent <= MAX_INDENT)
            .then(|| &line[indent..])
            .and_then(|rest| {
                let &fence_char = rest
                    .as_bytes()
                    .first()
                    .filter(|b| matches!(b, b'`' | b'~'))?;
                let run = rest.bytes().take_while(|&b| b == fence_char).count();
                (run >= 3).then_some((fence_char, run, &rest[run..]))
            });
        // An unquoted closing fence right after the quote is the one its author meant.
        if let (Some((fence_char, run)), Some((c, n, after))) = (closed_by_quote, fence_line) {
            if c == fence_char && n >= run && after.trim().is_empty() {
                continue;
            }
        }
        match (&mut open, fence_line) {
            (Some(fence), Some((fence_char, run, after)))
                if fence.fence_char == fence_char
                    && run >= fence.run
                    && after.trim().is_empty() =>
            {
                let fence = open.take().expect("a fence is open");
                finish(fence, start, &mut out);
            }
            (Some(fence), _) => {
                if quoted > 0 {
                    fence.markers.push(line_start..line_start + quoted);
                }
            }
            (None, Some((fence_char, run, info))) => {
                // A backtick fence's info string has no backtick (else it is inline code).
                if fence_char == b'`' && info.contains('`') {
                    continue;
                }
                open = Some(OpenFence {
                    fence_char,
                    run,
                    language: language(info),
                    body_start: at,
                    depth,
                    markers: Vec::new(),
                });
            }
            (None, None) => {}
        }
    }
    if let Some(fence) = open {
        finish(fence, source.len(), &mut out);
    }
    out
}

/// The file with only what can hold a suppression directive kept (see `super::keep`): HTML
/// comments, and the code blocks flexguard lints.
pub fn directive_text(source: &str) -> String {
    let bytes = source.as_bytes();
    let mut ranges: Vec<Range<usize>> = fences(source).into_iter().map(|f| f.body).collect();
    let mut at = 0;
    while let Some(open) = memchr::memmem::find(&bytes[at..], b"<!--").map(|i| at + i) {
        let end =
            memchr::memmem::find(&bytes[open..], b"-->").map_or(bytes.len(), |i| open + i + 3);
        ranges.push(open..end);
        at = end;
    }
    super::keep(source, ranges)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each fence's code (markers blanked) and kind.
    fn codes(source: &str) -> Vec<(String, Kind)> {
        fences(source)
            .iter()
            .map(|f| (f.code(source).into_owned(), f.kind))
            .collect()
    }

    #[test]
    fn finds_fences_and_their_languages() {
        let source = "# t\n```js\na()\n```\n\n~~~~yaml title\nk: v\n~~~~\n```\nplain\n```\n  ```TS {1}\nx\n  ```\n````sh\n```\ninner\n````\n1. Step\n\n    ```json\n    {}\n    ```\n";
        let found: Vec<(&str, Kind)> = fences(source)
            .iter()
            .map(|f| (&source[f.body.clone()], f.kind))
            .collect();
        assert_eq!(
            found,
            [
                ("a()\n", Kind::Script),
                ("k: v\n", Kind::Yaml),
                ("x\n", Kind::Script),
                ("```\ninner\n", Kind::DotEnv),
                ("    {}\n", Kind::Json),
            ]
        );
    }

    #[test]
    fn directives_are_comments_not_prose() {
        let source = "Use `// flexguard-ignore-next-line` to suppress.\n<!-- flexguard-ignore-next-line -->\n```js\n// flexguard-ignore\n```\n";
        let text = directive_text(source);
        assert_eq!(text.len(), source.len());
        assert_eq!(text.matches("flexguard-ignore").count(), 2);
        assert!(!text.lines().next().unwrap().contains("flexguard"));
    }

    #[test]
    fn fences_in_blockquotes_lose_their_markers() {
        let source = "> ```js\n> const a = {\n>   b: 1,\n> };\n> ```\n\n> > ~~~json\n> > {}\n\nafter\n```yaml\n> k: v\n```\n";
        assert_eq!(
            codes(source),
            [
                ("  const a = {\n    b: 1,\n  };\n".to_string(), Kind::Script),
                // The quote's end closes its fence.
                ("    {}\n".to_string(), Kind::Json),
                // Outside a quote, `>` is the code's own.
                ("> k: v\n".to_string(), Kind::Yaml),
            ]
        );
    }

    #[test]
    fn the_line_that_ends_a_quote_may_open_the_next_fence() {
        let source = "> ```js\n> a()\n```js\nb()\n```\n\n> ```sh\n> c\n```\n```json\n{}\n```\n";
        assert_eq!(
            codes(source),
            [
                ("  a()\n".to_string(), Kind::Script),
                ("b()\n".to_string(), Kind::Script),
                ("  c\n".to_string(), Kind::DotEnv),
                // The bare fence after the second quote closed it, as its author meant.
                ("{}\n".to_string(), Kind::Json),
            ]
        );
    }

    #[test]
    fn an_open_fence_runs_to_the_end() {
        let source = "```json\n{}\n";
        let found = fences(source);
        assert_eq!(&source[found[0].body.clone()], "{}\n");
    }
}
