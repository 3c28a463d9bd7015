//! `KEY=value` files: `.env` and its variants, `.envrc`, `.dev.vars`, `.properties`, INI and
//! TOML-style settings, shell scripts and snippets, Dockerfiles (`ENV`/`ARG`). Each assignment becomes `process.env.KEY = "value"`
//! (what a build makes of it), so the variable's name decides what the value is, with the
//! rules' own name classification; any other line is a string, searched for shapes and
//! `SID:secret` pairs.

use std::ops::Range;

use super::synth;
use crate::parse::Parsed;

/// One `KEY=value` line (or a quoted value running over several lines).
pub struct Entry {
    pub name: String,
    pub name_range: Range<usize>,
    pub value: String,
    pub value_range: Range<usize>,
}

/// The file as a program: an assignment per entry with a value, a string per other line.
/// `properties`: a Java `.properties` file, where a blank alone may separate a key from its
/// value (`twilio.auth.token   …`); in other settings files and in shell lines it would
/// separate a command from its argument.
pub fn parse(source: &str, properties: bool) -> Parsed {
    let mut exprs = Vec::new();
    for item in items(source, properties) {
        match item {
            Item::Entry(entry) => {
                if is_placeholder_value(&entry.value) {
                    continue;
                }
                let value = synth::string(source, &entry.value, entry.value_range.clone());
                exprs.push(synth::env_assignment(
                    &entry.name,
                    entry.name_range.clone(),
                    value,
                ));
            }
            Item::Line(range) => {
                exprs.push(synth::string(source, &source[range.clone()], range));
            }
        }
    }
    synth::program(exprs, source.len())
}

pub enum Item {
    Entry(Entry),
    /// A line that is not an assignment (a command, prose): its trimmed text.
    Line(Range<usize>),
}

/// The file's assignments and other non-empty, non-comment lines, in order (`properties`: see
/// [`parse`]).
pub fn items(source: &str, properties: bool) -> Vec<Item> {
    let bytes = source.as_bytes();
    let mut out = Vec::new();
    let mut section = String::new();
    // A byte-order mark is not part of the first name.
    let mut at = if source.starts_with('\u{feff}') { 3 } else { 0 };
    while at < bytes.len() {
        let line_end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
        let next = (line_end + 1).min(bytes.len()).max(line_end);
        let line = &source[at..line_end];
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        // A shell prompt in a pasted session (`$ TWILIO_AUTH_TOKEN=… npm start`).
        let prompt = if trimmed.starts_with("$ ") { 2 } else { 0 };
        let start = at + indent + prompt;
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            at = next;
            continue;
        }
        // `[section]` of INI and TOML files qualifies the names under it.
        if trimmed.starts_with('[') && trimmed.ends_with(']') && !trimmed.contains('=') {
            section = trimmed[1..trimmed.len() - 1]
                .trim()
                .trim_matches('"')
                .to_string();
            at = next;
            continue;
        }
        match entry(source, start, line_end, &section, properties) {
            Some((entry, end)) => {
                // After a value over several lines, go on after the line where it ends.
                at = match memchr::memchr(b'\n', &bytes[end.max(line_end).min(bytes.len())..]) {
                    _ if end <= line_end => next,
                    Some(i) => end + i + 1,
                    None => bytes.len(),
                };
                out.push(Item::Entry(entry));
                if end < line_end {
                    rest_of_line(source, end, line_end, &section, &mut out);
                }
            }
            None => {
                let end = at + line.trim_end().len();
                out.push(Item::Line(start..end));
                at = next;
            }
        }
    }
    out
}

/// What follows a value on its line: more assignments (`A=1 B=2 npm run deploy`), then a
/// command or prose, still searched for shapes, unless it is a comment.
fn rest_of_line(source: &str, mut at: usize, line_end: usize, section: &str, out: &mut Vec<Item>) {
    let bytes = source.as_bytes();
    loop {
        while at < line_end && matches!(bytes[at], b' ' | b'\t') {
            at += 1;
        }
        let rest = source[at..line_end].trim_end();
        if rest.is_empty() || rest.starts_with('#') || rest.starts_with(';') {
            return;
        }
        match entry(source, at, line_end, section, false) {
            Some((entry, end)) if end <= line_end && end > at => {
                out.push(Item::Entry(entry));
                at = end;
            }
            _ => {
                out.push(Item::Line(at..at + rest.len()));
                return;
            }
        }
    }
}

/// How far a quoted value may run.
const MAX_QUOTED: usize = 16 << 10;

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')
}

/// The entry starting at `start` (after indentation), and the offset where its value ends.
fn entry(
    source: &str,
    start: usize,
    line_end: usize,
    section: &str,
    properties: bool,
) -> Option<(Entry, usize)> {
    let bytes = source.as_bytes();
    let mut i = start;
    // Shell (`export`, `set`, `setx`, `env`) and Dockerfile (`ENV`, `ARG`) forms.
    for prefix in ["export ", "set ", "setx ", "env ", "ENV ", "ARG "] {
        if source[i..line_end].starts_with(prefix) {
            i += prefix.len();
            while i < line_end && bytes[i] == b' ' {
                i += 1;
            }
        }
    }
    let name_start = i;
    while i < line_end && is_name_byte(bytes[i]) {
        i += 1;
    }
    let name_end = i;
    if name_end == name_start
        || !bytes[name_start].is_ascii_alphabetic() && bytes[name_start] != b'_'
    {
        return None;
    }
    while i < line_end && matches!(bytes[i], b' ' | b'\t') {
        i += 1;
    }
    // `KEY=value`, `key = value` (INI, TOML), `key: value` and `key value` (.properties).
    let blank_separated =
        properties && i > name_end && i < line_end && !matches!(bytes[i], b'=' | b':' | b'\r');
    if !blank_separated {
        if i >= line_end || !matches!(bytes[i], b'=' | b':') {
            return None;
        }
        i += 1;
    }
    while i < line_end && matches!(bytes[i], b' ' | b'\t') {
        i += 1;
    }
    let name = &source[name_start..name_end];
    let name = if section.is_empty() {
        name.to_string()
    } else {
        format!("{section}.{name}")
    };
    let (value_range, end) = match bytes.get(i) {
        Some(&quote @ (b'"' | b'\'' | b'`')) if i < line_end => {
            // A double-quoted value may run over several lines (dotenv allows it), within a
            // bound so that a file of unclosed quotes stays linear.
            let from = i + 1;
            let limit = bytes.len().min(from + MAX_QUOTED);
            let mut j = from;
            let close = loop {
                match bytes.get(j) {
                    _ if j >= limit => break None,
                    Some(&b) if b == quote => break Some(j),
                    Some(b'\\') if quote == b'"' => j += 2,
                    Some(b'\n') if quote != b'"' => break None,
                    Some(_) => j += 1,
                    None => break None,
                }
            };
            match close {
                Some(j) => (from..j, j + 1),
                None => (from..line_end, line_end),
            }
        }
        // A `.properties` value is the rest of the line (a comment starts only a line).
        _ if properties => {
            let rest = source[i.min(line_end)..line_end].trim_end();
            (i..i + rest.len(), line_end)
        }
        _ => {
            // Unquoted: to the first blank, or a `#` (dotenv starts a comment there). A
            // credential holds neither, and in a shell line (`TWILIO_AUTH_TOKEN=… npm run
            // deploy`) the command follows it.
            let rest = &source[i.min(line_end)..line_end];
            let len = rest.find([' ', '\t', '\r', '#']).unwrap_or(rest.len());
            (i..i + len, i + len)
        }
    };
    let value = source[value_range.clone()].to_string();
    Some((
        Entry {
            name,
            name_range: name_start..name_end,
            value,
            value_range,
        },
        end,
    ))
}

/// Values that stand for a credential without being one: empty, `your_token_here`,
/// `<auth token>`, `${TOKEN}`, `xxxx…`, `changeme`. Such a line is clean, whatever its name.
pub fn is_placeholder_value(value: &str) -> bool {
    let value = value.trim();
    if value.is_empty() {
        return true;
    }
    let lower = value.to_ascii_lowercase();
    const WORDS: &[&str] = &[
        "your",
        "example",
        "xxx",
        "placeholder",
        "changeme",
        "change_me",
        "change-me",
        "replace",
        "insert",
        "enter_",
        "enter-",
        "todo",
        "fixme",
        "dummy",
        "redacted",
        "...",
        "…",
    ];
    WORDS.iter().any(|w| lower.contains(w))
        || value.starts_with('<')
        || value.starts_with('$')
        || value.starts_with('%')
        || value.contains("{{")
        || crate::rules::shapes::is_placeholder(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(source: &str) -> Vec<(String, String)> {
        entries_as(source, false)
    }

    /// `entries` of a file read as `.properties` (`true`) or another settings file.
    fn entries_as(source: &str, properties: bool) -> Vec<(String, String)> {
        items(source, properties)
            .into_iter()
            .filter_map(|item| match item {
                Item::Entry(e) => {
                    assert_eq!(source[e.value_range.clone()], e.value);
                    assert!(source[e.name_range.clone()].len() <= e.name.len());
                    Some((e.name, e.value))
                }
                Item::Line(_) => None,
            })
            .collect()
    }

    #[test]
    fn reads_the_forms_of_a_dotenv_file() {
        let source = "# comment\nexport A=1\nB = \"two words\" # why\nC='3'\nD=4 # four\n\nE=\"multi\nline\"\nF:6\nG=8#eight\n[twilio]\ntoken = \"7\"\n";
        assert_eq!(
            entries(source),
            [
                ("A", "1"),
                ("B", "two words"),
                ("C", "3"),
                ("D", "4"),
                ("E", "multi\nline"),
                ("F", "6"),
                ("G", "8"),
                ("twilio.token", "7"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
    }

    #[test]
    fn a_blank_separates_a_key_only_in_properties_files() {
        let source = "twilio.account.sid   AC1\ngreeting hello world \r\nmail.host= smtp\n! note\n";
        assert_eq!(
            entries_as(source, true),
            [
                ("twilio.account.sid", "AC1"),
                ("greeting", "hello world"),
                ("mail.host", "smtp"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        // Elsewhere (a shell line, a PowerShell `curl.exe -u SID:secret`) it stays a line.
        assert_eq!(
            entries_as(source, false),
            [("mail.host", "smtp")].map(|(a, b)| (a.to_string(), b.to_string()))
        );
    }

    #[test]
    fn reads_shell_and_dockerfile_assignments() {
        let source =
            "#!/bin/sh\nexport A=1\nsetx B \"2\"\nFROM node:20\nENV C=3\nARG D=4\nRUN npm ci\n";
        assert_eq!(
            entries(source),
            [("A", "1"), ("C", "3"), ("D", "4")].map(|(a, b)| (a.to_string(), b.to_string()))
        );
    }

    #[test]
    fn reads_assignments_before_a_command() {
        let source = "TWILIO_ACCOUNT_SID=AC1 TWILIO_AUTH_TOKEN=tok2 npm run deploy\nenv API_SECRET=s3 node x.js # run\n";
        assert_eq!(
            entries(source),
            [
                ("TWILIO_ACCOUNT_SID", "AC1"),
                ("TWILIO_AUTH_TOKEN", "tok2"),
                ("API_SECRET", "s3")
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        // The command is still text, searched for shapes.
        let lines: Vec<&str> = items(source, false)
            .into_iter()
            .filter_map(|item| match item {
                Item::Line(range) => Some(&source[range]),
                Item::Entry(_) => None,
            })
            .collect();
        assert_eq!(lines, ["npm run deploy", "node x.js # run"]);
    }

    #[test]
    fn reads_assignments_after_a_shell_prompt() {
        assert_eq!(
            entries("$ export API_SECRET=s1\n$ TWILIO_AUTH_TOKEN=t2 npm start\n"),
            [("API_SECRET", "s1"), ("TWILIO_AUTH_TOKEN", "t2")]
                .map(|(a, b)| (a.to_string(), b.to_string()))
        );
    }

    #[test]
    fn other_lines_are_kept_as_text() {
        let lines: Vec<String> = items("curl -u A:B https://x\nKEY=1\n", false)
            .into_iter()
            .filter_map(|item| match item {
                Item::Line(range) => Some(range),
                Item::Entry(_) => None,
            })
            .map(|r| "curl -u A:B https://x\nKEY=1\n"[r].to_string())
            .collect();
        assert_eq!(lines, ["curl -u A:B https://x"]);
    }

    #[test]
    fn placeholders() {
        for value in [
            "",
            "your_token_here",
            "<auth token>",
            "${TWILIO_AUTH_TOKEN}",
            "xxxxxxxx",
            "changeme",
            "{{ secrets.TOKEN }}",
        ] {
            assert!(is_placeholder_value(value), "{value}");
        }
        assert!(!is_placeholder_value("s3cr3t-value-9"));
    }

    #[test]
    fn never_panics_on_odd_lines() {
        for source in [
            "=", "A=\"", "A='x", "export", "A=\"\\", "[", "]", "A=é\"", "é=1", "A:\r\n",
        ] {
            let _ = items(source, false);
            let _ = parse(source, false);
            let _ = parse(source, true);
        }
    }
}
