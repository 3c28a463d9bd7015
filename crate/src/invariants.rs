//! Properties every `Report` must have, whatever the input: checked by the fuzz targets
//! (`crate/fuzz/`) and the adversarial tests, so both hold the engine to the same promises.
//!
//! - every span lies within the source, on char boundaries, `start <= end`;
//! - line/column agree with an independent count (1-based lines; `\n`, `\r\n`, lone `\r`,
//!   U+2028 and U+2029 end lines; 1-based UTF-16 columns);
//! - excerpts are bounded ([`MAX_EXCERPT_CHARS`]);
//! - every finding and diagnostic names the scanned file;
//! - no output field repeats a credential-shaped run of the source ([`LEAK_LEN`]+ token characters
//!   mixing letters and digits) verbatim: redaction holds for findings, parse errors, limits and
//!   internal errors alike.

use crate::Report;

/// Longest excerpt in characters: a 60-character window before the finding, up to 180 after,
/// ellipses and redaction markers.
pub const MAX_EXCERPT_CHARS: usize = 250;
/// A run of this many token characters copied from the source into output counts as a leak.
pub const LEAK_LEN: usize = 32;

/// Token characters, as `redact::mask_token_like` sees them.
fn is_token(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '=')
}

/// Check `report` against `source`; the first violated property, described without source text.
/// Panics when the engine failed on the file (an `internal-error` diagnostic): a test helper.
pub fn assert_no_internal_error(report: &Report) {
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| d.code != "internal-error"),
        "{:?}",
        report.diagnostics
    );
}

/// The credential findings of a stored test input (`file:line rule`): a repository that passes
/// its own scanner stores templates with holes, so there must be none.
pub fn stored_credentials(source: &str, filename: &str) -> Vec<String> {
    let options = crate::Options {
        filename: Some(filename.into()),
        ..Default::default()
    };
    crate::scan(source, &options)
        .findings
        .iter()
        .filter(|f| {
            crate::rules::find(&f.rule_id).map(|r| r.meta().kind)
                == Some(crate::rules::RuleKind::Credential)
        })
        .map(|f| format!("{}:{} {}", f.file, f.line, f.rule_id))
        .collect()
}

pub fn check(source: &str, file: &str, report: &Report) -> Result<(), String> {
    let mut positions = Vec::new();
    for (i, f) in report.findings.iter().enumerate() {
        let (start, end) = (f.span.start as usize, f.span.end as usize);
        if start > end || end > source.len() {
            return Err(format!(
                "finding {i} ({}) span {start}..{end} outside a {}-byte source",
                f.rule_id,
                source.len()
            ));
        }
        if !source.is_char_boundary(start) || !source.is_char_boundary(end) {
            return Err(format!(
                "finding {i} ({}) span {start}..{end} not on char boundaries",
                f.rule_id
            ));
        }
        if f.file != file {
            return Err(format!("finding {i} ({}) names another file", f.rule_id));
        }
        let excerpt_chars = f.excerpt.chars().count();
        if excerpt_chars > MAX_EXCERPT_CHARS {
            return Err(format!(
                "finding {i} ({}) excerpt has {excerpt_chars} characters",
                f.rule_id
            ));
        }
        positions.push((start, (f.line, f.column), i, "start"));
        positions.push((end, (f.end_line, f.end_column), i, "end"));
    }
    for (i, d) in report.diagnostics.iter().enumerate() {
        if d.file != file {
            return Err(format!("diagnostic {i} ({}) names another file", d.code));
        }
        if d.line == 0 || d.column == 0 {
            return Err(format!(
                "diagnostic {i} ({}) has a 0 line or column",
                d.code
            ));
        }
    }
    check_positions(source, positions)?;
    check_no_leak(source, report)
}

/// Compare reported positions with a single independent sweep over the source.
fn check_positions(
    source: &str,
    mut positions: Vec<(usize, (u32, u32), usize, &str)>,
) -> Result<(), String> {
    positions.sort_by_key(|p| p.0);
    let mut wanted = positions.iter().peekable();
    let (mut line, mut column) = (1u32, 1u32);
    let mut chars = source.char_indices().peekable();
    loop {
        let offset = chars.peek().map_or(source.len(), |&(at, _)| at);
        while let Some(&&(at, reported, i, which)) = wanted.peek() {
            if at > offset {
                break;
            }
            if reported != (line, column) {
                return Err(format!(
                    "finding {i} {which} at byte {at}: reported {reported:?}, counted {:?}",
                    (line, column)
                ));
            }
            wanted.next();
        }
        let Some((_, c)) = chars.next() else {
            return Ok(());
        };
        let ends_line = match c {
            '\n' | '\u{2028}' | '\u{2029}' => true,
            '\r' => chars.peek().map(|&(_, next)| next) != Some('\n'),
            _ => false,
        };
        if ends_line {
            line += 1;
            column = 1;
        } else {
            column += c.len_utf16() as u32;
        }
    }
}

/// Runs of [`LEAK_LEN`]+ token characters with at least two digits and one letter.
fn credential_shaped_runs(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !is_token(c)).filter(|run| {
        run.len() >= LEAK_LEN
            && run.bytes().filter(u8::is_ascii_digit).count() >= 2
            && run.bytes().any(|b| b.is_ascii_alphabetic())
    })
}

/// No output field contains a [`LEAK_LEN`]-character window of a credential-shaped run that is
/// also in the source. (Output runs are what can leak, and they are short, so we search from them.)
fn check_no_leak(source: &str, report: &Report) -> Result<(), String> {
    let fields = report
        .findings
        .iter()
        .flat_map(|f| {
            [
                ("message", f.message.as_str()),
                ("help", f.help.as_str()),
                ("excerpt", f.excerpt.as_str()),
                ("file", f.file.as_str()),
            ]
        })
        .chain(
            report
                .diagnostics
                .iter()
                .map(|d| ("diagnostic message", d.message.as_str())),
        );
    for (name, text) in fields {
        for run in credential_shaped_runs(text) {
            // Runs are ASCII, so byte windows are char windows.
            for from in 0..=run.len() - LEAK_LEN {
                let window = &run[from..from + LEAK_LEN];
                if window.bytes().filter(u8::is_ascii_digit).count() >= 2 && source.contains(window)
                {
                    return Err(format!(
                        "{name} repeats a {LEAK_LEN}-character credential-shaped run of the source"
                    ));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{scan, Options};

    fn opts(file: &str) -> Options {
        Options {
            filename: Some(file.into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_real_report_passes() {
        let sid = crate::testgen::fill("AC{hex32}", 5);
        let source = format!("a\r\nb\rc\u{2028}é😀 const s = '{sid}'; // {sid}\n");
        let report = scan(&source, &opts("a.js"));
        assert_eq!(report.findings.len(), 2);
        check(&source, "a.js", &report).unwrap();
    }

    #[test]
    fn catches_a_wrong_column_and_a_leak() {
        let sid = crate::testgen::fill("AC{hex32}", 6);
        let source = format!("const s = '{sid}';");
        let mut report = scan(&source, &opts("a.js"));
        report.findings[0].column += 1;
        assert!(check(&source, "a.js", &report)
            .unwrap_err()
            .contains("counted"));
        let mut report = scan(&source, &opts("a.js"));
        report.findings[0].message.push_str(&sid);
        assert!(check(&source, "a.js", &report)
            .unwrap_err()
            .contains("message repeats"));
        let mut report = scan(&source, &opts("a.js"));
        report.findings[0].span.end = source.len() as u32 + 1;
        assert!(check(&source, "a.js", &report)
            .unwrap_err()
            .contains("outside"));
    }
}
