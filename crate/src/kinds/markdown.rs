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
        "sh" | "bash" | "shell" | "zsh" | "console" | "shell-session" | "env" | "dotenv"
        | "properties" | "ini" | "toml" | "powershell" | "ps1" | "bat" | "cmd" => {
            (Kind::DotEnv, ".env")
        }
        _ => return None,
    })
}

/// How far a fence line may be indented (CommonMark allows 3, plus a list item's indentation).
const MAX_INDENT: usize = 12;

type OpenFence = (u8, usize, Option<(Kind, &'static str)>, usize);

/// The fenced blocks in a language flexguard lints, in order. A fence left open runs to the
/// end of the file, as CommonMark says.
pub fn fences(source: &str) -> Vec<Fence> {
    let mut out = Vec::new();
    // The open fence: its character, its length, its language and where its body starts.
    let mut open: Option<OpenFence> = None;
    let mut at = 0;
    for line in source.split_inclusive('\n') {
        let start = at;
        at += line.len();
        // A byte-order mark does not keep the first line from opening a fence.
        let line = match start {
            0 => line.strip_prefix('\u{feff}').unwrap_or(line),
            _ => line,
        };
        // Fences in list items are indented by the item's content (`1. ` → 3, nested → more);
        // an indented code block that starts with a fence line is rare enough to ignore.
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent > MAX_INDENT {
            continue;
        }
        let rest = &line[indent..];
        let Some(&fence_char) = rest.as_bytes().first().filter(|b| matches!(b, b'`' | b'~')) else {
            continue;
        };
        let run = rest.bytes().take_while(|&b| b == fence_char).count();
        if run < 3 {
            continue;
        }
        match open {
            Some((c, n, language, body_start)) => {
                if c == fence_char && run >= n && rest[run..].trim().is_empty() {
                    if let Some((kind, syntax_of)) = language {
                        out.push(Fence {
                            body: body_start..start,
                            kind,
                            syntax_of,
                        });
                    }
                    open = None;
                }
            }
            None => {
                let info = &rest[run..];
                // A backtick fence's info string has no backtick (else it is inline code).
                if fence_char == b'`' && info.contains('`') {
                    continue;
                }
                open = Some((fence_char, run, language(info), at));
            }
        }
    }
    if let Some((_, _, Some((kind, syntax_of)), body_start)) = open {
        out.push(Fence {
            body: body_start..source.len(),
            kind,
            syntax_of,
        });
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
    fn an_open_fence_runs_to_the_end() {
        let source = "```json\n{}\n";
        let found = fences(source);
        assert_eq!(&source[found[0].body.clone()], "{}\n");
    }
}
