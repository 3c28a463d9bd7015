//! swc parsing, and byte offset → line/column.

use std::borrow::Cow;

use swc_common::comments::{Comments, SingleThreadedComments};
use swc_common::{BytePos, Spanned};
use swc_ecma_ast::{EsVersion, Program};
use swc_ecma_parser::{lexer::Lexer, EsSyntax, Parser, StringInput, Syntax, TsSyntax};

use crate::finding::Span;

/// A parsed file: the program, its comments, and the offset that turns swc positions into
/// offsets of our source (swc positions start at 1, not 0).
pub struct Parsed {
    pub program: Program,
    pub comments: SingleThreadedComments,
    pub base: u32,
}

/// Why a file could not be parsed, at a byte offset of the source.
pub struct ParseError {
    pub message: String,
    pub offset: usize,
}

/// The syntax a file name implies. Unknown or missing extensions parse as JS with JSX.
pub fn syntax_for(filename: &str) -> Syntax {
    let lower = filename.to_ascii_lowercase();
    if lower.ends_with(".ts") || lower.ends_with(".mts") || lower.ends_with(".cts") {
        Syntax::Typescript(TsSyntax {
            decorators: true,
            ..Default::default()
        })
    } else if lower.ends_with(".tsx") {
        Syntax::Typescript(TsSyntax {
            tsx: true,
            decorators: true,
            ..Default::default()
        })
    } else {
        Syntax::Es(EsSyntax {
            jsx: true,
            decorators: true,
            decorators_before_export: true,
            export_default_from: true,
            import_attributes: true,
            allow_return_outside_function: true,
            allow_super_outside_method: true,
            explicit_resource_management: true,
            ..Default::default()
        })
    }
}

/// The text swc is given: a byte-order mark becomes three spaces, since swc drops it and every
/// position after it would be three bytes off.
pub fn source_text(source: &str) -> String {
    match source.strip_prefix('\u{feff}') {
        Some(rest) => format!("   {rest}"),
        None => source.to_string(),
    }
}

/// Parse as a module first, then as a script (sloppy-mode code such as `with` or octal escapes).
pub fn parse(source: &str, filename: &str) -> Result<Parsed, ParseError> {
    parse_as(source, syntax_for(filename))
}

/// [`parse`] with JSX switched off: the JSX parser of swc_ecma_parser 47 can panic (see
/// `engine::jsx_namespaced_member`), the rest of it does not.
pub fn parse_without_jsx(source: &str, filename: &str) -> Result<Parsed, ParseError> {
    let syntax = match syntax_for(filename) {
        Syntax::Typescript(ts) => Syntax::Typescript(TsSyntax { tsx: false, ..ts }),
        Syntax::Es(es) => Syntax::Es(EsSyntax { jsx: false, ..es }),
    };
    parse_as(source, syntax)
}

/// Where swc's positions start (0 is its dummy position).
const START: BytePos = BytePos(1);

/// Parse `source` as it is, without a copy: swc's `parse_file_as_*` want a `SourceFile`, which
/// owns a second copy of the text (10 MB more at the peak for a 10 MB bundle). The lexer reads
/// the borrowed text through the same `StringInput` those functions build.
fn parse_as(source: &str, syntax: Syntax) -> Result<Parsed, ParseError> {
    let text: Cow<str> = match source.strip_prefix('\u{feff}') {
        Some(_) => Cow::Owned(source_text(source)),
        None => Cow::Borrowed(source),
    };
    let base = START.0;
    let to_error = |e: swc_ecma_parser::error::Error| ParseError {
        // swc quotes the offending token, which can be a credential: mask token-like runs.
        message: crate::redact::mask_token_like(&e.kind().msg()),
        offset: e.span().lo.0.saturating_sub(base) as usize,
    };
    let comments = SingleThreadedComments::default();
    let mut p = parser(&text, syntax, &comments);
    let module = p.parse_module();
    let mut recovered = p.take_errors();
    drop(p);
    let module_err = match module {
        Ok(module) if recovered.is_empty() => {
            return Ok(Parsed {
                program: Program::Module(module),
                comments,
                base,
            })
        }
        Ok(_) => to_error(recovered.remove(0)),
        Err(e) => to_error(e),
    };

    let comments = SingleThreadedComments::default();
    let mut p = parser(&text, syntax, &comments);
    let script = p.parse_script();
    let recovered = p.take_errors();
    drop(p);
    match script {
        Ok(script) if recovered.is_empty() => Ok(Parsed {
            program: Program::Script(script),
            comments,
            base,
        }),
        // The module error is the useful one: modern plugin code is written as modules.
        _ => Err(module_err),
    }
}

/// swc's parser over the borrowed text, positions from [`START`].
fn parser<'a>(
    text: &'a str,
    syntax: Syntax,
    comments: &'a SingleThreadedComments,
) -> Parser<Lexer<'a>> {
    let end = START + BytePos(text.len() as u32);
    let input = StringInput::new(text, START, end);
    let comments: &dyn Comments = comments;
    Parser::new_from(Lexer::new(
        syntax,
        EsVersion::latest(),
        input,
        Some(comments),
    ))
}

impl Parsed {
    /// Convert an swc span to ours.
    pub fn span(&self, span: swc_common::Span) -> Span {
        Span {
            start: span.lo.0.saturating_sub(self.base),
            end: span.hi.0.saturating_sub(self.base),
        }
    }
}

/// Byte offset → 1-based line and 1-based UTF-16 column.
pub struct LineIndex<'a> {
    source: &'a str,
    line_starts: Vec<usize>,
    /// For each non-ASCII character: the offset after it and how many more UTF-8 bytes than
    /// UTF-16 units the source has up to there. Columns are then a subtraction and two binary
    /// searches, not a count over a minified bundle's megabyte-long line.
    utf16_excess: Vec<(usize, usize)>,
}

impl<'a> LineIndex<'a> {
    /// Lines end at `\n`, `\r\n`, lone `\r`, U+2028 and U+2029, as in ECMAScript.
    pub fn new(source: &'a str) -> Self {
        let mut line_starts = vec![0];
        let bytes = source.as_bytes();
        // Only `\n`, `\r` and the lead byte of U+2028/U+2029 can end a line: jump between them.
        for i in memchr::memchr3_iter(b'\n', b'\r', 0xE2, bytes) {
            match bytes[i] {
                b'\n' => line_starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => line_starts.push(i + 1),
                0xE2 if bytes.get(i + 1) == Some(&0x80)
                    && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9)) =>
                {
                    line_starts.push(i + 3)
                }
                _ => {}
            }
        }
        let mut utf16_excess = Vec::new();
        let mut excess = 0;
        let mut at = 0;
        while at < bytes.len() {
            // Whole ASCII chunks are skipped with one (vectorised) check.
            let chunk = &bytes[at..(at + 64).min(bytes.len())];
            let found = match chunk.is_ascii() {
                true => None,
                false => chunk.iter().position(|b| !b.is_ascii()),
            };
            let Some(found) = found else {
                at += chunk.len();
                continue;
            };
            let start = at + found;
            let c = source[start..].chars().next().unwrap_or(' ');
            at = start + c.len_utf8();
            excess += c.len_utf8() - c.len_utf16();
            utf16_excess.push((at, excess));
        }
        LineIndex {
            source,
            line_starts,
            utf16_excess,
        }
    }

    /// UTF-8 bytes minus UTF-16 units of the source before `offset` (a char boundary).
    fn excess_before(&self, offset: usize) -> usize {
        let i = self.utf16_excess.partition_point(|&(end, _)| end <= offset);
        i.checked_sub(1).map_or(0, |i| self.utf16_excess[i].1)
    }

    /// The 1-based line and UTF-16 column of a byte offset (clamped to the source).
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let offset = self.floor_char_boundary(offset.min(self.source.len()));
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let column = offset - start - (self.excess_before(offset) - self.excess_before(start));
        (line as u32 + 1, column as u32 + 1)
    }

    /// The byte offset of a 1-based line and UTF-16 column (the inverse of `position`, clamped
    /// to the line).
    pub fn offset(&self, line: u32, column: u32) -> usize {
        let Some(&start) = self.line_starts.get((line as usize).saturating_sub(1)) else {
            return self.source.len();
        };
        let end = self.line_range(start).end;
        let mut units = column.saturating_sub(1) as usize;
        let mut at = start;
        for c in self.source[start..end].chars() {
            if units == 0 {
                break;
            }
            units = units.saturating_sub(c.len_utf16());
            at += c.len_utf8();
        }
        at
    }

    /// The byte range of the line holding `offset`, without its terminator.
    pub fn line_range(&self, offset: usize) -> std::ops::Range<usize> {
        let offset = offset.min(self.source.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let mut end = self
            .line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.source.len());
        while end > start && matches!(self.source.as_bytes()[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        if self.source[start..end].ends_with(['\u{2028}', '\u{2029}']) {
            end -= 3;
        }
        start..end
    }

    pub fn floor_char_boundary(&self, mut offset: usize) -> usize {
        while !self.source.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units_after_multibyte_characters() {
        // "é" is 2 bytes / 1 UTF-16 unit; "😀" is 4 bytes / 2 UTF-16 units.
        let src = "a\nxé😀y";
        let index = LineIndex::new(src);
        let y = src.find('y').unwrap();
        assert_eq!(index.position(y), (2, 5));
        assert_eq!(index.position(0), (1, 1));
    }

    #[test]
    fn columns_match_a_character_count_everywhere() {
        let src = "é😀a\nbc\u{2028}dé\r\n😀😀x\rzz€y\n\nq";
        let index = LineIndex::new(src);
        for (offset, _) in src.char_indices() {
            let (line, column) = index.position(offset);
            let start = index.line_range(offset).start;
            let expected: usize = src[start..offset].chars().map(char::len_utf16).sum();
            assert_eq!(column as usize, expected + 1, "offset {offset}");
            assert!(line >= 1);
            if !src[offset..].starts_with(['\r', '\n', '\u{2028}']) {
                assert_eq!(index.offset(line, column), offset, "offset {offset}");
            }
        }
    }

    #[test]
    fn lone_cr_and_line_separator_end_lines() {
        let src = "a\rb\u{2028}c\r\nd";
        let index = LineIndex::new(src);
        assert_eq!(index.position(src.find('b').unwrap()), (2, 1));
        assert_eq!(index.position(src.find('c').unwrap()), (3, 1));
        assert_eq!(index.position(src.find('d').unwrap()), (4, 1));
        assert_eq!(&src[index.line_range(src.find('b').unwrap())], "b");
    }

    #[test]
    fn module_then_script_fallback() {
        assert!(matches!(
            parse("with (a) { b }", "x.js").map(|p| p.program),
            Ok(Program::Script(_))
        ));
        assert!(matches!(
            parse("import a from 'b'", "x.js").map(|p| p.program),
            Ok(Program::Module(_))
        ));
        let err = parse("let x = ;", "x.js").err().expect("syntax error");
        assert_eq!(err.offset, 8);
    }

    #[test]
    fn plain_text_files_are_scanned_by_shape_without_parse_errors() {
        let source =
            crate::testgen::fill("{\n  \"twilio\": { \"accountSid\": \"AC{hex32}\" }\n}\n", 7);
        for name in ["config.json", ".env", "values.yaml", "index.html"] {
            let report = crate::scan(
                &source,
                &crate::Options {
                    filename: Some(name.into()),
                    ..Default::default()
                },
            );
            assert!(
                report.diagnostics.is_empty(),
                "{name}: {:?}",
                report.diagnostics
            );
            assert_eq!(report.findings.len(), 1, "{name}");
            assert_eq!(report.findings[0].line, 2);
        }
        // The same text as JavaScript is a syntax error, reported as such.
        let report = crate::scan(&format!("{source}: x"), &Default::default());
        assert_eq!(report.diagnostics[0].code, "parse-error");
    }

    #[test]
    fn typescript_by_file_name() {
        assert!(parse("let x: number = 1; enum E { A }", "a.ts").is_ok());
        assert!(parse("const C = () => <div>{x as any}</div>;", "a.tsx").is_ok());
        assert!(parse("let x: number = 1;", "a.js").is_err());
    }
}
