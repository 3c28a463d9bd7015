//! The file-facts stage: what one file offers other files and what it takes from them, as a
//! serialisable summary. The project stage (`project.rs`) resolves the summaries of a whole
//! repository and hands each file the values its imports resolve to.
//!
//! A summary holds no credential: exported strings are kept only when they read as a URL or
//! a path (what cross-file checks need), and a summary is never printed.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};
use swc_ecma_ast::{
    AssignExpr, AssignTarget, CallExpr, Callee, Decl, DefaultDecl, ExportSpecifier, Expr,
    ImportDecl, ImportSpecifier, Lit, MemberExpr, MemberProp, ModuleDecl, ModuleExportName,
    ObjectLit, ObjectPatProp, Pat, Prop, PropOrSpread, SimpleAssignTarget, VarDeclarator,
};
use swc_ecma_visit::{Visit, VisitWith};

use crate::fold::Folder;
use crate::parse::LineIndex;

/// A value one file gives another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub enum Value {
    /// A constant URL or path.
    Url { value: String },
    /// An object of such values (`ENDPOINTS`, a config module's exports).
    Object {
        #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, Value>"))]
        fields: BTreeMap<String, Value>,
    },
    /// A function that Function handlers are wrapped with, and whether it applies the Flex
    /// token validator (directly, or through a wrapper it imports: `through`, local names).
    Wrapper {
        validates: bool,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        through: Vec<String>,
    },
}

/// One thing a file exports, and the line it is defined on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct Export {
    pub value: Value,
    pub line: u32,
}

/// What an import binds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub enum Imported {
    /// One export by name.
    Named { name: String },
    /// The default export (`import x from`), or `module.exports` as a whole for CommonJS.
    Default,
    /// All exports as an object (`import * as ns`, `const ns = require(…)`).
    Namespace,
}

/// One import: the local name, where from, and what it binds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct Import {
    pub local: String,
    /// As written (`./config`, `@/utils/http`), or `functions:<key>` for a Twilio Runtime
    /// require (`Runtime.getFunctions()['<key>'].path`).
    pub specifier: String,
    pub imported: Imported,
    pub line: u32,
}

/// The facts of one file that other files can use.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct FileSummary {
    /// Where the file runs.
    pub runtime: Option<crate::Runtime>,
    /// Exports by name; `default` is the default export (or `module.exports = …`).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, Export>"))]
    pub exports: BTreeMap<String, Export>,
    pub imports: Vec<Import>,
    /// A check met what only the project can resolve (a request URL without a host in this
    /// file, a handler wrapper defined elsewhere): linting the file again with its context may
    /// change its findings. Files without it keep their first report.
    #[serde(default)]
    pub needs_context: bool,
}

const VALIDATOR_MODULE: &str = "twilio-flex-token-validator";
/// Longest URL kept in a summary.
const MAX_URL: usize = 2048;
/// Most fields kept of one exported object, and deepest nesting.
const MAX_FIELDS: usize = 256;
const MAX_OBJECT_DEPTH: u32 = 4;

/// A string worth carrying across files: a URL or a path, never anything else.
fn url_like(value: &str) -> bool {
    let lower = value.get(..8).unwrap_or(value).to_ascii_lowercase();
    value.len() <= MAX_URL
        && !value.chars().any(char::is_whitespace)
        && (lower.starts_with("https://")
            || lower.starts_with("http://")
            || value.starts_with('/')
            || value.ends_with(".twil.io")
            || value.contains(".twil.io/"))
        && !value.contains('@')
}

/// Summarise a parsed file. `folder` folds constants as the rules saw them. Handler wrappers are
/// recorded only for Function code (`functions`): only Function handlers are wrapped.
pub fn summarize(
    program: &swc_ecma_ast::Program,
    folder: &Folder,
    base: u32,
    index: &LineIndex,
    functions: bool,
) -> FileSummary {
    let mut collector = Collector {
        folder,
        base,
        index,
        summary: FileSummary::default(),
        validator_names: HashSet::new(),
        functions: BTreeMap::new(),
        local_values: BTreeMap::new(),
        exported_functions: Vec::new(),
        calls: Vec::new(),
    };
    program.visit_with(&mut collector);
    if !functions {
        collector.exported_functions.clear();
    }
    // Class fields that hold a URL (`this.functionsBase = "https://…"`): a subclass in another
    // module reads them as `this.functionsBase`.
    for (name, init) in folder.consts.fields() {
        if let Some(value) = collector.value_of(init, 0) {
            let line = 1;
            collector
                .summary
                .exports
                .insert(format!("this.{name}"), Export { value, line });
        }
    }
    collector.finish()
}

struct Collector<'a, 'f> {
    folder: &'a Folder<'f>,
    base: u32,
    index: &'a LineIndex<'a>,
    summary: FileSummary,
    /// Local names bound to the validator (`functionValidator`, `TokenValidator`, …).
    validator_names: HashSet<String>,
    /// Local functions by name: their byte range.
    functions: BTreeMap<String, (u32, u32)>,
    /// Local objects of URLs (`const ENDPOINTS = {…}`), which the folder does not hold.
    local_values: BTreeMap<String, Value>,
    /// Exported names whose value is a function, with its byte range or local name.
    exported_functions: Vec<(String, FunctionRef, u32)>,
    /// Every call: callee (a local name, or `.functionValidator` for a member call) and position.
    calls: Vec<(String, u32)>,
}

enum FunctionRef {
    Range(u32, u32),
    Local(String),
}

impl Collector<'_, '_> {
    fn line(&self, pos: swc_common::BytePos) -> u32 {
        let offset = pos.0.saturating_sub(self.base) as usize;
        self.index.position(offset).0
    }

    fn range(&self, span: swc_common::Span) -> (u32, u32) {
        (
            span.lo.0.saturating_sub(self.base),
            span.hi.0.saturating_sub(self.base),
        )
    }

    fn value_of(&self, expr: &Expr, depth: u32) -> Option<Value> {
        match expr {
            Expr::Paren(p) => self.value_of(&p.expr, depth),
            Expr::Object(object) if depth < MAX_OBJECT_DEPTH => self.object_value(object, depth),
            Expr::Ident(ident) => match self.folder.binding(&ident.sym) {
                Some(init) => self.value_of(init, depth + 1),
                None => self.local_values.get(&*ident.sym).cloned(),
            },
            _ => {
                let value = self.folder.fold(expr)?;
                url_like(&value).then_some(Value::Url { value })
            }
        }
    }

    fn object_value(&self, object: &ObjectLit, depth: u32) -> Option<Value> {
        let mut fields = BTreeMap::new();
        for prop in object.props.iter().take(MAX_FIELDS) {
            let PropOrSpread::Prop(prop) = prop else {
                continue;
            };
            match &**prop {
                Prop::KeyValue(kv) => {
                    let Some(key) = crate::http::key_name(&kv.key) else {
                        continue;
                    };
                    if let Some(value) = self.value_of(&kv.value, depth + 1) {
                        fields.insert(key.into_owned(), value);
                    }
                }
                Prop::Shorthand(ident) => {
                    if let Some(value) = self.value_of(&Expr::Ident(ident.clone()), depth + 1) {
                        fields.insert(ident.sym.to_string(), value);
                    }
                }
                _ => {}
            }
        }
        (!fields.is_empty()).then_some(Value::Object { fields })
    }

    fn export(&mut self, name: String, value: &Expr, line: u32) {
        match unparen(value) {
            Expr::Arrow(arrow) => {
                let (start, end) = self.range(arrow.span);
                self.exported_functions
                    .push((name, FunctionRef::Range(start, end), line));
            }
            Expr::Fn(function) => {
                let (start, end) = self.range(function.function.span);
                self.exported_functions
                    .push((name, FunctionRef::Range(start, end), line));
            }
            Expr::Ident(ident)
                if self.folder.binding(&ident.sym).is_none()
                    && !self.local_values.contains_key(&*ident.sym) =>
            {
                self.exported_functions.push((
                    name,
                    FunctionRef::Local(ident.sym.to_string()),
                    line,
                ));
            }
            Expr::Object(object) if name == "default" => {
                // `module.exports = { a, b: … }`: each field is an export too.
                for prop in &object.props {
                    let PropOrSpread::Prop(prop) = prop else {
                        continue;
                    };
                    match &**prop {
                        Prop::KeyValue(kv) => {
                            if let Some(key) = crate::http::key_name(&kv.key) {
                                self.export(key.into_owned(), &kv.value, line);
                            }
                        }
                        Prop::Shorthand(ident) => {
                            self.export(ident.sym.to_string(), &Expr::Ident(ident.clone()), line)
                        }
                        _ => {}
                    }
                }
                if let Some(value) = self.value_of(value, 0) {
                    self.summary.exports.insert(name, Export { value, line });
                }
            }
            other => {
                if let Some(value) = self.value_of(other, 0) {
                    self.summary.exports.insert(name, Export { value, line });
                }
            }
        }
    }

    fn import(&mut self, local: &str, specifier: String, imported: Imported, line: u32) {
        // Packages are not files of the project: only paths and Runtime requires are followed.
        let followed = specifier.starts_with('.')
            || specifier.starts_with('/')
            || specifier.starts_with("functions:")
            || specifier.starts_with("assets:");
        if specifier != VALIDATOR_MODULE && !followed {
            return;
        }
        if specifier == VALIDATOR_MODULE {
            let is_validator = match &imported {
                Imported::Named { name } => name == "functionValidator" || name == "validator",
                _ => false,
            };
            if is_validator {
                self.validator_names.insert(local.to_string());
            }
            return;
        }
        self.summary.imports.push(Import {
            local: local.to_string(),
            specifier,
            imported,
            line,
        });
    }

    /// Binding patterns of `const … = require(…)` and friends.
    fn require_binding(&mut self, pat: &Pat, specifier: String, member: Option<String>, line: u32) {
        match (pat, member) {
            (Pat::Ident(ident), Some(name)) => {
                self.import(&ident.id.sym, specifier, Imported::Named { name }, line)
            }
            (Pat::Ident(ident), None) => {
                self.import(&ident.id.sym, specifier, Imported::Namespace, line)
            }
            (Pat::Object(object), None) => {
                for prop in &object.props {
                    match prop {
                        ObjectPatProp::Assign(assign) => {
                            let name = assign.key.sym.to_string();
                            self.import(
                                &assign.key.sym,
                                specifier.clone(),
                                Imported::Named { name },
                                line,
                            );
                        }
                        ObjectPatProp::KeyValue(kv) => {
                            let (Some(name), Pat::Ident(local)) =
                                (crate::http::key_name(&kv.key), &*kv.value)
                            else {
                                continue;
                            };
                            let name = name.into_owned();
                            self.import(
                                &local.id.sym,
                                specifier.clone(),
                                Imported::Named { name },
                                line,
                            );
                        }
                        ObjectPatProp::Rest(_) => {}
                    }
                }
            }
            _ => {}
        }
    }

    fn finish(mut self) -> FileSummary {
        let validates = |range: (u32, u32), calls: &[(String, u32)], names: &HashSet<String>| {
            calls.iter().any(|(callee, at)| {
                (range.0..range.1).contains(at)
                    && (names.contains(callee) || callee == ".functionValidator")
            })
        };
        let imported: HashSet<&str> = self
            .summary
            .imports
            .iter()
            .map(|i| i.local.as_str())
            .collect();
        for (name, function, line) in &self.exported_functions {
            let range = match function {
                FunctionRef::Range(start, end) => (*start, *end),
                FunctionRef::Local(local) => match self.functions.get(local) {
                    Some(range) => *range,
                    None => {
                        // An imported wrapper re-exported: it validates when its source does.
                        if imported.contains(local.as_str()) {
                            let value = Value::Wrapper {
                                validates: false,
                                through: vec![local.clone()],
                            };
                            self.summary
                                .exports
                                .insert(name.clone(), Export { value, line: *line });
                        }
                        continue;
                    }
                },
            };
            let mut through: Vec<String> = self
                .calls
                .iter()
                .filter(|(callee, at)| {
                    (range.0..range.1).contains(at) && imported.contains(callee.as_str())
                })
                .map(|(callee, _)| callee.clone())
                .collect();
            through.sort();
            through.dedup();
            let value = Value::Wrapper {
                validates: validates(range, &self.calls, &self.validator_names),
                through,
            };
            self.summary
                .exports
                .insert(name.clone(), Export { value, line: *line });
        }
        self.summary
    }
}

fn unparen(expr: &Expr) -> &Expr {
    match expr {
        Expr::Paren(p) => unparen(&p.expr),
        Expr::TsAs(e) => unparen(&e.expr),
        // `<typeof Helpers>require(…)`.
        Expr::TsTypeAssertion(e) => unparen(&e.expr),
        Expr::TsNonNull(e) => unparen(&e.expr),
        _ => expr,
    }
}

/// `require("x")`, `require(Runtime.getFunctions()["key"].path)`: the specifier.
fn required(expr: &Expr, folder: &Folder) -> Option<String> {
    let Expr::Call(call) = unparen(expr) else {
        return None;
    };
    let Callee::Expr(callee) = &call.callee else {
        return None;
    };
    if !matches!(&**callee, Expr::Ident(i) if i.sym == *"require") {
        return None;
    }
    let arg = &call.args.first()?.expr;
    if let Some(text) = folder.fold(arg) {
        return Some(text);
    }
    runtime_path(arg, folder)
}

/// `Runtime.getFunctions()["key"].path` → `functions:key`; `Runtime.getAssets()["/x.js"].path`
/// → `assets:/x.js`.
fn runtime_path(expr: &Expr, folder: &Folder) -> Option<String> {
    let Expr::Member(path) = unparen(expr) else {
        return None;
    };
    if !matches!(&path.prop, MemberProp::Ident(p) if p.sym == *"path") {
        return None;
    }
    let Expr::Member(entry) = unparen(&path.obj) else {
        return None;
    };
    let MemberProp::Computed(key) = &entry.prop else {
        return None;
    };
    let key = folder.fold(&key.expr)?;
    let Expr::Call(call) = unparen(&entry.obj) else {
        return None;
    };
    let Callee::Expr(callee) = &call.callee else {
        return None;
    };
    let Expr::Member(getter) = &**callee else {
        return None;
    };
    let is_runtime = matches!(&*getter.obj, Expr::Ident(i) if i.sym == *"Runtime");
    match &getter.prop {
        MemberProp::Ident(p) if is_runtime && p.sym == *"getFunctions" => {
            Some(format!("functions:{key}"))
        }
        MemberProp::Ident(p) if is_runtime && p.sym == *"getAssets" => {
            Some(format!("assets:{key}"))
        }
        _ => None,
    }
}

fn export_name(name: &ModuleExportName) -> String {
    match name {
        ModuleExportName::Ident(i) => i.sym.to_string(),
        ModuleExportName::Str(s) => s.value.to_string_lossy().into_owned(),
    }
}

/// `exports.x`, `module.exports.x` → `x`; `module.exports` → `default`.
fn exports_target(member: &MemberExpr) -> Option<String> {
    let is_module_exports = |e: &Expr| {
        matches!(e, Expr::Member(m)
            if matches!(&*m.obj, Expr::Ident(i) if i.sym == *"module")
            && matches!(&m.prop, MemberProp::Ident(p) if p.sym == *"exports"))
    };
    let prop = match &member.prop {
        MemberProp::Ident(p) => p.sym.to_string(),
        _ => return None,
    };
    match &*member.obj {
        Expr::Ident(i) if i.sym == *"exports" => Some(prop),
        Expr::Ident(i) if i.sym == *"module" && prop == "exports" => Some("default".into()),
        obj if is_module_exports(obj) => Some(prop),
        _ => None,
    }
}

impl Visit for Collector<'_, '_> {
    fn visit_import_decl(&mut self, import: &ImportDecl) {
        if import.type_only {
            return;
        }
        let specifier = import.src.value.to_string_lossy().into_owned();
        let line = self.line(import.span.lo);
        for spec in &import.specifiers {
            match spec {
                ImportSpecifier::Named(named) => {
                    let name = named
                        .imported
                        .as_ref()
                        .map(export_name)
                        .unwrap_or_else(|| named.local.sym.to_string());
                    self.import(
                        &named.local.sym,
                        specifier.clone(),
                        Imported::Named { name },
                        line,
                    );
                }
                ImportSpecifier::Default(default) => self.import(
                    &default.local.sym,
                    specifier.clone(),
                    Imported::Default,
                    line,
                ),
                ImportSpecifier::Namespace(ns) => {
                    self.import(&ns.local.sym, specifier.clone(), Imported::Namespace, line)
                }
            }
        }
    }

    fn visit_module_decl(&mut self, decl: &ModuleDecl) {
        let line = self.line(swc_common::Spanned::span(decl).lo);
        match decl {
            ModuleDecl::ExportDecl(export) => match &export.decl {
                Decl::Var(var) => {
                    for declarator in &var.decls {
                        if let (Pat::Ident(name), Some(init)) = (&declarator.name, &declarator.init)
                        {
                            self.export(name.id.sym.to_string(), init, line);
                        }
                    }
                }
                Decl::Fn(function) => {
                    let range = self.range(function.function.span);
                    self.functions.insert(function.ident.sym.to_string(), range);
                    let name = function.ident.sym.to_string();
                    self.exported_functions
                        .push((name.clone(), FunctionRef::Local(name), line));
                }
                _ => {}
            },
            ModuleDecl::ExportDefaultExpr(export) => {
                self.export("default".into(), &export.expr, line)
            }
            ModuleDecl::ExportDefaultDecl(export) => {
                if let DefaultDecl::Fn(function) = &export.decl {
                    let range = self.range(function.function.span);
                    self.exported_functions.push((
                        "default".into(),
                        FunctionRef::Range(range.0, range.1),
                        line,
                    ));
                }
            }
            ModuleDecl::ExportNamed(named) if named.src.is_none() => {
                for spec in &named.specifiers {
                    if let ExportSpecifier::Named(spec) = spec {
                        let local = export_name(&spec.orig);
                        let exported = spec
                            .exported
                            .as_ref()
                            .map(export_name)
                            .unwrap_or(local.clone());
                        let ident =
                            swc_ecma_ast::Ident::new_no_ctxt(local.into(), Default::default());
                        self.export(exported, &Expr::Ident(ident), line);
                    }
                }
            }
            _ => {}
        }
        decl.visit_children_with(self);
    }

    fn visit_fn_decl(&mut self, function: &swc_ecma_ast::FnDecl) {
        let range = self.range(function.function.span);
        self.functions.insert(function.ident.sym.to_string(), range);
        function.visit_children_with(self);
    }

    fn visit_var_declarator(&mut self, declarator: &VarDeclarator) {
        if let Some(init) = &declarator.init {
            let line = self.line(declarator.span.lo);
            let init = unparen(init);
            // `const x = require("m")`, `const { a } = require("m")`, `const a = require("m").a`.
            if let Some(specifier) = required(init, self.folder) {
                self.require_binding(&declarator.name, specifier, None, line);
            } else if let Expr::Member(member) = init {
                if let (Some(specifier), MemberProp::Ident(prop)) =
                    (required(&member.obj, self.folder), &member.prop)
                {
                    let name = prop.sym.to_string();
                    self.require_binding(&declarator.name, specifier, Some(name), line);
                }
            }
            match (&declarator.name, init) {
                (Pat::Ident(name), Expr::Arrow(_) | Expr::Fn(_)) => {
                    let range = self.range(swc_common::Spanned::span(init));
                    self.functions.insert(name.id.sym.to_string(), range);
                }
                (Pat::Ident(name), Expr::Object(object)) => {
                    if let Some(value) = self.object_value(object, 0) {
                        self.local_values.insert(name.id.sym.to_string(), value);
                    }
                }
                _ => {}
            }
        }
        declarator.visit_children_with(self);
    }

    fn visit_assign_expr(&mut self, assign: &AssignExpr) {
        if let AssignTarget::Simple(SimpleAssignTarget::Member(member)) = &assign.left {
            if let Some(name) = exports_target(member) {
                let line = self.line(assign.span.lo);
                self.export(name, &assign.right, line);
            }
        }
        assign.visit_children_with(self);
    }

    fn visit_call_expr(&mut self, call: &CallExpr) {
        if let Callee::Expr(callee) = &call.callee {
            let at = call.span.lo.0.saturating_sub(self.base);
            match unparen(callee) {
                Expr::Ident(ident) => self.calls.push((ident.sym.to_string(), at)),
                Expr::Member(member) => {
                    if let MemberProp::Ident(prop) = &member.prop {
                        if prop.sym == *"functionValidator" {
                            self.calls.push((".functionValidator".into(), at));
                        } else if let Expr::Ident(obj) = &*member.obj {
                            // `helpers.prepareFlexFunction(…)`: through a namespace import.
                            self.calls.push((format!("{}.{}", obj.sym, prop.sym), at));
                            self.calls.push((obj.sym.to_string(), at));
                        }
                    }
                }
                _ => {}
            }
        }
        call.visit_children_with(self);
    }

    fn visit_lit(&mut self, _lit: &Lit) {}
}
