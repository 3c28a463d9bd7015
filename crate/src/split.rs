//! A large webpack bundle linted module by module, so that the engine never holds the whole
//! bundle's syntax tree (about 95 % of its memory on a 10 MB bundle), and so that hosts can lint
//! a bundle's modules on several threads.
//!
//! [`plan`] finds the module functions without parsing the bundle: a scan of its bytes (strings,
//! comments, templates and regular expressions skipped, brackets matched) proposes the function
//! bodies at the level of the module table, and the *skeleton* (the bundle with the inside of
//! those bodies cut out, line ends kept) is parsed to confirm that each one is the body of a
//! module of a table ([`crate::bundle::modules`]). Anything else leaves the plan empty, and the
//! bundle takes the whole-file path.
//!
//! [`lint`] then lints the skeleton (the runtime and whatever is not a planned module) and each
//! module on its own, each a text of its own parsed once, and merges their reports in file
//! positions, excerpts computed over the whole bundle. Webpack modules reach each other only
//! through the runtime's parameters, so a module's constants are its own; the difference from
//! the whole-file path is that a name bound in two modules folds in each (the whole-file path
//! cannot tell the two apart and folds neither).

use serde::{Deserialize, Serialize};

use crate::bundle::{Module, ModuleMap};
use crate::engine::{excerpt, run_part_keeping_secrets, Secrets};
use crate::finding::{sort_and_dedup_diagnostics, sort_and_dedup_findings, Report, Span};
use crate::kinds::{Kind, Part};
use crate::parse::LineIndex;
use crate::Options;

/// Bundles smaller than this take the whole-file path: their syntax tree is small, and a plan
/// costs a scan and a second parse of the skeleton.
pub const MIN_BYTES: usize = 1 << 20;

/// The modules of a bundle that are linted on their own.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(from_wasm_abi))]
pub struct Plan {
    /// Every module of the bundle's tables, planned or not (findings are placed in them).
    pub modules: Vec<Module>,
    /// The planned modules: each function's span, and its body's, braces included.
    pub parts: Vec<PlannedModule>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct PlannedModule {
    pub function: Span,
    pub body: Span,
}

/// The plan of a bundle's split, if it is a webpack bundle with at least two modules whose
/// bodies the scan found and the skeleton's parse confirmed.
pub fn plan(source: &str) -> Option<Plan> {
    let candidates = table_level_bodies(&scan_bodies(source.as_bytes())?);
    let confirmed = |bodies: &[Span]| -> Option<(Vec<Module>, Vec<PlannedModule>)> {
        let skeleton = Skeleton::new(source, bodies.iter().copied());
        // Too deep to parse: the whole-file path reports the limit and scans the text.
        if crate::engine::nesting_estimate(&skeleton.text) > crate::engine::MAX_NESTING {
            return None;
        }
        let parsed = crate::parse::parse(&skeleton.text, "bundle.js").ok()?;
        let found = crate::bundle::modules(&parsed.program, parsed.base, &skeleton.text);
        let modules: Vec<Module> = found
            .modules()
            .iter()
            .map(|m| Module {
                id: m.id.clone(),
                span: skeleton.original(m.span),
            })
            .collect();
        let by_end: std::collections::HashMap<u32, &Module> =
            modules.iter().map(|m| (m.span.end, m)).collect();
        // A module function ends where its body does: `function(e,t,n){…}`, `(e,t,n)=>{…}`.
        let parts = bodies
            .iter()
            .filter_map(|&body| {
                let module = by_end.get(&body.end)?;
                (module.span.start < body.start).then_some(PlannedModule {
                    function: module.span,
                    body,
                })
            })
            .collect();
        Some((modules, parts))
    };
    let (mut modules, mut parts) = confirmed(&candidates)?;
    // The runtime's own functions were candidates too, and an inlined entry module is found by
    // a banner inside its body: with those restored, the tables are read again.
    if parts.len() < candidates.len() && parts.len() >= 2 {
        let bodies: Vec<Span> = parts.iter().map(|p| p.body).collect();
        (modules, parts) = confirmed(&bodies)?;
    }
    if parts.len() < 2 {
        return None;
    }
    Some(Plan { modules, parts })
}

/// The bundle with the inside of each body cut out, line ends kept (so lines keep their
/// numbers): the runtime around the modules, a small text whose offsets map back to the
/// bundle's.
struct Skeleton {
    text: String,
    /// Where in `text` each cut was made, and how many bytes were cut there and before.
    cuts: Vec<(usize, usize)>,
}

impl Skeleton {
    /// `bodies` in order, disjoint, each with its braces.
    fn new(source: &str, bodies: impl Iterator<Item = Span>) -> Self {
        let mut text = String::with_capacity(source.len() / 8);
        let mut cuts = Vec::new();
        let (mut from, mut cut) = (0, 0);
        for body in bodies {
            let inside = (body.start as usize + 1)..(body.end as usize).saturating_sub(1);
            text.push_str(&source[from..inside.start]);
            let before = text.len();
            let bytes = &source.as_bytes()[inside.clone()];
            for at in memchr::memchr3_iter(b'\n', b'\r', 0xE2, bytes) {
                match bytes[at] {
                    0xE2 => {
                        // U+2028 and U+2029 end lines too.
                        if let Some(separator @ ("\u{2028}" | "\u{2029}")) =
                            source.get(inside.start + at..inside.start + at + 3)
                        {
                            text.push_str(separator);
                        }
                    }
                    byte => text.push(byte as char),
                }
            }
            cut += inside.len() - (text.len() - before);
            cuts.push((text.len(), cut));
            from = inside.end;
        }
        text.push_str(&source[from..]);
        Skeleton { text, cuts }
    }

    /// The bundle offset of an offset in the skeleton.
    fn original_offset(&self, at: usize) -> usize {
        let i = self.cuts.partition_point(|&(position, _)| position <= at);
        at + i.checked_sub(1).map_or(0, |i| self.cuts[i].1)
    }

    fn original(&self, span: Span) -> Span {
        Span::new(
            self.original_offset(span.start as usize),
            self.original_offset(span.end as usize),
        )
    }
}

/// A function body found by the scan: its braces' span, and the body it is nested in.
#[derive(Clone, Copy, Debug)]
struct Body {
    span: Span,
    parent: Option<usize>,
}

/// The bodies a bundle's module table holds: from the top level, down through any body that
/// holds most of its parent's bytes (the runtime's IIFE, a UMD wrapper), the children of the
/// first level where none does.
fn table_level_bodies(bodies: &[Body]) -> Vec<Span> {
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); bodies.len() + 1];
    let root = bodies.len();
    for (i, body) in bodies.iter().enumerate() {
        children[body.parent.unwrap_or(root)].push(i);
    }
    let size = |i: usize| (bodies[i].span.end - bodies[i].span.start) as u64;
    let mut level = root;
    for _ in 0..=crate::bundle::MAX_FUNCTION_DEPTH {
        let total: u64 = children[level].iter().map(|&c| size(c)).sum();
        let dominant = children[level]
            .iter()
            .copied()
            .find(|&c| size(c) * 2 > total && children[c].len() > 1);
        match dominant {
            Some(child) => level = child,
            None => break,
        }
    }
    let mut spans: Vec<Span> = children[level].iter().map(|&c| bodies[c].span).collect();
    spans.sort_by_key(|s| s.start);
    spans
}

/// What the previous significant token was, for telling a regular expression from a division.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Previous {
    /// Start, an operator or punctuator: a `/` starts a regular expression.
    Operator,
    /// An identifier, number, string, `)` or `]`: a `/` divides.
    Value,
    /// `)`: a `{` opens a function body (or a block of `if (…)`; the skeleton's parse tells).
    CloseParen,
    /// `=>`: a `{` opens an arrow function's body.
    Arrow,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    Paren,
    Bracket,
    Brace {
        body: bool,
    },
    /// `${` of a template literal: its `}` returns to the template.
    Substitution,
}

/// Keywords after which a `/` starts a regular expression.
fn is_operator_keyword(word: &[u8]) -> bool {
    matches!(
        word,
        b"return"
            | b"typeof"
            | b"instanceof"
            | b"in"
            | b"of"
            | b"new"
            | b"delete"
            | b"void"
            | b"throw"
            | b"case"
            | b"do"
            | b"else"
            | b"yield"
            | b"await"
    )
}

/// Every `{…}` that follows `)` or `=>`, with its nesting, or `None` where the brackets do not
/// balance (the scan misread something; the bundle then takes the whole-file path).
fn scan_bodies(bytes: &[u8]) -> Option<Vec<Body>> {
    let mut bodies = Vec::new();
    let mut stack: Vec<(Open, usize)> = Vec::new();
    let mut open_bodies: Vec<usize> = Vec::new();
    let mut previous = Previous::Operator;
    let mut i = 0;
    let n = bytes.len();
    while i < n {
        let byte = bytes[i];
        match byte {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'"' | b'\'' => {
                i = skip_string(bytes, i)?;
                previous = Previous::Value;
            }
            b'`' => {
                i = skip_template(bytes, i + 1, &mut stack)?;
                previous = Previous::Value;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = memchr_from(bytes, i, b'\n').unwrap_or(n);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = find_from(bytes, i + 2, b"*/")? + 2;
            }
            b'/' if matches!(previous, Previous::Operator | Previous::Arrow) => {
                i = skip_regex(bytes, i)?;
                previous = Previous::Value;
            }
            b'(' | b'[' => {
                stack.push((
                    if byte == b'(' {
                        Open::Paren
                    } else {
                        Open::Bracket
                    },
                    i,
                ));
                previous = Previous::Operator;
                i += 1;
            }
            b')' | b']' => {
                let expected = if byte == b')' {
                    Open::Paren
                } else {
                    Open::Bracket
                };
                if stack.pop()?.0 != expected {
                    return None;
                }
                previous = if byte == b')' {
                    Previous::CloseParen
                } else {
                    Previous::Value
                };
                i += 1;
            }
            b'{' => {
                let body = matches!(previous, Previous::CloseParen | Previous::Arrow);
                if body {
                    bodies.push(Body {
                        span: Span::new(i, i),
                        parent: open_bodies.last().copied(),
                    });
                    open_bodies.push(bodies.len() - 1);
                }
                stack.push((Open::Brace { body }, i));
                previous = Previous::Operator;
                i += 1;
            }
            b'}' => {
                match stack.pop()?.0 {
                    Open::Brace { body } => {
                        if body {
                            let index = open_bodies.pop()?;
                            bodies[index].span.end = (i + 1) as u32;
                        }
                        // After a block a `/` starts a regular expression; after an object
                        // literal it would divide, which minified code does not do.
                        previous = Previous::Operator;
                        i += 1;
                    }
                    Open::Substitution => {
                        i = skip_template(bytes, i + 1, &mut stack)?;
                        previous = Previous::Value;
                    }
                    _ => return None,
                }
            }
            b'=' if bytes.get(i + 1) == Some(&b'>') => {
                previous = Previous::Arrow;
                i += 2;
            }
            b'.' if bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                i = skip_word(bytes, i + 1);
                previous = Previous::Value;
            }
            _ if is_word_byte(byte) => {
                let end = skip_word(bytes, i);
                let word = &bytes[i..end];
                let keyword = is_operator_keyword(word)
                    // `x.delete / 2`: a property name is never a keyword.
                    && bytes[..i].iter().rev().find(|b| !b.is_ascii_whitespace()) != Some(&b'.');
                previous = match keyword {
                    true => Previous::Operator,
                    false => Previous::Value,
                };
                i = end;
            }
            _ => {
                // `++`/`--` after a value leave a value (`i++ / 2`); other punctuators do not.
                let postfix = matches!(byte, b'+' | b'-')
                    && bytes.get(i + 1) == Some(&byte)
                    && matches!(previous, Previous::Value | Previous::CloseParen);
                if postfix {
                    i += 2;
                    previous = Previous::Value;
                } else {
                    i += 1;
                    previous = Previous::Operator;
                }
            }
        }
    }
    match stack.is_empty() {
        true => Some(bodies),
        false => None,
    }
}

/// Identifier and number characters (any non-ASCII byte counts: identifiers may be Unicode).
fn is_word_byte(byte: u8) -> bool {
    WORD_BYTES[byte as usize]
}

const WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] =
            b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b == b'\\' || b >= 0x80;
        byte += 1;
    }
    table
};

fn skip_word(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && (is_word_byte(bytes[i]) || bytes[i] == b'.' && is_number_dot(bytes, i))
    {
        i += 1;
    }
    i
}

/// A `.` inside a number (`1.5`), not a member access (`a.b`).
fn is_number_dot(bytes: &[u8], i: usize) -> bool {
    let mut start = i;
    while start > 0 && is_word_byte(bytes[start - 1]) {
        start -= 1;
    }
    bytes.get(start).is_some_and(u8::is_ascii_digit)
}

/// Past the closing quote of the string literal opening at `i`.
fn skip_string(bytes: &[u8], i: usize) -> Option<usize> {
    let quote = bytes[i];
    let mut j = i + 1;
    loop {
        j += memchr::memchr3(quote, b'\\', b'\n', bytes.get(j..)?)?;
        match bytes[j] {
            b'\\' => j += 2,
            b'\n' => return None,
            _ => return Some(j + 1),
        }
    }
}

/// Past the end of a template literal's text starting at `i`: its closing backtick, or its
/// next `${` (pushed on the stack; its `}` resumes the template).
fn skip_template(bytes: &[u8], i: usize, stack: &mut Vec<(Open, usize)>) -> Option<usize> {
    let mut j = i;
    loop {
        j += memchr::memchr3(b'`', b'\\', b'$', bytes.get(j..)?)?;
        match bytes[j] {
            b'\\' => j += 2,
            b'`' => return Some(j + 1),
            b'$' if bytes.get(j + 1) == Some(&b'{') => {
                stack.push((Open::Substitution, j));
                return Some(j + 2);
            }
            _ => j += 1,
        }
    }
}

/// Past the flags of the regular expression literal opening at `i`.
fn skip_regex(bytes: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    let mut in_class = false;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' => j += 2,
            b'[' => {
                in_class = true;
                j += 1;
            }
            b']' => {
                in_class = false;
                j += 1;
            }
            b'/' if !in_class => return Some(skip_word(bytes, j + 1)),
            b'\n' => return None,
            _ => j += 1,
        }
    }
    None
}

fn memchr_from(bytes: &[u8], from: usize, needle: u8) -> Option<usize> {
    memchr::memchr(needle, &bytes[from..]).map(|at| from + at)
}

fn find_from(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(bytes.get(from..)?, needle).map(|at| from + at)
}

/// Whether `plan` is worth trying on a file: a JavaScript file of at least [`MIN_BYTES`] that is
/// read as code.
pub fn eligible(source: &str, options: &Options) -> bool {
    let file = options.filename.as_deref().unwrap_or("<input>");
    let extension = file.rsplit_once('.').map_or("", |(_, e)| e);
    source.len() >= MIN_BYTES
        && !options.text_only
        && matches!(extension, "js" | "mjs" | "cjs")
        && Kind::of(file, source) == Kind::Script
}

/// The whole file by its plan, on one thread: the skeleton, then every planned module.
pub fn lint_all(source: &str, options: &Options, plan: &Plan) -> Option<Report> {
    let every: Vec<usize> = (0..plan.parts.len()).collect();
    lint(source, options, plan, &every, true)
}

/// Lint the planned modules `which` (indices into `plan.parts`) of `source`, and the skeleton
/// when `with_skeleton`, as one report in the bundle's positions. `None` when a module does not
/// parse on its own: the caller lints the whole file instead.
pub fn lint(
    source: &str,
    options: &Options,
    plan: &Plan,
    which: &[usize],
    with_skeleton: bool,
) -> Option<Report> {
    let index = LineIndex::new(source);
    // The dialect of a `.js` file: modules are parsed as the whole file would be.
    let part = || Part {
        kind: Kind::Script,
        syntax_of: Some("bundle.js"),
        credentials_only: false,
        quiet: false,
    };
    let mut parts = Vec::with_capacity(which.len() + 1);
    if with_skeleton {
        let skeleton = Skeleton::new(source, plan.parts.iter().map(|p| p.body));
        let (mut report, mut secrets) = run_part_keeping_secrets(&skeleton.text, options, &part());
        let skeleton_index = LineIndex::new(&skeleton.text);
        relocate(
            &mut report,
            &mut secrets,
            |at| skeleton.original_offset(at),
            |line, column| {
                let at = skeleton_index.offset(*line, *column);
                (*line, *column) = index.position(skeleton.original_offset(at));
            },
        );
        parts.push((report, secrets));
    }
    for &i in which {
        let function = plan.parts.get(i)?.function;
        let (start, end) = (function.start as usize, function.end as usize);
        // A module is a function expression: parenthesised, it is a statement of its own, and
        // the opening parenthesis stands where the byte before the function does.
        let mut text = String::with_capacity(end - start + 2);
        text.push('(');
        text.push_str(source.get(start..end)?);
        text.push(')');
        let (mut report, mut secrets) = run_part_keeping_secrets(&text, options, &part());
        if report.diagnostics.iter().any(|d| d.code == "parse-error") {
            return None;
        }
        let offset = start.checked_sub(1)?;
        let (line, column) = index.position(offset);
        relocate(
            &mut report,
            &mut secrets,
            |at| at + offset,
            |at_line, at_column| {
                if *at_line == 1 {
                    *at_column += column - 1;
                }
                *at_line += line - 1;
            },
        );
        parts.push((report, secrets));
    }
    Some(merge(source, &index, options, plan, parts, with_skeleton))
}

/// Move a part's report and secrets into the bundle: offsets by `offset_of`, lines and columns
/// (of what has no offset: diagnostics, calls) by `place`.
fn relocate(
    report: &mut Report,
    secrets: &mut Secrets,
    offset_of: impl Fn(usize) -> usize,
    place: impl Fn(&mut u32, &mut u32),
) {
    let moved =
        |span: Span| Span::new(offset_of(span.start as usize), offset_of(span.end as usize));
    for finding in report.findings.iter_mut().chain(report.held.iter_mut()) {
        finding.span = moved(finding.span);
        if let Some(fix) = &mut finding.fix {
            fix.span = moved(fix.span);
        }
    }
    for (span, _) in secrets.iter_mut() {
        *span = moved(*span);
    }
    for diagnostic in &mut report.diagnostics {
        place(&mut diagnostic.line, &mut diagnostic.column);
    }
    for call in &mut report.function_calls {
        place(&mut call.line, &mut call.column);
    }
}

/// The parts' reports, already in the bundle's offsets, as one: positions and excerpts computed
/// again over the bundle (with every part's secrets), placed in the bundle's modules and source
/// map.
fn merge(
    source: &str,
    index: &LineIndex,
    options: &Options,
    plan: &Plan,
    parts: Vec<(Report, Secrets)>,
    with_skeleton: bool,
) -> Report {
    let mut secrets: Secrets = Vec::new();
    let mut placed = Vec::with_capacity(parts.len());
    for (report, part_secrets) in parts {
        secrets.extend(part_secrets);
        placed.push(report);
    }
    secrets.sort_by_key(|(span, _)| (span.start, span.end));
    for report in &mut placed {
        for finding in report.findings.iter_mut().chain(report.held.iter_mut()) {
            (finding.line, finding.column) = index.position(finding.span.start as usize);
            (finding.end_line, finding.end_column) = index.position(finding.span.end as usize);
            finding.excerpt = excerpt(source, index, finding.span, &secrets);
            if let Some(fix) = &mut finding.fix {
                (fix.line, fix.column) = index.position(fix.span.start as usize);
                (fix.end_line, fix.end_column) = index.position(fix.span.end as usize);
            }
        }
    }
    let mut merged = combine(placed);
    // The map is read where there is something to place, and by the skeleton's call, which
    // reports a map that cannot be read (as the whole-file path does, findings or not).
    if with_skeleton || !merged.findings.is_empty() {
        crate::sourcemap::annotate_bundle(source, options, &mut merged);
    }
    crate::bundle::annotate(
        &mut merged.findings,
        &ModuleMap::from_modules(plan.modules.clone()),
    );
    merged
}

/// Reports of parts of one bundle, in the bundle's positions, as one: findings in file order,
/// each once per rule and place (a module's head is in the skeleton too), diagnostics once.
pub fn combine(reports: Vec<Report>) -> Report {
    let mut merged = Report::default();
    let mut summaries = Vec::new();
    for report in reports {
        merged.findings.extend(report.findings);
        merged.held.extend(report.held);
        merged.diagnostics.extend(report.diagnostics);
        merged.function_calls.extend(report.function_calls);
        merged.suppressed.extend(report.suppressed);
        merged.open_handler = merged.open_handler.or(report.open_handler);
        summaries.extend(report.summary);
    }
    sort_and_dedup_findings(&mut merged.findings);
    sort_and_dedup_findings(&mut merged.held);
    sort_and_dedup_diagnostics(&mut merged.diagnostics);
    merged.function_calls.sort_by_key(|c| (c.line, c.column));
    merged.suppressed.sort();
    merged.suppressed.dedup();
    merged.summary = summaries.into_iter().reduce(|mut all, part| {
        all.exports.extend(part.exports);
        all.imports.extend(part.imports);
        all.reexports.extend(part.reexports);
        all.needs_context |= part.needs_context;
        all
    });
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Benign modules, enough of them to take a bundle past [`MIN_BYTES`], with the syntax a
    /// byte scan can misread: braces in strings, templates, regular expressions and comments,
    /// divisions, keywords as property names.
    fn filler(count: usize, module: impl Fn(usize, &str) -> String) -> Vec<String> {
        (0..count)
            .map(|i| {
                let body = format!(
                    r#"var a{i}="{{not a brace",b=/\{{[^}}]*\}}/g,c=`x${{{{k:{i}}}.k}}}}`,d=a{i}.length/2/{i}+1;/* }} */
// {{ in a comment
if(d>1){{c=c.replace(b,"}}")}}var m=new Map;m.delete(d)/2;function g(x){{return x/d}}e.exports={{a:a{i},b,c,g}};"#
                );
                module(i, &body)
            })
            .collect()
    }

    fn options() -> Options {
        Options {
            filename: Some("dist/plugin.js".into()),
            ..Default::default()
        }
    }

    /// The bundle linted whole and split report the same findings, field by field (positions,
    /// excerpts, fingerprints, modules), and the same diagnostics.
    fn assert_split_is_whole(bundle: &str, modules: usize) {
        let plan = plan(bundle).expect("a plan");
        assert_eq!(plan.parts.len(), modules);
        let whole = crate::engine::run(bundle, &options());
        let split = lint_all(bundle, &options(), &plan).expect("every module parses");
        crate::invariants::check(bundle, "dist/plugin.js", &split).expect("a valid report");
        assert!(!whole.findings.is_empty());
        assert_eq!(split.findings, whole.findings);
        assert_eq!(split.diagnostics, whole.diagnostics);
        // As hosts lint it on several threads: the skeleton with some modules, the rest
        // elsewhere, the reports combined (first-party filter applied, as in one call).
        let every: Vec<usize> = (0..plan.parts.len()).collect();
        let (even, odd): (Vec<usize>, Vec<usize>) = every.iter().partition(|&&i| i % 2 == 0);
        let shared = combine(vec![
            crate::scan_bundle_modules(bundle, &options(), &plan, &odd, false).expect("parses"),
            crate::scan_bundle_modules(bundle, &options(), &plan, &even, true).expect("parses"),
        ]);
        let one = crate::scan_bundle_modules(bundle, &options(), &plan, &every, true);
        assert!(!shared.findings.is_empty());
        assert_eq!(shared, one.expect("parses"));
    }

    /// Fake credentials and calls; the whole-file path folds a constant only where its name is
    /// bound once in the bundle, so each planting names its own (`name`).
    fn planted(name: &str, seed: u64) -> String {
        let sid = crate::testgen::fill("AC{hex32}", seed);
        let token = crate::testgen::fill("{hex32}", seed + 1);
        format!(
            r#"const {name}="{}"+"{}";fetch("https://api.twilio.com/2010-04-01/Accounts/"+{name}+"/Calls.json",{{headers:{{Authorization:"Basic "+btoa({name}+":{token}")}}}});fetch("https://demo-1234.twil.io/list",{{method:"POST"}});"#,
            &sid[..10],
            &sid[10..]
        )
    }

    #[test]
    fn webpack5_production_and_development_lint_the_same_split() {
        let mut modules = filler(700, |i, body| format!("{i}:(e,t,n)=>{{{body}}}"));
        modules.insert(350, format!("99999:(e,t,n)=>{{{}}}", planted("s1", 32)));
        let production = format!(
            "(()=>{{var e={{{}}},t={{}};function n(r){{var o=t[r];if(void 0!==o)return o.exports;var i=t[r]={{exports:{{}}}};return e[r](i,i.exports,n),i.exports}}(()=>{{n(99999)}})()}})();",
            modules.join(",")
        );
        assert_split_is_whole(&production, 701);
        // `scan` takes the split path for a large bundle: there a name bound in two modules
        // folds in each (see `a_name_bound_in_two_modules_folds_in_each`).
        let mut modules = filler(5000, |i, body| format!("{i}:(e,t,n)=>{{{body}}}"));
        let sid = crate::testgen::fill("AC{hex32}", 34);
        modules.push(format!(
            r#"9000:(e)=>{{const s="{}";e.exports=s+"{}"}}"#,
            &sid[..9],
            &sid[9..]
        ));
        modules.push(r#"9001:(e)=>{const s="x";e.exports=s}"#.to_string());
        let large = format!("(()=>{{var e={{{}}};}})();", modules.join(","));
        assert!(large.len() >= MIN_BYTES, "{} bytes", large.len());
        let found: Vec<_> = crate::scan(&large, &options())
            .findings
            .into_iter()
            .map(|f| (f.rule_id, f.module))
            .collect();
        assert_eq!(
            found,
            vec![("account-sid".to_string(), Some("9000".to_string()))]
        );

        let mut modules = filler(700, |i, body| {
            format!("/***/ \"./src/m{i}.js\":\n/***/ ((module, exports, __webpack_require__) => {{\n{body}\n/***/ }})")
        });
        modules.push(format!(
            "/***/ \"./node_modules/sdk/index.js\":\n/***/ ((module) => {{\n{}\n}})",
            planted("s2", 34)
        ));
        modules.push(format!(
            "/***/ \"./src/index.js\":\n/***/ ((module) => {{\n{}\n}})",
            planted("s3", 36)
        ));
        // The runtime's own functions, a directive the runtime reports, and the entry module
        // inlined with its path banner: all in the skeleton.
        let entry = format!(
            "// flexguard-ignore-next-line no-such-rule\nvar __webpack_exports__ = {{}};\n(() => {{\n\"use strict\";\n/*!**********************!*\\\n  !*** ./src/index.js ***!\n  \\**********************/\n{}\n}})();",
            planted("s7", 44)
        );
        let development = format!(
            "/******/ (() => {{ // webpackBootstrap\nvar __webpack_modules__ = ({{\n{}\n}});\nvar __webpack_module_cache__ = {{}};\nfunction __webpack_require__(moduleId) {{ return __webpack_modules__[moduleId](); }}\n{entry}\n}})();\n",
            modules.join(",\n")
        );
        assert_split_is_whole(&development, 702);
        let report = crate::scan(&development, &options());
        assert!(report
            .findings
            .iter()
            .any(|f| f.module.as_deref() == Some("./src/index.js")));
        assert_eq!(report.diagnostics.len(), 1, "{:?}", report.diagnostics);
    }

    #[test]
    fn webpack4_array_object_and_chunk_lint_the_same_split() {
        let runtime = "function(e){var t={};function n(r){if(t[r])return t[r].exports;var o=t[r]={i:r,l:!1,exports:{}};return e[r].call(o.exports,o,o.exports,n),o.l=!0,o.exports}return n(n.s=0)}";
        let mut modules = filler(700, |_, body| format!("function(e,t,n){{{body}}}"));
        modules.insert(3, format!("function(e,t){{{}}}", planted("s4", 38)));
        let array = format!("!{runtime}([{}]);", modules.join(","));
        assert_split_is_whole(&array, 701);

        let mut modules = filler(700, |i, body| {
            format!("{}:function(e,t,n){{{body}}}", i * 7)
        });
        modules.push(format!("5:function(e,t){{{}}}", planted("s5", 40)));
        let object = format!("!{runtime}({{{}}});", modules.join(","));
        assert_split_is_whole(&object, 701);

        let mut modules = filler(700, |i, body| {
            format!("\"./src/c{i}.js\":(e,t,n)=>{{{body}}}")
        });
        modules.push(format!(
            "\"./src/call.js\":(e,t,n)=>{{{}}}",
            planted("s6", 42)
        ));
        let chunk = format!(
            "(self.webpackChunkplugin=self.webpackChunkplugin||[]).push([[179],{{{}}}]);",
            modules.join(",")
        );
        assert_split_is_whole(&chunk, 701);
    }

    #[test]
    fn a_name_bound_in_two_modules_folds_in_each() {
        // The whole-file path cannot tell two modules' `s` apart and folds neither; split, each
        // module's own constant folds, so the credential assembled from it is found.
        let sid = crate::testgen::fill("AC{hex32}", 33);
        let mut modules = filler(700, |i, body| format!("{i}:(e,t,n)=>{{{body}}}"));
        modules.push(format!(
            r#"800:(e)=>{{const s="{}";e.exports=s+"{}"}}"#,
            &sid[..9],
            &sid[9..]
        ));
        modules.push(r#"801:(e)=>{const s="https://example.com";e.exports=s}"#.to_string());
        let bundle = format!("(()=>{{var e={{{}}};}})();", modules.join(","));
        let whole = crate::engine::run(&bundle, &options());
        let split = lint_all(&bundle, &options(), &plan(&bundle).expect("a plan")).expect("parses");
        assert!(whole.findings.iter().all(|f| f.rule_id != "account-sid"));
        let found: Vec<_> = split
            .findings
            .iter()
            .map(|f| (f.rule_id.as_str(), f.module.as_deref()))
            .collect();
        assert_eq!(found, vec![("account-sid", Some("800"))]);
    }

    #[test]
    fn a_module_nested_too_deep_is_scanned_as_text_and_the_others_still_fully() {
        // Linted whole, the bundle is deeper than the parser is given: all of it is scanned for
        // credential shapes only. Split, only that module is.
        let sid = crate::testgen::fill("AC{hex32}", 46);
        let mut modules = filler(5000, |i, body| format!("{i}:(e,t,n)=>{{{body}}}"));
        let deep = format!("{}1{}", "[".repeat(400), "]".repeat(400));
        modules.push(format!(
            r#"9000:(e)=>{{e.exports={{sid:"{sid}",deep:{deep}}}}}"#
        ));
        modules
            .push(r#"9001:(e)=>{fetch("https://api.twilio.com/2010-04-01/Accounts.json")}"#.into());
        let bundle = format!("(()=>{{var e={{{}}};}})();", modules.join(","));
        assert!(bundle.len() >= MIN_BYTES);
        let report = crate::scan(&bundle, &options());
        crate::invariants::check(&bundle, "dist/plugin.js", &report).expect("a valid report");
        let found: Vec<_> = report
            .findings
            .iter()
            .map(|f| (f.rule_id.as_str(), f.module.as_deref()))
            .collect();
        assert_eq!(
            found,
            vec![
                ("account-sid", Some("9000")),
                ("direct-api-call", Some("9001"))
            ]
        );
        let limit: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| d.code == "limit")
            .collect();
        assert_eq!(limit.len(), 1, "{:?}", report.diagnostics);
        let whole = crate::engine::run(&bundle, &options());
        assert!(whole
            .findings
            .iter()
            .all(|f| f.rule_id != "direct-api-call"));
    }

    #[test]
    fn what_is_not_a_module_table_has_no_plan() {
        // Top-level functions of a large library: bodies, but no table.
        let library: String = (0..40_000)
            .map(|i| format!("function f{i}(a,b){{return a*b+{i}}}"))
            .collect();
        assert!(plan(&library).is_none());
        // Brackets the scan cannot balance.
        assert!(plan("(()=>{var e={1:(e)=>{},2:(e)=>{}}})();}").is_none());
        // A division read as a regular expression would swallow a brace: the skeleton's parse
        // or the balance catches it.
        assert!(plan("(()=>{var e={1:(e)=>{x=a\n/2/b},2:(e)=>{}}})();").is_some());
    }

    #[test]
    fn the_scan_skips_what_is_not_code() {
        fn bodies(s: &str) -> Vec<&str> {
            scan_bodies(s.as_bytes())
                .expect("balanced")
                .iter()
                .map(|b| &s[b.span.range()])
                .collect()
        }
        assert_eq!(bodies(r#"f(function(){ "}" })"#), vec![r#"{ "}" }"#]);
        assert_eq!(
            bodies("x=>{ `${ {a:1}.a }}` }"),
            vec!["{ `${ {a:1}.a }}` }"]
        );
        assert_eq!(
            bodies("x=>{ a = /}/.test(b) }"),
            vec!["{ a = /}/.test(b) }"]
        );
        assert_eq!(bodies("x=>{ a = b / c / d }"), vec!["{ a = b / c / d }"]);
        assert_eq!(bodies("x=>{ /* } */ }"), vec!["{ /* } */ }"]);
        assert_eq!(bodies("x=>{ return /}/ }"), vec!["{ return /}/ }"]);
        assert_eq!(bodies("if(a){ b }"), vec!["{ b }"]);
    }
}
