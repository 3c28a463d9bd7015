//! Webpack bundles: which module a byte of the bundle belongs to.
//!
//! Webpack 4 and 5 wrap every module in a function and put the functions in a table that the
//! runtime indexes by module id:
//!
//! - webpack 4, production: `!function(e){…runtime…}([function(e,t,n){…},…])` (array, dense ids)
//!   or `({123:function(e,t,n){…}})` (object, sparse ids);
//! - webpack 4, development: `({"./src/x.js": (function(module, __webpack_exports__, __webpack_require__){…})})`;
//! - webpack 5: `var __webpack_modules__ = ({"./src/x.js": ((module) => {…})})` (development, each
//!   key preceded by a `/***/ "./src/x.js":` marker comment) or `var e={123:(e,t,n)=>{…}}`
//!   (production), and chunks `(self.webpackChunkname=self.webpackChunkname||[]).push([[ids],{…}])`.
//!
//! [`modules`] finds these tables with a shallow walk of the bundle's top level: statements,
//! IIFEs and the runtime's own function bodies, never the module bodies themselves (those are the
//! bulk of a bundle, and the engine's one full walk covers them). A key that is a path
//! (`./node_modules/react/index.js`) says where the module came from; numeric ids, as in
//! production builds, do not, and such modules keep every rule.

use swc_ecma_ast::{
    ArrayLit, ArrowFunctionBody, Callee, Expr, ObjectLit, Pat, Program, Prop, PropName,
    PropOrSpread, Stmt, VarDeclarator,
};

use crate::finding::{Finding, Span};

/// One module of a bundle.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct Module {
    /// The module id as the bundle writes it: a path in development builds (`./src/x.js`),
    /// a number in production builds.
    pub id: String,
    /// The module function's byte range in the bundle.
    pub span: Span,
}

/// Modules of a bundle, sorted by start; empty for anything that is not a webpack bundle.
#[derive(Debug, Default)]
pub struct ModuleMap {
    modules: Vec<Module>,
}

impl ModuleMap {
    /// A map of modules found elsewhere (see `split::plan`).
    pub fn from_modules(mut modules: Vec<Module>) -> Self {
        modules.sort_by_key(|m| (m.span.start, std::cmp::Reverse(m.span.end)));
        ModuleMap { modules }
    }

    /// The innermost module holding the byte range, if any.
    pub fn module_at(&self, span: Span) -> Option<&Module> {
        let after = self.modules.partition_point(|m| m.span.start <= span.start);
        self.modules[..after]
            .iter()
            .rev()
            .find(|m| m.span.end >= span.end)
    }

    pub fn is_empty(&self) -> bool {
        self.modules.is_empty()
    }

    pub fn modules(&self) -> &[Module] {
        &self.modules
    }
}

/// Name each finding's module (which decides, with the source map, whose code it is).
pub fn annotate(findings: &mut [Finding], map: &ModuleMap) {
    for finding in findings {
        if let Some(module) = map.module_at(finding.span) {
            finding.module = Some(module.id.clone());
        }
    }
}

/// How deep in nested top-level functions the tables are looked for: the webpack 5 runtime IIFE
/// holds the table at depth 1, a `.push` of a chunk at depth 0; 4 leaves room for wrappers
/// (UMD, `(function(){ … }).call(this)`).
pub(crate) const MAX_FUNCTION_DEPTH: usize = 4;

/// Find the module tables of a parsed bundle. `base` turns swc positions into byte offsets.
pub fn modules(program: &Program, base: u32, source: &str) -> ModuleMap {
    let mut finder = Finder {
        base,
        source,
        modules: Vec::new(),
    };
    match program {
        Program::Script(script) => finder.stmts(&script.body, 0),
        Program::Module(module) => {
            for item in &module.body {
                if let Some(stmt) = item.as_stmt() {
                    finder.stmt(stmt, 0);
                }
            }
        }
    }
    let mut modules = finder.modules;
    modules.sort_by_key(|m| (m.span.start, std::cmp::Reverse(m.span.end)));
    ModuleMap { modules }
}

struct Finder<'s> {
    base: u32,
    source: &'s str,
    modules: Vec<Module>,
}

impl Finder<'_> {
    fn span(&self, span: swc_common::Span) -> Span {
        Span {
            start: span.lo.0.saturating_sub(self.base),
            end: span.hi.0.saturating_sub(self.base),
        }
    }

    fn stmts(&mut self, stmts: &[Stmt], depth: usize) {
        for stmt in stmts {
            self.stmt(stmt, depth);
        }
    }

    fn stmt(&mut self, stmt: &Stmt, depth: usize) {
        match stmt {
            Stmt::Expr(s) => self.expr(&s.expr, depth),
            Stmt::Return(s) => {
                if let Some(arg) = &s.arg {
                    self.expr(arg, depth);
                }
            }
            Stmt::Block(b) => self.stmts(&b.stmts, depth),
            Stmt::Decl(swc_ecma_ast::Decl::Var(var)) => {
                for VarDeclarator { init, .. } in &var.decls {
                    if let Some(init) = init {
                        self.expr(init, depth);
                    }
                }
            }
            Stmt::Decl(swc_ecma_ast::Decl::Fn(f)) => {
                if let Some(body) = &f.function.body {
                    if depth < MAX_FUNCTION_DEPTH {
                        self.stmts(&body.stmts, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }

    fn expr(&mut self, expr: &Expr, depth: usize) {
        match expr {
            Expr::Paren(p) => self.expr(&p.expr, depth),
            Expr::Unary(u) => self.expr(&u.arg, depth),
            Expr::Seq(s) => s.exprs.iter().for_each(|e| self.expr(e, depth)),
            Expr::Assign(a) => self.expr(&a.right, depth),
            Expr::Bin(b) => {
                self.expr(&b.left, depth);
                self.expr(&b.right, depth);
            }
            Expr::Member(m) => self.expr(&m.obj, depth),
            Expr::Fn(f) => {
                if let Some(body) = &f.function.body {
                    if depth < MAX_FUNCTION_DEPTH {
                        self.stmts(&body.stmts, depth + 1);
                    }
                }
            }
            Expr::Arrow(a) if depth < MAX_FUNCTION_DEPTH => match &*a.body {
                ArrowFunctionBody::FunctionBody(b) => self.stmts(&b.stmts, depth + 1),
                ArrowFunctionBody::Expr(e) => self.expr(e, depth + 1),
            },
            Expr::Call(call) => {
                if let Callee::Expr(callee) = &call.callee {
                    self.expr(callee, depth);
                }
                let is_push = matches!(&call.callee, Callee::Expr(c) if is_push_member(c));
                let iife = matches!(&call.callee, Callee::Expr(c) if is_function(c).is_some());
                if iife && call.args.is_empty() && depth > 0 {
                    self.inlined_entry(call);
                }
                for arg in &call.args {
                    match &*arg.expr {
                        // `.push([[chunk ids], {modules}, runtime?])`
                        Expr::Array(chunk) if is_push => {
                            for element in chunk.elems.iter().flatten() {
                                self.table(&element.expr, true);
                            }
                        }
                        // `!function(e){…}([function(e,t,n){…},…])`: the runtime's argument.
                        other if iife => self.table(other, true),
                        other => self.expr(other, depth),
                    }
                }
            }
            Expr::Object(_) => self.table(expr, false),
            _ => {}
        }
    }

    /// Webpack 5 inlines the entry module into the runtime as `(() => { "use strict"; … })()`;
    /// development builds open it with a path banner: `/*!*** ./src/index.js ***!*/`.
    fn inlined_entry(&mut self, call: &swc_ecma_ast::CallExpr) {
        let Callee::Expr(callee) = &call.callee else {
            return;
        };
        let Some(function_span) = is_function(callee) else {
            return;
        };
        let span = self.span(function_span);
        let head_end = (span.start as usize + 400).min(span.end as usize);
        let Some(head) = self.source.get(span.start as usize..head_end) else {
            return;
        };
        let Some(path) = head
            .split_once("/*!")
            .and_then(|(_, banner)| banner.split_once("!*** "))
            .and_then(|(_, rest)| rest.split_once(" ***!"))
            .map(|(path, _)| path.trim())
        else {
            return;
        };
        self.modules.push(Module {
            id: path.to_string(),
            span,
        });
    }

    /// Record `expr` if it is a module table. Arrays of functions count only where webpack puts
    /// them (`array_ok`): as the runtime's argument or in a chunk push.
    fn table(&mut self, expr: &Expr, array_ok: bool) {
        match unparen(expr) {
            Expr::Object(object) => self.object_table(object),
            Expr::Array(array) if array_ok => self.array_table(array),
            _ => {}
        }
    }

    fn object_table(&mut self, object: &ObjectLit) {
        let mut found = Vec::new();
        for prop in &object.props {
            let PropOrSpread::Prop(prop) = prop else {
                return;
            };
            let (key, function_span) = match &**prop {
                Prop::KeyValue(kv) => match is_function(&kv.value) {
                    Some(span) => (&kv.key, span),
                    None => return,
                },
                Prop::Method(m) if m.function.params.len() <= 3 => (&m.key, m.function.span),
                _ => return,
            };
            let id = match key {
                PropName::Num(n) => n.value.to_string(),
                PropName::Str(s) => s.value.to_string_lossy().into_owned(),
                // `{a: function(){}}` is ordinary code, not a module table.
                _ => return,
            };
            found.push(Module {
                id,
                span: self.span(function_span),
            });
        }
        self.modules.extend(found);
    }

    fn array_table(&mut self, array: &ArrayLit) {
        let mut found = Vec::new();
        for (index, element) in array.elems.iter().enumerate() {
            let Some(element) = element else { continue };
            let Some(span) = is_function(&element.expr) else {
                return;
            };
            found.push(Module {
                id: index.to_string(),
                span: self.span(span),
            });
        }
        self.modules.extend(found);
    }
}

fn unparen(expr: &Expr) -> &Expr {
    match expr {
        Expr::Paren(p) => unparen(&p.expr),
        other => other,
    }
}

/// The span of a module-wrapper-shaped function: `function(module, exports, require)` or an
/// arrow with at most three simple parameters.
fn is_function(expr: &Expr) -> Option<swc_common::Span> {
    match unparen(expr) {
        Expr::Fn(f) if f.function.params.len() <= 3 => Some(f.function.span),
        Expr::Arrow(a)
            if a.params.len() <= 3 && a.params.iter().all(|p| matches!(p, Pat::Ident(_))) =>
        {
            Some(a.span)
        }
        _ => None,
    }
}

fn is_push_member(expr: &Expr) -> bool {
    matches!(unparen(expr), Expr::Member(m) if m.prop.as_ident().is_some_and(|p| p.sym == *"push"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(source: &str) -> Vec<(String, Option<bool>)> {
        let parsed = crate::parse::parse(source, "bundle.js")
            .ok()
            .expect("parses");
        modules(&parsed.program, parsed.base, source)
            .modules()
            .iter()
            .map(|m| {
                // Whose code a module is, as the first-party filter reads a path-like id.
                let first_party =
                    m.id.contains('/')
                        .then(|| crate::first_party::FirstParty::new(&[]).contains(&m.id));
                (m.id.clone(), first_party)
            })
            .collect()
    }

    #[test]
    fn webpack4_production_array_and_object() {
        let array = "!function(e){var t={};function n(r){return e[r].call()}n(n.s=1)}([function(e,t,n){e.exports=1},function(e,t,n){n(0)}]);";
        assert_eq!(ids(array), vec![("0".into(), None), ("1".into(), None)]);
        let object = "!function(e){function n(r){return e[r].call()}}({17:function(e,t,n){},42:function(e,t){}});";
        assert_eq!(ids(object), vec![("17".into(), None), ("42".into(), None)]);
    }

    #[test]
    fn webpack4_development_paths() {
        let src = r#"(function(modules) { function __webpack_require__(id) { return modules[id].call(); } return __webpack_require__("./src/index.js"); })
({
/***/ "./node_modules/sdk/index.js":
/*!***********************************!*\
  !*** ./node_modules/sdk/index.js ***!
  \***********************************/
/*! no static exports found */
/***/ (function(module, exports) { module.exports = 1; }),
/***/ "./src/index.js":
/***/ (function(module, __webpack_exports__, __webpack_require__) { "use strict"; })
});"#;
        assert_eq!(
            ids(src),
            vec![
                ("./node_modules/sdk/index.js".into(), Some(false)),
                ("./src/index.js".into(), Some(true))
            ]
        );
    }

    #[test]
    fn webpack5_runtime_var_and_chunk_push() {
        let main = r#"(() => { var __webpack_modules__ = ({
/***/ "./src/a.js":
/***/ ((module, __webpack_exports__, __webpack_require__) => { }),
/***/ "./node_modules/x/y.js":
/***/ ((module) => { })
}); var __webpack_module_cache__ = {}; function __webpack_require__(moduleId) {} })();"#;
        assert_eq!(
            ids(main),
            vec![
                ("./src/a.js".into(), Some(true)),
                ("./node_modules/x/y.js".into(), Some(false))
            ]
        );
        let prod = "(()=>{var e={123:(e,t,n)=>{n.d(t,{})},9:e=>{}},t={};function n(r){}n(123)})();";
        assert_eq!(ids(prod), vec![("123".into(), None), ("9".into(), None)]);
        let entry = r#"(() => { var __webpack_modules__ = ({"./src/a.js": ((module) => {})}); var __webpack_exports__ = {};
// This entry needs to be wrapped in an IIFE because it needs to be in strict mode.
(() => {
"use strict";
/*!**********************!*\
  !*** ./src/index.js ***!
  \**********************/
__webpack_require__.r(__webpack_exports__);
})();
})();"#;
        assert_eq!(
            ids(entry),
            vec![
                ("./src/a.js".into(), Some(true)),
                ("./src/index.js".into(), Some(true))
            ]
        );
        let chunk = r#"(self.webpackChunkplugin=self.webpackChunkplugin||[]).push([[179],{"./src/b.js":(e,t,n)=>{}}]);"#;
        assert_eq!(ids(chunk), vec![("./src/b.js".into(), Some(true))]);
    }

    #[test]
    fn ordinary_code_has_no_modules() {
        assert!(ids("const handlers = {click: function(e){}, key: (e) => {}};").is_empty());
        assert!(
            ids("const list = [function(){}, function(){}]; list.forEach(f => f());").is_empty()
        );
        assert!(ids("export default function plugin() { return 1 }").is_empty());
    }

    #[test]
    fn module_at_finds_the_innermost() {
        let src = "!function(e){}({1:function(e){var a='x'},2:function(e){var b='y'}});";
        let parsed = crate::parse::parse(src, "b.js").unwrap_or_else(|_| panic!("parses"));
        let map = modules(&parsed.program, parsed.base, src);
        let at = |needle: &str| {
            let start = src.find(needle).unwrap();
            map.module_at(Span::new(start, start + needle.len()))
                .map(|m| m.id.clone())
        };
        assert_eq!(at("'x'").as_deref(), Some("1"));
        assert_eq!(at("'y'").as_deref(), Some("2"));
        assert_eq!(at("!function"), None);
    }

    fn scan(source: &str) -> crate::Report {
        crate::scan(
            source,
            &crate::Options {
                filename: Some("build/plugin.js".into()),
                ..Default::default()
            },
        )
    }

    #[test]
    fn third_party_modules_keep_credentials_but_drop_code_patterns() {
        let sid = crate::testgen::fill("AC{hex32}", 11);
        let call = r#"fetch("https://api.twilio.com/2010-04-01/Accounts.json")"#;
        let bundle = format!(
            r#"(()=>{{var m={{"./node_modules/sdk/index.js":(e)=>{{{call};e.exports="{sid}"}},"./src/index.js":(e,t,n)=>{{{call}}}}};}})();"#
        );
        let report = scan(&bundle);
        let found: Vec<(&str, Option<&str>)> = report
            .findings
            .iter()
            .map(|f| (f.rule_id.as_str(), f.module.as_deref()))
            .collect();
        assert_eq!(
            found,
            vec![
                ("account-sid", Some("./node_modules/sdk/index.js")),
                ("direct-api-call", Some("./src/index.js")),
            ]
        );
        // Numeric ids (production) do not say where a module came from: every rule applies.
        let prod = format!(r#"(()=>{{var m={{12:(e)=>{{{call};e.exports="{sid}"}}}};}})();"#);
        assert_eq!(scan(&prod).findings.len(), 2);
    }

    #[test]
    fn excerpt_of_a_multi_megabyte_line_is_a_bounded_window() {
        let sid = crate::testgen::fill("AC{hex32}", 12);
        let filler: String = (0..40_000)
            .map(|i| format!("function f{i}(a,b){{return a*b+{i}}}"))
            .collect();
        let bundle = format!("{filler}var sid=\"{sid}\";{filler}");
        assert!(bundle.len() > 2_000_000 && !bundle.contains('\n'));
        let report = scan(&bundle);
        assert_eq!(report.findings.len(), 1);
        let excerpt = &report.findings[0].excerpt;
        assert!(excerpt.chars().count() < 300, "{} chars", excerpt.len());
        assert!(excerpt.contains("var sid=") && !excerpt.contains(&sid));
    }
}
