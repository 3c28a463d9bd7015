//! Constant folding: the string a JS expression is guaranteed to evaluate to, when the file
//! alone determines it. Bounded in depth, length and total work, so adversarial input stays
//! linear.
//!
//! Folded forms: string and number literals (escapes are cooked by swc), templates, `+` chains,
//! `const` bindings (through up to [`MAX_DEPTH`] levels), `a.concat(b, …)`, `[…].join(sep)`,
//! `s.split(sep)` / `.reverse()` feeding a join, `String.fromCharCode(…)`, `atob(…)`, `btoa(…)`,
//! `Buffer.from(s, enc).toString(enc)`, `decodeURIComponent(…)` / `decodeURI` / `unescape`,
//! `String(…)`, `s.toString()`, TypeScript `as`/`!`/`satisfies` wrappers, and
//! `process.env.X || "literal"` / `?? "literal"` (the literal is the value the file determines).

use rustc_hash::FxHashMap;
use std::cell::Cell;
use swc_atoms::Atom;

use base64::Engine as _;
use swc_ecma_ast::{
    BinaryOp, CallExpr, Callee, Expr, ExprOrSpread, Lit, MemberExpr, MemberProp, Pat, Tpl, VarDecl,
};
use swc_ecma_visit::{Visit, VisitWith};

/// Longest string folding will build; longer results are not folded (parts are still scanned).
pub const MAX_FOLDED_LEN: usize = 1 << 20;
/// Deepest chain of nested expressions and `const` indirections folding will follow.
pub const MAX_DEPTH: u32 = 48;
/// Work allowance per file, in AST nodes visited plus bytes produced by folding, on top of a
/// multiple of the source length. Once spent, nothing more folds (plain literals still scan).
pub const WORK_BASE: u64 = 4 << 20;
pub const WORK_PER_SOURCE_BYTE: u64 = 4;

/// Bindings of a file whose initialiser may fold to a string: `const`, and `let`/`var` that are
/// never assigned again. A name bound more than once anywhere in the file (another declaration,
/// a parameter, a destructuring, an assignment, `++`) is ambiguous without scope analysis and is
/// dropped. Collecting visits every binding of a multi-megabyte bundle, so names are atoms
/// (no allocation) and only initialisers built entirely of foldable forms are cloned.
#[derive(Default)]
pub struct Consts {
    /// `None` once a name is declared twice.
    bindings: FxHashMap<Atom, Option<Box<Expr>>>,
    /// How often each name is bound or assigned (only consulted while collecting).
    bound: FxHashMap<Atom, u32>,
    /// Class fields (`static baseUrl = \`https://${…}\``, `url = "…"`) by name, `None` once a
    /// name is a field of two classes. Read through `this.name`/`Class.name` by URL lookups only:
    /// a field can be reassigned, so it is never folded as a constant.
    fields: FxHashMap<Atom, Option<Box<Expr>>>,
    /// Declarations that may hold a URL the folder cannot fold (`${this.base}/x`,
    /// `process.env.X`), by name, when no binding of the name is reassigned: every initialiser
    /// (a name declared in each method of a class has several), for URL lookups only.
    url_declarations: FxHashMap<Atom, Vec<Expr>>,
    /// Object literals bound to a name (`const body = { a, b }`), each declaration with where
    /// it starts, when no binding of the name is reassigned and no property is set later: what
    /// a request sends when its body is such a local (see `http::payload`).
    local_objects: FxHashMap<Atom, Vec<LocalObject>>,
    /// Names whose object is changed after its declaration (`body.Token = …`,
    /// `Object.assign(body, …)`).
    mutated: rustc_hash::FxHashSet<Atom>,
    /// Names bound as a function parameter somewhere in the file.
    params: rustc_hash::FxHashSet<Atom>,
}

/// The keys of an object literal bound to a name (see `Consts::local_objects`).
#[derive(Debug)]
pub struct LocalObject {
    /// Where the declaration starts (source position, as swc counts it).
    pub at: u32,
    pub keys: Vec<Atom>,
    /// Spread sources: a name, or `None` for any other expression.
    pub spreads: Vec<Option<Atom>>,
    /// A computed key or a method: the keys are not all known.
    pub partial: bool,
}

/// Most properties of a local object kept (larger literals are data, not request bodies).
const MAX_OBJECT_KEYS: usize = 64;

/// Most declarations of one name kept for [`Consts::url_declarations`].
const MAX_DECLARATIONS: usize = 8;

impl Consts {
    pub fn collect(program: &swc_ecma_ast::Program) -> Self {
        let mut consts = Consts::default();
        program.visit_with(&mut consts);
        let bound = std::mem::take(&mut consts.bound);
        consts
            .bindings
            .retain(|name, init| init.is_some() && bound.get(name).copied().unwrap_or(0) <= 1);
        // Kept only when every binding of the name is one of these declarations.
        consts.url_declarations.retain(|name, inits| {
            inits.len() <= MAX_DECLARATIONS
                && bound.get(name).copied().unwrap_or(0) as usize == inits.len()
        });
        let mutated = std::mem::take(&mut consts.mutated);
        consts.local_objects.retain(|name, objects| {
            objects.len() <= MAX_DECLARATIONS
                && !mutated.contains(name)
                && bound.get(name).copied().unwrap_or(0) as usize == objects.len()
        });
        consts
    }

    /// The object literal `name` is bound to by its last declaration in `from..to` (source
    /// positions): the one a use at `to`, in a function starting at `from`, reads.
    pub fn local_object(&self, name: &Atom, from: u32, to: u32) -> Option<&LocalObject> {
        self.local_objects
            .get(name)?
            .iter()
            .filter(|o| (from..to).contains(&o.at))
            .max_by_key(|o| o.at)
    }

    /// Whether `name` is a function parameter somewhere in the file.
    pub fn is_param(&self, name: &Atom) -> bool {
        self.params.contains(name)
    }

    /// Every initialiser of a name whose declarations may hold a URL (see `url_declarations`).
    pub fn url_declarations(&self, name: &Atom) -> &[Expr] {
        self.url_declarations.get(name).map_or(&[], Vec::as_slice)
    }

    /// Record a class field's initialiser. A URL is often partly unknown
    /// (`https://${process.env.X}`): any string form is kept.
    fn record_field(&mut self, name: &Atom, value: &Expr) {
        let string_like = matches!(value, Expr::Lit(Lit::Str(_)) | Expr::Tpl(_))
            || matches!(value, Expr::Bin(bin) if bin.op == BinaryOp::Add);
        if string_like {
            self.fields
                .entry(name.clone())
                .and_modify(|seen| *seen = None)
                .or_insert_with(|| Some(Box::new(value.clone())));
        }
    }

    fn get(&self, name: &Atom) -> Option<&Expr> {
        self.bindings.get(name).and_then(|e| e.as_deref())
    }

    /// The initialiser of a class field of this name, when only one class has one.
    pub fn field(&self, name: &Atom) -> Option<&Expr> {
        self.fields.get(name).and_then(|e| e.as_deref())
    }

    /// Every class field of the file with a single initialiser.
    pub fn fields(&self) -> impl Iterator<Item = (&Atom, &Expr)> {
        self.fields
            .iter()
            .filter_map(|(name, init)| Some((name, init.as_deref()?)))
    }
}

impl Visit for Consts {
    fn visit_class_prop(&mut self, prop: &swc_ecma_ast::ClassProp) {
        if let (swc_ecma_ast::PropName::Ident(name), Some(value)) = (&prop.key, &prop.value) {
            self.record_field(&name.sym, value);
        }
        prop.visit_children_with(self);
    }

    /// `this.baseUrl = …` (in a constructor, typically) is a field of the class too.
    fn visit_assign_expr(&mut self, assign: &swc_ecma_ast::AssignExpr) {
        use swc_ecma_ast::{AssignTarget, SimpleAssignTarget};
        if let AssignTarget::Simple(SimpleAssignTarget::Member(member)) = &assign.left {
            if let Expr::Ident(object) = &*member.obj {
                self.mutated.insert(object.sym.clone());
            }
            if let (Expr::This(_), MemberProp::Ident(name)) = (&*member.obj, &member.prop) {
                self.record_field(&name.sym, &assign.right);
            }
        }
        assign.visit_children_with(self);
    }

    fn visit_call_expr(&mut self, call: &CallExpr) {
        // `Object.assign(body, extra)` changes `body`.
        if let Callee::Expr(callee) = &call.callee {
            if let Expr::Member(member) = &**callee {
                let assign = is_ident(&member.obj, "Object")
                    && matches!(&member.prop, MemberProp::Ident(p) if p.sym == *"assign");
                if let (true, Some(first)) = (assign, call.args.first()) {
                    if let Expr::Ident(target) = &*first.expr {
                        self.mutated.insert(target.sym.clone());
                    }
                }
            }
        }
        call.visit_children_with(self);
    }

    fn visit_param(&mut self, param: &swc_ecma_ast::Param) {
        if let Pat::Ident(ident) = &param.pat {
            self.params.insert(ident.id.sym.clone());
        }
        param.visit_children_with(self);
    }

    fn visit_arrow_expr(&mut self, arrow: &swc_ecma_ast::ArrowExpr) {
        for pat in &arrow.params {
            if let Pat::Ident(ident) = pat {
                self.params.insert(ident.id.sym.clone());
            }
        }
        arrow.visit_children_with(self);
    }

    fn visit_var_decl(&mut self, decl: &VarDecl) {
        for declarator in &decl.decls {
            if let (Pat::Ident(name), Some(Expr::Object(object))) =
                (&declarator.name, declarator.init.as_deref())
            {
                if object.props.len() <= MAX_OBJECT_KEYS {
                    let mut local = LocalObject {
                        at: declarator.span.lo.0,
                        keys: Vec::new(),
                        spreads: Vec::new(),
                        partial: false,
                    };
                    for prop in &object.props {
                        use swc_ecma_ast::{Prop, PropName, PropOrSpread};
                        match prop {
                            PropOrSpread::Spread(spread) => {
                                local.spreads.push(match &*spread.expr {
                                    Expr::Ident(ident) => Some(ident.sym.clone()),
                                    _ => None,
                                })
                            }
                            PropOrSpread::Prop(prop) => match &**prop {
                                Prop::Shorthand(ident) => local.keys.push(ident.sym.clone()),
                                Prop::KeyValue(kv) => match &kv.key {
                                    PropName::Ident(key) => local.keys.push(key.sym.clone()),
                                    PropName::Str(key) => {
                                        local.keys.push(key.value.to_string_lossy().into())
                                    }
                                    PropName::Num(_) => {}
                                    _ => local.partial = true,
                                },
                                _ => local.partial = true,
                            },
                        }
                    }
                    self.local_objects
                        .entry(name.id.sym.clone())
                        .or_default()
                        .push(local);
                }
            }
            if let (Pat::Ident(name), Some(init)) = (&declarator.name, &declarator.init) {
                if may_fold(init, 0) {
                    self.bindings
                        .entry(name.id.sym.clone())
                        .and_modify(|seen| *seen = None)
                        .or_insert_with(|| Some(init.clone()));
                }
                if may_hold_url(init) {
                    let inits = self
                        .url_declarations
                        .entry(name.id.sym.clone())
                        .or_default();
                    if inits.len() <= MAX_DECLARATIONS {
                        inits.push((**init).clone());
                    }
                }
            }
        }
        decl.visit_children_with(self);
    }

    /// Declarator names, parameters, destructuring targets and `x = …` targets.
    fn visit_binding_ident(&mut self, ident: &swc_ecma_ast::BindingIdent) {
        *self.bound.entry(ident.id.sym.clone()).or_default() += 1;
    }

    fn visit_update_expr(&mut self, update: &swc_ecma_ast::UpdateExpr) {
        if let Expr::Ident(ident) = &*update.arg {
            *self.bound.entry(ident.sym.clone()).or_default() += 2;
        }
        update.visit_children_with(self);
    }
}

/// An initialiser that a URL lookup may read through: a string form, or a member (an env var, a
/// class field) with a template or concatenation around it.
fn may_hold_url(expr: &Expr) -> bool {
    match expr {
        Expr::Lit(Lit::Str(_)) | Expr::Tpl(_) | Expr::Member(_) => true,
        Expr::Paren(p) => may_hold_url(&p.expr),
        // `new URL(path, base)`, `url.resolve(base, path)`.
        Expr::New(new) => matches!(&*new.callee, Expr::Ident(i) if &*i.sym == "URL"),
        Expr::Call(call) => matches!(&call.callee, swc_ecma_ast::Callee::Expr(callee)
            if matches!(&**callee, Expr::Member(m) if matches!(&m.prop, swc_ecma_ast::MemberProp::Ident(p) if &*p.sym == "resolve"))),
        Expr::Bin(bin) => matches!(
            bin.op,
            BinaryOp::Add | BinaryOp::LogicalOr | BinaryOp::NullishCoalescing
        ),
        _ => false,
    }
}

/// Cheap check before cloning an initialiser: built only of forms that can produce a string
/// (or an array of strings for `join`), judged without the other bindings. Deeper than a few
/// levels counts as foldable: the folder bounds it anyway.
fn may_fold(expr: &Expr, depth: u32) -> bool {
    if depth > 8 {
        return true;
    }
    let next = |e: &Expr| may_fold(e, depth + 1);
    match expr {
        Expr::Lit(Lit::Str(_) | Lit::Num(_)) | Expr::Ident(_) => true,
        Expr::Tpl(tpl) => tpl.exprs.iter().all(|e| next(e)),
        Expr::Paren(p) => next(&p.expr),
        Expr::TsAs(e) => next(&e.expr),
        Expr::TsConstAssertion(e) => next(&e.expr),
        Expr::TsNonNull(e) => next(&e.expr),
        Expr::TsSatisfies(e) => next(&e.expr),
        Expr::Bin(bin) if bin.op == BinaryOp::Add => next(&bin.left) && next(&bin.right),
        Expr::Bin(bin) if matches!(bin.op, BinaryOp::LogicalOr | BinaryOp::NullishCoalescing) => {
            is_env_read(&bin.left) && next(&bin.right)
        }
        // Arrays only when every element is a literal: short lists of parts, not data tables.
        Expr::Array(array) => {
            array.elems.len() <= 256
                && array.elems.iter().all(|e| {
                    e.as_ref().is_none_or(|e| {
                        e.spread.is_none()
                            && matches!(&*e.expr, Expr::Lit(Lit::Str(_) | Lit::Num(_)))
                    })
                })
        }
        Expr::Call(call) => folding_call(call).is_some(),
        _ => false,
    }
}

/// The folding form a call has, judged by its callee alone (no folding): the engine treats
/// such calls as string sites.
pub fn folding_call(call: &CallExpr) -> Option<&'static str> {
    let Callee::Expr(callee) = &call.callee else {
        return None;
    };
    match &**callee {
        Expr::Ident(ident) => match &*ident.sym {
            "atob" => Some("atob"),
            "btoa" => Some("btoa"),
            "decodeURIComponent" | "decodeURI" | "unescape" => Some("decodeURI"),
            "String" => Some("String"),
            _ => None,
        },
        Expr::Member(member) => {
            let MemberProp::Ident(prop) = &member.prop else {
                return None;
            };
            match &*prop.sym {
                "fromCharCode" if is_ident(&member.obj, "String") => Some("fromCharCode"),
                "atob" | "btoa" if is_global(&member.obj) => {
                    Some(if &*prop.sym == "atob" { "atob" } else { "btoa" })
                }
                "concat" => Some("concat"),
                "join" => Some("join"),
                "toString" => Some("toString"),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The operands of a `+` chain, left to right: `a + b + c` → `[a, b, c]`. Iterative, because a
/// left-leaning chain can be 100k deep; any other expression is its own single operand.
pub fn add_operands(expr: &Expr) -> Vec<&Expr> {
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
    operands
}

fn is_ident(expr: &Expr, name: &str) -> bool {
    matches!(expr, Expr::Ident(ident) if &*ident.sym == name)
}

fn is_global(expr: &Expr) -> bool {
    ["window", "self", "globalThis", "global"]
        .iter()
        .any(|g| is_ident(expr, g))
}

fn member_name(member: &MemberExpr) -> Option<&str> {
    match &member.prop {
        MemberProp::Ident(prop) => Some(&prop.sym),
        _ => None,
    }
}

/// `process.env.X`, `process.env["X"]`, `import.meta.env.X`: a value the build or runtime
/// supplies, so `env || "literal"` folds to the literal.
fn is_env_read(expr: &Expr) -> bool {
    let Expr::Member(member) = unparen(expr) else {
        return false;
    };
    match unparen(&member.obj) {
        Expr::Member(env) if member_name(env) == Some("env") => {
            is_ident(&env.obj, "process")
                || matches!(unparen(&env.obj), Expr::MetaProp(_))
                || matches!(&*env.obj, Expr::Member(m) if member_name(m) == Some("env"))
        }
        _ => false,
    }
}

fn unparen(expr: &Expr) -> &Expr {
    match expr {
        Expr::Paren(p) => unparen(&p.expr),
        _ => expr,
    }
}

/// Folds expressions against a file's `const` bindings, within the file's work budget.
pub struct Folder<'a> {
    pub consts: &'a Consts,
    /// Remaining work allowance (see [`WORK_BASE`]); shared by every fold of the file.
    budget: Cell<u64>,
}

impl<'a> Folder<'a> {
    pub fn new(consts: &'a Consts, source_len: usize) -> Self {
        Folder {
            consts,
            budget: Cell::new(WORK_BASE + WORK_PER_SOURCE_BYTE * source_len as u64),
        }
    }

    /// The initialiser of an unambiguous binding that may fold (read by rules that look
    /// through a binding without folding it, e.g. `const BASE = process.env.X || "…"`).
    pub fn binding(&self, name: &Atom) -> Option<&Expr> {
        self.consts.get(name)
    }

    pub fn fold(&self, expr: &Expr) -> Option<String> {
        let mut out = String::new();
        self.fold_into(expr, 0, &mut out).then_some(out)
    }

    /// The expression a value is assembled at: through parentheses and `const` names to the
    /// initialiser, so the same constant reached from several uses is reported once, where it
    /// is written.
    pub fn origin<'e>(&'e self, expr: &'e Expr) -> &'e Expr {
        let mut current = expr;
        for _ in 0..MAX_DEPTH {
            match current {
                Expr::Paren(p) => current = &p.expr,
                Expr::Ident(ident) => match self.consts.get(&ident.sym) {
                    Some(init) => current = init,
                    None => break,
                },
                _ => break,
            }
        }
        current
    }

    /// True once the work allowance is spent: later values were not folded.
    pub fn exhausted(&self) -> bool {
        self.budget.get() == 0
    }

    fn spend(&self, amount: u64) -> bool {
        let left = self.budget.get();
        if left < amount {
            self.budget.set(0);
            return false;
        }
        self.budget.set(left - amount);
        true
    }

    fn push(&self, out: &mut String, part: &str) -> bool {
        self.spend(part.len() as u64) && push_bounded(out, part)
    }

    fn fold_into(&self, expr: &Expr, depth: u32, out: &mut String) -> bool {
        if depth > MAX_DEPTH || out.len() > MAX_FOLDED_LEN || !self.spend(1) {
            return false;
        }
        match expr {
            Expr::Lit(Lit::Str(s)) => self.push(out, &str_value(s)),
            Expr::Lit(Lit::Num(n)) => self.push(out, &number_to_string(n.value)),
            Expr::Tpl(tpl) => self.fold_tpl(tpl, depth, out),
            Expr::Paren(p) => self.fold_into(&p.expr, depth + 1, out),
            Expr::TsAs(e) => self.fold_into(&e.expr, depth + 1, out),
            Expr::TsConstAssertion(e) => self.fold_into(&e.expr, depth + 1, out),
            Expr::TsNonNull(e) => self.fold_into(&e.expr, depth + 1, out),
            Expr::TsSatisfies(e) => self.fold_into(&e.expr, depth + 1, out),
            Expr::Ident(ident) => match self.consts.get(&ident.sym) {
                Some(init) => self.fold_into(init, depth + 1, out),
                None => false,
            },
            Expr::Bin(bin) if bin.op == BinaryOp::Add => add_operands(expr)
                .iter()
                .all(|operand| self.fold_into(operand, depth + 1, out)),
            Expr::Bin(bin)
                if matches!(bin.op, BinaryOp::LogicalOr | BinaryOp::NullishCoalescing)
                    && is_env_read(&bin.left) =>
            {
                self.fold_into(&bin.right, depth + 1, out)
            }
            Expr::Call(call) => self.fold_call(call, depth, out),
            _ => false,
        }
    }

    /// A sub-expression folded on its own (for decoders that transform their input).
    fn fold_part(&self, expr: &Expr, depth: u32) -> Option<String> {
        let mut part = String::new();
        self.fold_into(expr, depth + 1, &mut part).then_some(part)
    }

    fn fold_call(&self, call: &CallExpr, depth: u32, out: &mut String) -> bool {
        let Some(form) = folding_call(call) else {
            return false;
        };
        if call.args.iter().any(|a| a.spread.is_some()) {
            return false;
        }
        let arg = |i: usize| call.args.get(i).map(|a| &*a.expr);
        let decoded = match form {
            "atob" => arg(0)
                .and_then(|a| self.fold_part(a, depth))
                .and_then(|s| base64_decode(&s))
                .map(|bytes| latin1(&bytes)),
            "btoa" => arg(0)
                .and_then(|a| self.fold_part(a, depth))
                .filter(|s| s.chars().all(|c| (c as u32) < 256))
                .map(|s| {
                    let bytes: Vec<u8> = s.chars().map(|c| c as u32 as u8).collect();
                    base64::engine::general_purpose::STANDARD.encode(bytes)
                }),
            "decodeURI" => arg(0)
                .and_then(|a| self.fold_part(a, depth))
                .and_then(|s| percent_decode(&s)),
            "String" => arg(0).and_then(|a| self.fold_part(a, depth)),
            "fromCharCode" => {
                let mut s = String::new();
                for a in &call.args {
                    if !self.spend(1) {
                        return false;
                    }
                    let Some(c) = char_code(&a.expr) else {
                        return false;
                    };
                    s.push(c);
                }
                Some(s)
            }
            "concat" | "join" | "toString" => {
                let Callee::Expr(callee) = &call.callee else {
                    return false;
                };
                let Expr::Member(member) = &**callee else {
                    return false;
                };
                match form {
                    "concat" => self.fold_concat(&member.obj, &call.args, depth),
                    "join" => self.fold_join(&member.obj, arg(0), depth),
                    _ => self.fold_to_string(&member.obj, arg(0), depth),
                }
            }
            _ => None,
        };
        match decoded {
            Some(s) => self.push(out, &s),
            None => false,
        }
    }

    fn fold_concat(&self, receiver: &Expr, args: &[ExprOrSpread], depth: u32) -> Option<String> {
        let mut s = self.fold_part(receiver, depth)?;
        for a in args {
            if !self.fold_into(&a.expr, depth + 1, &mut s) {
                return None;
            }
        }
        Some(s)
    }

    fn fold_join(&self, receiver: &Expr, sep: Option<&Expr>, depth: u32) -> Option<String> {
        let sep = match sep {
            None => ",".to_string(),
            Some(e) => self.fold_part(e, depth)?,
        };
        let parts = self.fold_array(receiver, depth + 1)?;
        let total: usize = parts.iter().map(String::len).sum::<usize>()
            + sep.len() * parts.len().saturating_sub(1);
        if total > MAX_FOLDED_LEN || !self.spend(total as u64) {
            return None;
        }
        Some(parts.join(&sep))
    }

    /// The strings of an array the file determines: literals, `const` arrays, `s.split(sep)`,
    /// and `.reverse()` of those.
    fn fold_array(&self, expr: &Expr, depth: u32) -> Option<Vec<String>> {
        if depth > MAX_DEPTH || !self.spend(1) {
            return None;
        }
        match expr {
            Expr::Paren(p) => self.fold_array(&p.expr, depth + 1),
            Expr::Ident(ident) => self.fold_array(self.consts.get(&ident.sym)?, depth + 1),
            Expr::Array(array) => array
                .elems
                .iter()
                .map(|e| match e {
                    None => Some(String::new()),
                    Some(e) if e.spread.is_some() => None,
                    Some(e) => match &*e.expr {
                        Expr::Lit(Lit::Null(_)) => Some(String::new()),
                        Expr::Ident(i) if &*i.sym == "undefined" => Some(String::new()),
                        other => self.fold_part(other, depth),
                    },
                })
                .collect(),
            Expr::Call(call) => {
                let Callee::Expr(callee) = &call.callee else {
                    return None;
                };
                let Expr::Member(member) = &**callee else {
                    return None;
                };
                match member_name(member)? {
                    "reverse" if call.args.is_empty() => {
                        let mut parts = self.fold_array(&member.obj, depth + 1)?;
                        parts.reverse();
                        Some(parts)
                    }
                    "split" if call.args.len() == 1 && call.args[0].spread.is_none() => {
                        let s = self.fold_part(&member.obj, depth)?;
                        let sep = self.fold_part(&call.args[0].expr, depth)?;
                        if !self.spend(s.len() as u64) {
                            return None;
                        }
                        Some(if sep.is_empty() {
                            // JS splits into UTF-16 code units; chars agree for the BMP.
                            s.chars().map(String::from).collect()
                        } else {
                            s.split(sep.as_str()).map(String::from).collect()
                        })
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// `s.toString()` of a string, and `Buffer.from(s, enc).toString(enc)`.
    fn fold_to_string(&self, receiver: &Expr, enc: Option<&Expr>, depth: u32) -> Option<String> {
        let out_enc = match enc {
            None => "utf8".to_string(),
            Some(e) => self.fold_part(e, depth)?.to_ascii_lowercase(),
        };
        if let Expr::Call(call) = unparen(receiver) {
            if let Some(bytes) = self.buffer_from(call, depth) {
                return match out_enc.as_str() {
                    "utf8" | "utf-8" => Some(String::from_utf8_lossy(&bytes).into_owned()),
                    "latin1" | "binary" | "ascii" => Some(latin1(&bytes)),
                    "base64" => Some(base64::engine::general_purpose::STANDARD.encode(&bytes)),
                    "hex" => Some(bytes.iter().map(|b| format!("{b:02x}")).collect()),
                    _ => None,
                };
            }
        }
        if enc.is_some() {
            return None;
        }
        self.fold_part(receiver, depth)
    }

    /// The bytes of `Buffer.from(s)` / `Buffer.from(s, "base64" | "hex" | "utf8" | …)`.
    fn buffer_from(&self, call: &CallExpr, depth: u32) -> Option<Vec<u8>> {
        let Callee::Expr(callee) = &call.callee else {
            return None;
        };
        let Expr::Member(member) = &**callee else {
            return None;
        };
        if member_name(member) != Some("from") || !is_ident(&member.obj, "Buffer") {
            return None;
        }
        if call.args.iter().any(|a| a.spread.is_some()) {
            return None;
        }
        let input = self.fold_part(&call.args.first()?.expr, depth)?;
        let enc = match call.args.get(1) {
            None => "utf8".to_string(),
            Some(e) => self.fold_part(&e.expr, depth)?.to_ascii_lowercase(),
        };
        match enc.as_str() {
            "utf8" | "utf-8" => Some(input.into_bytes()),
            "base64" | "base64url" => base64_decode(&input),
            "hex" => hex_decode(&input),
            "latin1" | "binary" | "ascii" => Some(input.chars().map(|c| c as u32 as u8).collect()),
            _ => None,
        }
    }

    fn fold_tpl(&self, tpl: &Tpl, depth: u32, out: &mut String) -> bool {
        for (i, quasi) in tpl.quasis.iter().enumerate() {
            let Some(cooked) = &quasi.cooked else {
                return false;
            };
            if !self.push(out, &cooked.to_string_lossy()) {
                return false;
            }
            if let Some(expr) = tpl.exprs.get(i) {
                if !self.fold_into(expr, depth + 1, out) {
                    return false;
                }
            }
        }
        true
    }
}

pub fn str_value(s: &swc_ecma_ast::Str) -> std::borrow::Cow<'_, str> {
    s.value.to_string_lossy()
}

fn push_bounded(out: &mut String, part: &str) -> bool {
    if out.len() + part.len() > MAX_FOLDED_LEN {
        return false;
    }
    out.push_str(part);
    true
}

/// JS `Number.prototype.toString` for the values folding meets (integers, simple decimals).
fn number_to_string(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e21 {
        format!("{}", n as i128)
    } else {
        n.to_string()
    }
}

/// A `String.fromCharCode` argument: an integer literal that is a BMP code point.
fn char_code(expr: &Expr) -> Option<char> {
    let Expr::Lit(Lit::Num(n)) = unparen(expr) else {
        return None;
    };
    if n.value.fract() != 0.0 || !(0.0..=65535.0).contains(&n.value) {
        return None;
    }
    char::from_u32(n.value as u32)
}

/// Forgiving base64 (as `atob` and `Buffer.from(…, "base64")`): standard or URL-safe
/// alphabet, padding optional, ASCII whitespace ignored.
pub fn base64_decode(input: &str) -> Option<Vec<u8>> {
    use base64::engine::{general_purpose::GeneralPurpose, GeneralPurposeConfig};
    const CONFIG: GeneralPurposeConfig = GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true);
    const STANDARD: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::STANDARD, CONFIG);
    const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::URL_SAFE, CONFIG);
    let cleaned: String = input.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if cleaned.contains(['-', '_']) {
        URL_SAFE.decode(cleaned).ok()
    } else {
        STANDARD.decode(cleaned).ok()
    }
}

fn hex_decode(input: &str) -> Option<Vec<u8>> {
    if !input.len().is_multiple_of(2) {
        return None;
    }
    (0..input.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(input.get(i..i + 2)?, 16).ok())
        .collect()
}

fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| b as char).collect()
}

/// `decodeURIComponent`: `%XX` sequences decoded as UTF-8; malformed input does not fold
/// (JS would throw).
fn percent_decode(input: &str) -> Option<String> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = input.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests;
