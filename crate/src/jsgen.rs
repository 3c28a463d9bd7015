//! A grammar-ish JavaScript generator driven by arbitrary bytes, for the `scan_js` fuzz target
//! and the adversarial tests: it turns fuzz input into mostly-valid plugin-like code (nesting,
//! escaped strings, concatenations, templates, `atob`/`fromCharCode`/`join` calls, JSX,
//! comments) with credential-shaped values built from the bytes and hidden in those forms.
//! Living in the crate lets regression tests replay a fuzz input byte for byte.

use base64::Engine as _;

/// Reads choices from the fuzz input; once the input is exhausted every choice is 0, so
/// generation always terminates.
struct Bytes<'a> {
    data: &'a [u8],
    budget: usize,
}

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }
    fn below(&mut self, n: usize) -> usize {
        self.byte() as usize % n.max(1)
    }
    fn done(&self) -> bool {
        self.data.is_empty() || self.budget == 0
    }
}

const IDENTS: &[&str] = &[
    "a", "sid", "token", "url", "b", "Flex", "manager", "_x", "$",
];
const SHAPES: &[(&str, &[u8])] = &[
    ("AC", b"0123456789abcdef"),
    ("SK", b"0123456789abcdef"),
    (
        "",
        b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    ),
];

/// Generate a program from `data` (deterministic; at most ~64 KiB of output for any input).
pub fn program(data: &[u8]) -> String {
    let mut g = Gen {
        bytes: Bytes { data, budget: 4000 },
        out: String::new(),
    };
    if g.bytes.below(8) == 0 {
        g.out.push_str("#!/usr/bin/env node\n");
    }
    while !g.bytes.done() && g.out.len() < 64 << 10 {
        g.statement(0);
        g.out.push('\n');
    }
    g.out
}

struct Gen<'a> {
    bytes: Bytes<'a>,
    out: String,
}

impl Gen<'_> {
    fn ident(&mut self) -> &'static str {
        IDENTS[self.bytes.below(IDENTS.len())]
    }

    /// A credential-shaped value whose characters come from the input.
    fn credential(&mut self) -> String {
        let (prefix, alphabet) = SHAPES[self.bytes.below(SHAPES.len())];
        let len = if self.bytes.below(4) == 0 {
            31 + self.bytes.below(4)
        } else {
            32
        };
        let mut value = prefix.to_string();
        for _ in 0..len {
            value.push(alphabet[self.bytes.below(alphabet.len())] as char);
        }
        value
    }

    fn statement(&mut self, depth: usize) {
        self.bytes.budget = self.bytes.budget.saturating_sub(1);
        let choice = if depth > 6 { 0 } else { self.bytes.below(12) };
        match choice {
            0 | 1 => {
                let kind = ["const", "let", "var"][self.bytes.below(3)];
                let name = self.ident();
                self.out.push_str(&format!("{kind} {name} = "));
                self.expr(depth + 1);
                self.out.push(';');
            }
            2 => {
                self.out.push_str("if (");
                self.expr(depth + 1);
                self.out.push_str(") {\n");
                self.statement(depth + 1);
                self.out.push_str("\n} else ");
                self.statement(depth + 1);
            }
            3 => {
                let name = self.ident();
                self.out.push_str(&format!("function {name}() {{ return "));
                self.expr(depth + 1);
                self.out.push_str("; }");
            }
            4 => {
                let text = self.text();
                if self.bytes.below(2) == 0 {
                    self.out
                        .push_str(&format!("// {}", text.replace(['\n', '\r'], " ")));
                } else {
                    self.out
                        .push_str(&format!("/* {} */", text.replace("*/", "* /")));
                }
            }
            5 => {
                let forms = [
                    "import x from './x.json' with { type: 'json' };",
                    "export default class P extends FlexPlugin { @dec init(flex, manager) {} }",
                    "await fetch('https://api.twilio.com/2010-04-01/Accounts');",
                    "export * as ns from 'mod';",
                    "label: for (const k of a) { continue label; }",
                    "let t: string = a as any; type T<U> = { [K in keyof U]?: U[K] };",
                    "function f(x: ?number): Array<string> { return []; }",
                    "class C { #p = 1; static { this.#p; } get v() { return this.#p; } }",
                ];
                let form = forms[self.bytes.below(forms.len())];
                self.out.push_str(form);
            }
            6 => {
                self.out.push_str("const C = () => ");
                self.jsx(depth + 1);
                self.out.push(';');
            }
            7 => {
                // A run of one wrapper: deep nesting, up to thousands of levels.
                let levels = self.bytes.byte() as usize * (1 + self.bytes.below(16));
                let (open, close) = [
                    ("(", ")"),
                    ("[", "]"),
                    ("{a:", "}"),
                    ("`${", "}`"),
                    ("!", ""),
                    ("-", ""),
                    ("a?b:", ""),
                    ("x=>", ""),
                    ("<b>", "</b>"),
                ][self.bytes.below(9)];
                let wrap_jsx = open.starts_with('<');
                self.out.push_str(if wrap_jsx { "x = <i>" } else { "x = " });
                self.out.push_str(&open.repeat(levels));
                self.out.push('1');
                self.out.push_str(&close.repeat(levels));
                self.out.push_str(if wrap_jsx { "</i>;" } else { ";" });
            }
            _ => {
                self.expr(depth + 1);
                self.out.push(';');
            }
        }
    }

    fn jsx(&mut self, depth: usize) {
        let tag = ["div", "Flex.View", "a", "Foo"][self.bytes.below(4)];
        self.out.push_str(&format!("<{tag} title="));
        self.string_literal();
        self.out.push_str(" data={");
        self.expr(depth + 1);
        self.out.push_str("}>");
        for _ in 0..self.bytes.below(3) {
            match self.bytes.below(3) {
                0 if depth < 8 => self.jsx(depth + 1),
                1 => {
                    self.out.push('{');
                    self.expr(depth + 1);
                    self.out.push('}');
                }
                _ => {
                    let text = self.text().replace(['<', '>', '{', '}'], " ");
                    self.out.push_str(&text);
                }
            }
        }
        self.out.push_str(&format!("</{tag}>"));
    }

    /// Raw text from the input (any characters), sometimes with a credential in it.
    fn text(&mut self) -> String {
        let mut text = String::new();
        for _ in 0..self.bytes.below(12) {
            let b = self.bytes.byte();
            match b {
                0..=9 => text.push_str(&self.credential()),
                10..=19 => {
                    text.push(['\u{2028}', '\u{feff}', 'é', '😀', '\r', '\\'][b as usize % 6])
                }
                _ => text.push(char::from(b.clamp(32, 126))),
            }
        }
        text
    }

    fn string_literal(&mut self) {
        let quote = ['\'', '"'][self.bytes.below(2)];
        let text = self.text();
        let mut literal = String::new();
        for c in text.chars() {
            match c {
                '\\' | '\'' | '"' => {
                    literal.push('\\');
                    literal.push(c)
                }
                '\r' => literal.push_str("\\r"),
                _ => literal.push(c),
            }
        }
        self.out.push(quote);
        self.out.push_str(&literal);
        self.out.push(quote);
    }

    /// A credential hidden in one of the forms folding must see through.
    fn hidden_credential(&mut self) {
        let value = self.credential();
        let form = self.bytes.below(8);
        let s = match form {
            0 => format!("'{value}'"),
            1 => {
                let cut = 1 + self.bytes.below(value.len() - 1);
                format!("'{}' + \"{}\"", &value[..cut], &value[cut..])
            }
            2 => format!(
                "atob('{}')",
                base64::engine::general_purpose::STANDARD.encode(&value)
            ),
            3 => {
                let codes: Vec<String> = value.bytes().map(|b| b.to_string()).collect();
                format!("String.fromCharCode({})", codes.join(", "))
            }
            4 => {
                let parts: Vec<String> = value
                    .as_bytes()
                    .chunks(1 + self.bytes.below(8))
                    .map(|c| format!("'{}'", String::from_utf8_lossy(c)))
                    .collect();
                format!("[{}].join('')", parts.join(", "))
            }
            5 => {
                let escaped: String = value.bytes().map(|b| format!("\\x{b:02x}")).collect();
                format!("\"{escaped}\"")
            }
            6 => {
                let cut = self.bytes.below(value.len());
                format!("`{}${{'{}'}}`", &value[..cut], &value[cut..])
            }
            _ => format!(
                "'{}'.split('').reverse().join('')",
                value.chars().rev().collect::<String>()
            ),
        };
        self.out.push_str(&s);
    }

    fn expr(&mut self, depth: usize) {
        self.bytes.budget = self.bytes.budget.saturating_sub(1);
        let choice = if depth > 10 || self.bytes.done() {
            self.bytes.below(3)
        } else {
            self.bytes.below(16)
        };
        match choice {
            0 => self.string_literal(),
            1 => self.hidden_credential(),
            2 => {
                let ident = self.ident();
                self.out.push_str(ident)
            }
            3 => {
                self.expr(depth + 1);
                self.out.push_str(" + ");
                self.expr(depth + 1);
            }
            4 => {
                self.out.push('`');
                let text = self.text().replace(['`', '$', '\\'], "_");
                self.out.push_str(&text);
                self.out.push_str("${");
                self.expr(depth + 1);
                self.out.push_str("}`");
            }
            5 => {
                let callee = [
                    "atob",
                    "btoa",
                    "fetch",
                    "String.fromCharCode",
                    "decodeURIComponent",
                    "Buffer.from",
                ][self.bytes.below(6)];
                self.out.push_str(callee);
                self.out.push('(');
                self.expr(depth + 1);
                self.out.push(')');
            }
            6 => {
                self.out.push('[');
                self.expr(depth + 1);
                self.out.push_str(", ");
                self.expr(depth + 1);
                self.out.push_str("].join(");
                self.expr(depth + 1);
                self.out.push(')');
            }
            7 => {
                self.out.push_str("{ accountSid: ");
                self.expr(depth + 1);
                self.out.push_str(", [k]: ");
                self.expr(depth + 1);
                self.out.push_str(" }");
            }
            8 => {
                self.out.push('(');
                self.expr(depth + 1);
                self.out.push(')');
            }
            9 => self.jsx(depth + 1),
            10 => {
                self.out.push_str("new XMLHttpRequest().open('POST', ");
                self.expr(depth + 1);
                self.out.push(')');
            }
            11 => {
                self.out.push_str("(x) => ");
                self.expr(depth + 1);
            }
            12 => {
                let n = self.bytes.byte();
                self.out.push_str(&format!("0x{n:x} / {n}e-3"));
            }
            13 => self.out.push_str("/[\\/]+(?<n>x)/giu"),
            _ => {
                // A garbage token now and then: the error paths are part of the surface.
                let junk = ["=>", "}", "<", "`", "'", "@", "#", "?.", "..."][self.bytes.below(9)];
                self.out.push_str(junk);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn deterministic_and_bounded() {
        let data: Vec<u8> = (0..20_000u32).map(|i| (i * 7919 % 251) as u8).collect();
        let a = super::program(&data);
        assert_eq!(a, super::program(&data));
        assert!(!a.is_empty() && a.len() < 200 << 10);
        assert!(super::program(&[]).len() < 64);
    }
}
