//! Constant folding: the string a JS expression is guaranteed to evaluate to, when the file
//! alone determines it. Bounded in depth and length so adversarial input stays linear.

use std::collections::HashMap;

use swc_ecma_ast::{BinaryOp, Expr, Lit, Pat, Tpl, VarDecl, VarDeclKind};
use swc_ecma_visit::{Visit, VisitWith};

/// Longest string folding will build; longer results are not folded (parts are still scanned).
pub const MAX_FOLDED_LEN: usize = 1 << 20;
/// Deepest chain of nested expressions and `const` indirections folding will follow.
pub const MAX_DEPTH: u32 = 48;
/// Folding work allowed per file (one unit per expression visited and per byte built), plus
/// [`BUDGET_PER_SOURCE_BYTE`] per source byte. Bounds bombs that stay within depth and length:
/// `const a1 = a0 + a0; const a2 = a1 + a1; …` expands exponentially, and a 1 MB constant used
/// at 2,000 sites is 2 GB of strings.
pub const BUDGET: usize = 1 << 20;
pub const BUDGET_PER_SOURCE_BYTE: usize = 8;

/// `const` bindings of a file whose initialiser may fold to a string. A name declared twice
/// (in different scopes) is ambiguous without scope analysis and is dropped.
#[derive(Default)]
pub struct Consts {
    bindings: HashMap<String, Option<Box<Expr>>>,
}

impl Consts {
    pub fn collect(program: &swc_ecma_ast::Program) -> Self {
        let mut consts = Consts::default();
        program.visit_with(&mut consts);
        consts
    }

    fn get(&self, name: &str) -> Option<&Expr> {
        self.bindings.get(name).and_then(|e| e.as_deref())
    }
}

impl Visit for Consts {
    fn visit_var_decl(&mut self, decl: &VarDecl) {
        if decl.kind == VarDeclKind::Const {
            for declarator in &decl.decls {
                if let (Pat::Ident(name), Some(init)) = (&declarator.name, &declarator.init) {
                    if may_fold(init) {
                        let key = name.id.sym.to_string();
                        let value = if self.bindings.contains_key(&key) {
                            None
                        } else {
                            Some(init.clone())
                        };
                        self.bindings.insert(key, value);
                    }
                }
            }
        }
        decl.visit_children_with(self);
    }
}

/// Cheap check before cloning an initialiser: only forms that can produce a string.
fn may_fold(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::Lit(Lit::Str(_)) | Expr::Tpl(_) | Expr::Bin(_) | Expr::Paren(_) | Expr::Ident(_)
    )
}

/// Folds expressions against a file's `const` bindings, within the file's work budget.
pub struct Folder<'a> {
    pub consts: &'a Consts,
    budget: std::cell::Cell<usize>,
}

impl<'a> Folder<'a> {
    /// A folder for a source of `source_len` bytes.
    pub fn new(consts: &'a Consts, source_len: usize) -> Self {
        Folder {
            consts,
            budget: std::cell::Cell::new(
                BUDGET.saturating_add(source_len.saturating_mul(BUDGET_PER_SOURCE_BYTE)),
            ),
        }
    }

    /// True once the budget ran out: later expressions were not folded (their parts were
    /// still scanned one by one).
    pub fn exhausted(&self) -> bool {
        self.budget.get() == 0
    }

    fn spend(&self, units: usize) -> bool {
        let left = self.budget.get();
        self.budget.set(left.saturating_sub(units));
        left >= units
    }

    pub fn fold(&self, expr: &Expr) -> Option<String> {
        let mut out = String::new();
        (self.fold_into(expr, 0, &mut out) && self.spend(out.len())).then_some(out)
    }

    fn fold_into(&self, expr: &Expr, depth: u32, out: &mut String) -> bool {
        if depth > MAX_DEPTH || out.len() > MAX_FOLDED_LEN || !self.spend(1) {
            return false;
        }
        match expr {
            Expr::Lit(Lit::Str(s)) => push_bounded(out, &str_value(s)),
            Expr::Lit(Lit::Num(n)) => push_bounded(out, &n.value.to_string()),
            Expr::Tpl(tpl) => self.fold_tpl(tpl, depth, out),
            Expr::Paren(p) => self.fold_into(&p.expr, depth + 1, out),
            Expr::Ident(ident) => match self.consts.get(&ident.sym) {
                Some(init) => self.fold_into(init, depth + 1, out),
                None => false,
            },
            Expr::Bin(bin) if bin.op == BinaryOp::Add => {
                // Flatten the left-leaning chain iteratively: `a + b + c + …` can be 100k long.
                let mut operands = vec![&*bin.right];
                let mut left = &*bin.left;
                while let Expr::Bin(inner) = left {
                    if inner.op != BinaryOp::Add {
                        break;
                    }
                    operands.push(&inner.right);
                    left = &inner.left;
                }
                operands.push(left);
                operands
                    .iter()
                    .rev()
                    .all(|operand| self.fold_into(operand, depth + 1, out))
            }
            _ => false,
        }
    }

    fn fold_tpl(&self, tpl: &Tpl, depth: u32, out: &mut String) -> bool {
        for (i, quasi) in tpl.quasis.iter().enumerate() {
            let Some(cooked) = &quasi.cooked else {
                return false;
            };
            if !push_bounded(out, &cooked.to_string_lossy()) {
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
