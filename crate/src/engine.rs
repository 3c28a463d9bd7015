//! One walk over the AST that dispatches to every rule, then findings are positioned,
//! redacted, fingerprinted, sorted and deduplicated.

use std::collections::HashMap;

use swc_common::Spanned;
use swc_ecma_ast::{BinaryOp, CallExpr, Expr, JSXText, Lit, NewExpr, Str, TplElement};
use swc_ecma_visit::{Visit, VisitWith};

use crate::finding::{Diagnostic, Finding, Report, Severity, Span};
use crate::fold::{str_value, Consts, Folder};
use crate::parse::{self, LineIndex};
use crate::redact::{fingerprint, mask_token_like, redact};
use crate::rules::{Rule, RuleMeta};
use crate::Options;

/// Nesting deeper than this is not parsed (swc recurses per level); the file is scanned as text.
pub const MAX_NESTING: usize = 2500;
/// Excerpt window: characters kept on each side of a finding on a long line.
const EXCERPT_CONTEXT: usize = 60;

/// A constant string the walk found: its value and where it was assembled.
pub struct StringSite<'a> {
    pub value: &'a str,
    pub span: Span,
    /// Source offset of `value[0]` when the value is spelled verbatim in the source (no escapes,
    /// no folding), so a match inside it can be located exactly.
    pub verbatim_at: Option<usize>,
}

impl StringSite<'_> {
    /// Where a part of the value sits in the source: exact when verbatim, else the whole site.
    pub fn span_of(&self, range: std::ops::Range<usize>) -> Span {
        match self.verbatim_at {
            Some(at) => Span::new(at + range.start, at + range.end),
            None => self.span,
        }
    }
}

struct Hit {
    rule: &'static RuleMeta,
    span: Span,
    message: String,
    help: String,
    /// The matched value: fingerprinted, and redacted in excerpts when `secret`.
    value: String,
    secret: bool,
    /// Located exactly in the source (not at a folded expression).
    exact: bool,
}

/// What a rule sees of the file while it is being walked, and where it reports.
pub struct Ctx<'a> {
    folder: Folder<'a>,
    base: u32,
    rule: &'static RuleMeta,
    hits: Vec<Hit>,
}

impl Ctx<'_> {
    /// The constant string `expr` evaluates to, if the file determines it.
    pub fn fold(&self, expr: &Expr) -> Option<String> {
        self.folder.fold(expr)
    }

    /// Convert an swc span.
    pub fn span(&self, span: swc_common::Span) -> Span {
        Span {
            start: span.lo.0.saturating_sub(self.base),
            end: span.hi.0.saturating_sub(self.base),
        }
    }

    /// Report a finding of the current rule. `value` identifies it (fingerprint); when `secret`,
    /// it is a credential and is redacted wherever it would appear.
    pub fn report(&mut self, span: Span, message: String, help: &str, value: &str, secret: bool) {
        self.hits.push(Hit {
            rule: self.rule,
            span,
            message,
            help: help.to_string(),
            value: value.to_string(),
            secret,
            exact: true,
        });
    }

    fn report_shape(&mut self, rule: &'static RuleMeta, span: Span, value: &str, exact: bool) {
        let what = rule.summary();
        let what = what.trim_end_matches('.');
        self.hits.push(Hit {
            rule,
            span,
            message: format!("{what}: {}", redact(value)),
            help: "Remove it from plugin code and rotate it if it was ever committed or shipped; keep credentials in a Twilio Function's environment.".to_string(),
            value: value.to_string(),
            secret: true,
            exact,
        });
    }

    fn scan_shapes(&mut self, rules: &[&'static dyn Rule], site: &StringSite) {
        for rule in rules {
            let meta = rule.meta();
            if let Some(shape) = meta.shape {
                for (range, value) in shape.find_in(site.value) {
                    self.report_shape(meta, site.span_of(range), value, site.verbatim_at.is_some());
                }
            }
        }
    }
}

struct Walker<'c, 'a> {
    ctx: &'c mut Ctx<'a>,
    rules: &'c [&'static dyn Rule],
}

impl Walker<'_, '_> {
    fn string(&mut self, site: StringSite) {
        self.ctx.scan_shapes(self.rules, &site);
        for rule in self.rules {
            self.ctx.rule = rule.meta();
            rule.check_string(self.ctx, &site);
        }
    }

    /// `a + b + c`: each maximal run of constant operands is one string site; the rest is walked.
    fn concat_chain(&mut self, expr: &Expr) {
        let mut operands = Vec::new();
        let mut current = expr;
        while let Expr::Bin(bin) = current {
            if bin.op != BinaryOp::Add {
                break;
            }
            operands.push(&*bin.right);
            current = &bin.left;
        }
        operands.push(current);
        operands.reverse();

        let mut run: Option<(String, Span)> = None;
        for operand in operands {
            match self.ctx.fold(operand) {
                Some(value) => {
                    let span = self.ctx.span(operand.span());
                    match &mut run {
                        Some((text, run_span)) => {
                            text.push_str(&value);
                            run_span.end = span.end;
                        }
                        None => run = Some((value, span)),
                    }
                }
                None => {
                    self.flush_run(run.take());
                    operand.visit_with(self);
                }
            }
        }
        self.flush_run(run);
    }

    fn flush_run(&mut self, run: Option<(String, Span)>) {
        if let Some((value, span)) = run {
            self.string(StringSite {
                value: &value,
                span,
                verbatim_at: None,
            });
        }
    }
}

impl Visit for Walker<'_, '_> {
    fn visit_expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Bin(bin) if bin.op == BinaryOp::Add => self.concat_chain(expr),
            Expr::Tpl(tpl) if !tpl.exprs.is_empty() => match self.ctx.fold(expr) {
                Some(value) => self.string(StringSite {
                    value: &value,
                    span: self.ctx.span(tpl.span),
                    verbatim_at: None,
                }),
                None => expr.visit_children_with(self),
            },
            _ => expr.visit_children_with(self),
        }
    }

    fn visit_str(&mut self, s: &Str) {
        let value = str_value(s);
        let span = self.ctx.span(s.span);
        // Verbatim when the literal's raw text is the value between its quotes.
        let verbatim_at = s
            .raw
            .as_ref()
            .filter(|raw| raw.len() == value.len() + 2 && raw[1..raw.len() - 1] == *value)
            .map(|_| span.start as usize + 1);
        self.string(StringSite {
            value: &value,
            span,
            verbatim_at,
        });
    }

    fn visit_tpl_element(&mut self, element: &TplElement) {
        let span = self.ctx.span(element.span);
        if let Some(cooked) = &element.cooked {
            let value = cooked.to_string_lossy();
            let verbatim_at = (element.raw.as_str() == &*value).then_some(span.start as usize);
            self.string(StringSite {
                value: &value,
                span,
                verbatim_at,
            });
        }
    }

    fn visit_jsx_text(&mut self, text: &JSXText) {
        let span = self.ctx.span(text.span);
        let value = text.value.to_string_lossy();
        self.string(StringSite {
            value: &value,
            span,
            verbatim_at: Some(span.start as usize),
        });
    }

    fn visit_call_expr(&mut self, call: &CallExpr) {
        for rule in self.rules {
            self.ctx.rule = rule.meta();
            rule.check_call(self.ctx, call);
        }
        call.visit_children_with(self);
    }

    fn visit_new_expr(&mut self, new: &NewExpr) {
        for rule in self.rules {
            self.ctx.rule = rule.meta();
            rule.check_new(self.ctx, new);
        }
        new.visit_children_with(self);
    }

    fn visit_lit(&mut self, lit: &Lit) {
        // Numbers, regexes and the like hold no strings worth scanning; `Str` is visited above.
        if let Lit::Str(s) = lit {
            self.visit_str(s);
        }
    }
}

/// The deepest bracket nesting of the text (strings and comments included: an over-estimate).
fn max_nesting(source: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    for b in source.bytes() {
        match b {
            b'(' | b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Scan one source. Never panics on any input.
pub fn run(source: &str, options: &Options) -> Report {
    let file = options.filename.as_deref().unwrap_or("<input>");
    let rules: Vec<&'static dyn Rule> = crate::rules::ALL
        .iter()
        .copied()
        .filter(|rule| options.severity_of(rule.meta()).is_some())
        .collect();
    let index = LineIndex::new(source);
    let mut diagnostics = Vec::new();
    let no_consts = Consts::default();
    let placeholder_rule = crate::rules::ALL[0].meta();

    let nesting = max_nesting(source);
    // Env files (`KEY=value`) are text by design: shape scan only, and no parse-error note.
    let plain_text = parse::is_plain_text(file);
    let parsed = if plain_text {
        Err(parse::ParseError {
            message: String::new(),
            offset: 0,
        })
    } else if nesting > MAX_NESTING {
        Err(parse::ParseError {
            message: format!("nesting deeper than {MAX_NESTING} levels; scanned as plain text"),
            offset: 0,
        })
    } else {
        parse::parse(source, file)
    };

    let hits = match &parsed {
        Ok(parsed) => {
            let consts = Consts::collect(&parsed.program);
            let mut ctx = Ctx {
                folder: Folder { consts: &consts },
                base: parsed.base,
                rule: placeholder_rule,
                hits: Vec::new(),
            };
            parsed.program.visit_with(&mut Walker {
                ctx: &mut ctx,
                rules: &rules,
            });
            let (leading, trailing) = parsed.comments.borrow_all();
            for comment in leading.values().chain(trailing.values()).flatten() {
                let span = ctx.span(comment.span);
                if let Some(text) = source.get(span.range()) {
                    ctx.scan_shapes(
                        &rules,
                        &StringSite {
                            value: text,
                            span,
                            verbatim_at: Some(span.start as usize),
                        },
                    );
                }
            }
            ctx.hits
        }
        Err(error) => {
            let (line, column) = index.position(error.offset);
            diagnostics.push(Diagnostic {
                code: if nesting > MAX_NESTING {
                    "limit"
                } else {
                    "parse-error"
                }
                .to_string(),
                message: format!(
                    "{}; the file was scanned for credential shapes only",
                    error.message
                ),
                file: file.to_string(),
                line,
                column,
            });
            let mut ctx = Ctx {
                folder: Folder { consts: &no_consts },
                base: 0,
                rule: placeholder_rule,
                hits: Vec::new(),
            };
            ctx.scan_shapes(
                &rules,
                &StringSite {
                    value: source,
                    span: Span::new(0, source.len()),
                    verbatim_at: Some(0),
                },
            );
            ctx.hits
        }
    };

    if plain_text {
        diagnostics.clear();
    }
    let findings = finish(hits, source, file, &index, options);
    Report {
        findings,
        diagnostics,
    }
}

/// Position, redact, fingerprint, sort and deduplicate.
fn finish(
    mut hits: Vec<Hit>,
    source: &str,
    file: &str,
    index: &LineIndex,
    options: &Options,
) -> Vec<Finding> {
    hits.sort_by(|a, b| {
        (a.span.start, a.rule.id, a.span.end).cmp(&(b.span.start, b.rule.id, b.span.end))
    });
    hits.dedup_by(|a, b| a.rule.id == b.rule.id && a.span == b.span);
    // A credential folded into a larger string (`${SID}` in a URL) is reported where it is
    // written, not again at every use.
    let written: std::collections::HashSet<(&str, &str)> = hits
        .iter()
        .filter(|h| h.exact)
        .map(|h| (h.rule.id, h.value.as_str()))
        .collect();
    let hits: Vec<&Hit> = hits
        .iter()
        .filter(|h| h.exact || !written.contains(&(h.rule.id, h.value.as_str())))
        .collect();

    let secrets: Vec<(Span, &str)> = hits
        .iter()
        .filter(|h| h.secret)
        .map(|h| (h.span, h.value.as_str()))
        .collect();
    let mut seen = HashMap::new();
    hits.iter()
        .filter_map(|hit| {
            let severity: Severity = options.severity_of(hit.rule)?;
            // The same value reported twice on one span by different paths counts once.
            if seen.insert((hit.rule.id, hit.span), ()).is_some() {
                return None;
            }
            let (line, column) = index.position(hit.span.start as usize);
            let (end_line, end_column) = index.position(hit.span.end as usize);
            Some(Finding {
                rule_id: hit.rule.id.to_string(),
                severity,
                message: hit.message.clone(),
                help: hit.help.clone(),
                file: file.to_string(),
                span: hit.span,
                line,
                column,
                end_line,
                end_column,
                excerpt: excerpt(source, index, hit.span, &secrets),
                fingerprint: fingerprint(hit.rule.id, file, &hit.value),
            })
        })
        .collect()
}

/// The finding's line, windowed around the finding on long lines, with every known secret on it
/// replaced by its redacted form and anything else token-like masked.
fn excerpt(source: &str, index: &LineIndex, span: Span, secrets: &[(Span, &str)]) -> String {
    let line = index.line_range(span.start as usize);
    let start = index.floor_char_boundary(
        (span.start as usize)
            .saturating_sub(EXCERPT_CONTEXT)
            .max(line.start),
    );
    let end_goal =
        (span.end as usize).min(span.start as usize + 2 * EXCERPT_CONTEXT) + EXCERPT_CONTEXT;
    let end = index.floor_char_boundary(end_goal.min(line.end).max(start));

    let mut out = String::new();
    if start > line.start {
        out.push('…');
    }
    let mut cursor = start;
    for &(secret_span, value) in secrets {
        let range = secret_span.range();
        if range.end <= cursor || range.start >= end {
            continue;
        }
        let from = index.floor_char_boundary(range.start.max(cursor));
        out.push_str(&mask_token_like(&source[cursor..from]));
        out.push_str(&redact(value));
        cursor = index.floor_char_boundary(range.end.min(end).max(from));
        if range.end > end {
            cursor = end;
        }
    }
    out.push_str(&mask_token_like(&source[cursor..end]));
    if end < line.end {
        out.push('…');
    }
    out.trim().to_string()
}
