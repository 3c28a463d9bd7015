//! JSON (and JSONC, JSON5, `.twilioserverlessrc`): parsed by swc as the object literal it is, so
//! that `{"authToken": "…"}` is judged by the same object-key rules as code, at exact positions.

use swc_common::{sync::Lrc, FileName, SourceMap, Spanned};
use swc_ecma_ast::{EsVersion, ExprStmt, Program, Script, Stmt};
use swc_ecma_parser::{parse_file_as_expr, EsSyntax, Syntax};

use crate::parse::{ParseError, Parsed};

pub fn parse(source: &str) -> Result<Parsed, ParseError> {
    let cm: Lrc<SourceMap> = Default::default();
    let fm = cm.new_source_file(Lrc::new(FileName::Anon), crate::parse::source_text(source));
    let base = fm.start_pos.0;
    let comments = swc_common::comments::SingleThreadedComments::default();
    let mut recovered = Vec::new();
    let to_error = |e: swc_ecma_parser::error::Error| ParseError {
        message: format!(
            "not valid JSON ({})",
            crate::redact::mask_token_like(&e.kind().msg())
        ),
        offset: e.span().lo.0.saturating_sub(base) as usize,
    };
    let expr = parse_file_as_expr(
        &fm,
        Syntax::Es(EsSyntax::default()),
        EsVersion::latest(),
        Some(&comments),
        &mut recovered,
    )
    .map_err(to_error)?;
    if let Some(error) = recovered.into_iter().next() {
        return Err(to_error(error));
    }
    // What follows the value (JSON Lines, a second document) is not part of it.
    let end = expr_end(&expr, base);
    if !source[end.min(source.len())..].trim().is_empty() {
        return Err(ParseError {
            message: "not valid JSON (text after the value)".into(),
            offset: end,
        });
    }
    let span = Spanned::span(&*expr);
    Ok(Parsed {
        program: Program::Script(Script {
            span,
            body: vec![Stmt::Expr(ExprStmt { span, expr })],
            shebang: None,
        }),
        comments,
        base,
    })
}

fn expr_end(expr: &swc_ecma_ast::Expr, base: u32) -> usize {
    Spanned::span(expr).hi.0.saturating_sub(base) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_arrays_and_comments_parse() {
        for source in [
            "{\"a\": 1}",
            "[1, {\"b\": \"c\"}]",
            "// jsonc\n{\"a\": [1, 2,],}\n",
            "\"text\"",
        ] {
            assert!(parse(source).is_ok(), "{source}");
        }
    }

    #[test]
    fn what_is_not_one_value_is_an_error() {
        for source in ["{\"a\": 1}\n{\"a\": 2}\n", "{\"a\": }", "{", ""] {
            assert!(parse(source).is_err(), "{source}");
        }
    }
}
