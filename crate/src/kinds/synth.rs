//! A small syntax tree built from a data file (a `.env`, YAML, HTML attributes), with spans
//! that point into that file: the walk and the rules then judge `KEY=value` or `key: value`
//! exactly as they judge `process.env.KEY = "value"` or `{ key: "value" }` in code.

use swc_common::comments::SingleThreadedComments;
use swc_common::{BytePos, Span as SwcSpan, SyntaxContext};
use swc_ecma_ast::{
    ArrayLit, AssignExpr, AssignOp, AssignTarget, Expr, ExprOrSpread, ExprStmt, Ident, IdentName,
    KeyValueProp, Lit, MemberExpr, MemberProp, ObjectLit, Program, Prop, PropName, PropOrSpread,
    Script, SimpleAssignTarget, Stmt, Str,
};

use crate::parse::Parsed;

/// swc positions of synthetic nodes start here (0 is swc's dummy position).
const BASE: u32 = 2;

fn span(range: std::ops::Range<usize>) -> SwcSpan {
    SwcSpan::new(
        BytePos(BASE + range.start as u32),
        BytePos(BASE + range.end as u32),
    )
}

/// A string value at `range` of the file. When the value is the text at `range` as written,
/// the node records that (as a quoted literal would), so a match inside it is located exactly.
pub fn string(source: &str, value: &str, range: std::ops::Range<usize>) -> Expr {
    let verbatim = source.get(range.clone()) == Some(value) && range.start > 0;
    let (span, raw) = if verbatim {
        // A literal's span includes its quotes: widen by one byte on each side.
        (
            self::span(range.start - 1..range.end + 1),
            Some(format!("\"{value}\"").into()),
        )
    } else {
        (self::span(range), None)
    };
    Expr::Lit(Lit::Str(Str {
        span,
        value: value.into(),
        raw,
    }))
}

/// `{ key: value, … }`; each key with its range in the file.
pub fn object(
    source: &str,
    entries: Vec<(String, std::ops::Range<usize>, Expr)>,
    range: std::ops::Range<usize>,
) -> Expr {
    let props = entries
        .into_iter()
        .map(|(key, key_range, value)| {
            let key = match string(source, &key, key_range) {
                Expr::Lit(Lit::Str(s)) => s,
                _ => unreachable!("string() builds a string literal"),
            };
            PropOrSpread::Prop(Box::new(Prop::KeyValue(KeyValueProp {
                key: PropName::Str(key),
                value: Box::new(value),
            })))
        })
        .collect();
    Expr::Object(ObjectLit {
        span: span(range),
        props,
    })
}

/// Where a key built by [`object`] is in the file.
pub fn key_range(key: &PropName) -> std::ops::Range<usize> {
    match key {
        PropName::Str(s) => {
            let (lo, hi) = (
                s.span.lo.0.saturating_sub(BASE),
                s.span.hi.0.saturating_sub(BASE),
            );
            match s.raw {
                Some(_) => lo as usize + 1..(hi as usize).saturating_sub(1),
                None => lo as usize..hi as usize,
            }
        }
        _ => 0..0,
    }
}

/// `[a, b, …]`.
pub fn array(items: Vec<Expr>, range: std::ops::Range<usize>) -> Expr {
    Expr::Array(ArrayLit {
        span: span(range),
        elems: items
            .into_iter()
            .map(|expr| {
                Some(ExprOrSpread {
                    spread: None,
                    expr: Box::new(expr),
                })
            })
            .collect(),
    })
}

/// `process.env.NAME = value`, the name at `name_range`: what a `.env` line means to a build.
pub fn env_assignment(name: &str, name_range: std::ops::Range<usize>, value: Expr) -> Expr {
    let at = span(name_range);
    let ident = |sym: &str| Ident {
        span: at,
        ctxt: SyntaxContext::empty(),
        sym: sym.into(),
        optional: false,
    };
    let process_env = Expr::Member(MemberExpr {
        span: at,
        obj: Box::new(Expr::Ident(ident("process"))),
        prop: MemberProp::Ident(IdentName {
            span: at,
            sym: "env".into(),
        }),
    });
    let target = MemberExpr {
        span: at,
        obj: Box::new(process_env),
        prop: MemberProp::Ident(IdentName {
            span: at,
            sym: name.into(),
        }),
    };
    Expr::Assign(AssignExpr {
        span: at,
        op: AssignOp::Assign,
        left: AssignTarget::Simple(SimpleAssignTarget::Member(target)),
        right: Box::new(value),
    })
}

/// An expression as a statement of a synthesized program.
fn statement(expr: Expr) -> Stmt {
    Stmt::Expr(ExprStmt {
        span: SwcSpan::default(),
        expr: Box::new(expr),
    })
}

/// A program of one statement per expression.
pub fn program(exprs: Vec<Expr>, len: usize) -> Parsed {
    let body = exprs.into_iter().map(statement).collect();
    Parsed {
        program: Program::Script(Script {
            span: span(0..len),
            body,
            shebang: None,
        }),
        comments: SingleThreadedComments::default(),
        base: BASE,
    }
}

/// Expressions appended to a parsed program (HTML attributes after the page's scripts).
pub fn append(parsed: &mut Parsed, exprs: Vec<Expr>) {
    let delta = parsed.base as i64 - BASE as i64;
    let mut stmts: Vec<Stmt> = exprs.into_iter().map(statement).collect();
    if delta != 0 {
        use swc_ecma_visit::VisitMutWith;
        let mut shift = Shift(delta);
        for stmt in &mut stmts {
            stmt.visit_mut_with(&mut shift);
        }
    }
    match &mut parsed.program {
        Program::Script(script) => script.body.extend(stmts),
        Program::Module(module) => module
            .body
            .extend(stmts.into_iter().map(swc_ecma_ast::ModuleItem::Stmt)),
    }
}

struct Shift(i64);

impl swc_ecma_visit::VisitMut for Shift {
    fn visit_mut_span(&mut self, span: &mut SwcSpan) {
        if !span.is_dummy() {
            span.lo = BytePos((span.lo.0 as i64 + self.0) as u32);
            span.hi = BytePos((span.hi.0 as i64 + self.0) as u32);
        }
    }
}
