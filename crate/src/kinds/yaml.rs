//! YAML through `saphyr-parser` (pure Rust, the parser of the maintained `saphyr` project; it
//! builds for wasm32): mappings become object literals and sequences arrays, with spans in
//! the file, so `api_secret: …` or `twilio: { authToken: … }` meet the rules' key context.
//! The tree is built from the parser's events without recursion; aliases are expanded within
//! a budget, so that a "billion laughs" file ends with a `limit` note, not exhausted memory.

use std::collections::HashMap;
use std::ops::Range;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};
use swc_ecma_ast::{Expr, ObjectLit, Prop, PropOrSpread};

use super::{synth, Note};
use crate::parse::Parsed;

/// Nodes that alias expansion may add beyond this (plus one per byte of the file).
pub const ALIAS_BUDGET: usize = 100_000;
/// Collections nested deeper than this are not built (the walk recurses per level).
pub const MAX_DEPTH: usize = crate::engine::MAX_NESTING;

enum Frame {
    Map {
        start: usize,
        anchor: usize,
        entries: Vec<(String, Range<usize>, Expr)>,
        key: Option<(String, Range<usize>)>,
        size: usize,
    },
    Seq {
        start: usize,
        anchor: usize,
        items: Vec<Expr>,
        size: usize,
    },
}

/// Character index (saphyr's markers) → byte offset.
struct Offsets(Option<Vec<u32>>);

impl Offsets {
    fn new(source: &str) -> Self {
        if source.is_ascii() {
            return Offsets(None);
        }
        let mut table: Vec<u32> = source.char_indices().map(|(at, _)| at as u32).collect();
        table.push(source.len() as u32);
        Offsets(Some(table))
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.0 {
            None => char_index,
            Some(table) => table.get(char_index).or(table.last()).copied().unwrap_or(0) as usize,
        }
    }
}

/// The file as a program of one expression per document, and notes on what was not built.
pub fn parse(source: &str) -> (Parsed, Vec<Note>) {
    let offsets = Offsets::new(source);
    let mut notes = Vec::new();
    let mut documents = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, (Expr, usize)> = HashMap::new();
    let mut budget = ALIAS_BUDGET + source.len();
    let mut budget_note = false;
    let mut parser = Parser::new_from_str(source);
    // Each finished node goes to the innermost open collection, or is a document.
    let finish = |stack: &mut Vec<Frame>,
                  documents: &mut Vec<Expr>,
                  node: Expr,
                  size: usize,
                  range: Range<usize>| {
        match stack.last_mut() {
            Some(Frame::Map {
                entries,
                key,
                size: total,
                ..
            }) => {
                *total += size;
                match key.take() {
                    None => {
                        let name = match &node {
                            Expr::Lit(swc_ecma_ast::Lit::Str(s)) => {
                                s.value.to_string_lossy().into_owned()
                            }
                            _ => String::new(),
                        };
                        *key = Some((name, range));
                    }
                    Some((name, key_range)) if name == "<<" => {
                        // A merge key: the aliased mapping's entries belong to this one.
                        match node {
                            Expr::Object(ObjectLit { props, .. }) => {
                                for prop in props {
                                    if let PropOrSpread::Prop(prop) = prop {
                                        if let Prop::KeyValue(kv) = *prop {
                                            let name = crate::http::key_name(&kv.key)
                                                .map(|n| n.into_owned())
                                                .unwrap_or_default();
                                            let key_range = synth::key_range(&kv.key);
                                            entries.push((name, key_range, *kv.value));
                                        }
                                    }
                                }
                            }
                            other => entries.push((name, key_range, other)),
                        }
                    }
                    Some((name, key_range)) => entries.push((name, key_range, node)),
                }
            }
            Some(Frame::Seq {
                items, size: total, ..
            }) => {
                *total += size;
                items.push(node);
            }
            None => documents.push(node),
        }
    };
    loop {
        let (event, span) = match parser.next_event() {
            None => break,
            Some(Ok(next)) => next,
            Some(Err(error)) => {
                notes.push(scan_error(&error, &offsets));
                break;
            }
        };
        let range = offsets.byte(span.start.index())..offsets.byte(span.end.index());
        match event {
            Event::StreamEnd => break,
            Event::Scalar(value, style, anchor, _) => {
                // A block scalar's final line break is not part of a credential written in it.
                let value = match style {
                    ScalarStyle::Literal | ScalarStyle::Folded => value.trim_end_matches('\n'),
                    _ => &value,
                };
                let in_list = matches!(stack.last(), Some(Frame::Seq { .. }));
                let node = in_list
                    .then(|| env_item(source, value, range.clone()))
                    .flatten()
                    .unwrap_or_else(|| scalar(source, value, range.clone()));
                if anchor > 0 {
                    anchors.insert(anchor, (node.clone(), 1));
                }
                finish(&mut stack, &mut documents, node, 1, range);
            }
            Event::Alias(anchor) => {
                let Some((node, size)) = anchors.get(&anchor) else {
                    continue;
                };
                if *size > budget {
                    if !budget_note {
                        budget_note = true;
                        notes.push(Note {
                            code: "limit",
                            message: format!(
                                "YAML aliases expand to more than {} nodes; later aliases were not expanded, and the file was scanned for credential shapes as written",
                                ALIAS_BUDGET + source.len()
                            ),
                            offset: range.start,
                        });
                    }
                    // Still a node, so that a mapping's keys and values stay paired.
                    let placeholder = synth::string(source, "", range.clone());
                    finish(&mut stack, &mut documents, placeholder, 1, range);
                    continue;
                }
                budget -= size;
                let (node, size) = (node.clone(), *size);
                finish(&mut stack, &mut documents, node, size, range);
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    notes.push(Note {
                        code: "limit",
                        message: format!("YAML nested deeper than {MAX_DEPTH} levels; the rest of the file was scanned for credential shapes only"),
                        offset: range.start,
                    });
                    break;
                }
                stack.push(match event {
                    Event::MappingStart(..) => Frame::Map {
                        start: range.start,
                        anchor,
                        entries: Vec::new(),
                        key: None,
                        size: 1,
                    },
                    _ => Frame::Seq {
                        start: range.start,
                        anchor,
                        items: Vec::new(),
                        size: 1,
                    },
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let Some(frame) = stack.pop() else { continue };
                let (node, anchor, size, start) = match frame {
                    Frame::Map {
                        start,
                        anchor,
                        mut entries,
                        size,
                        ..
                    } => (
                        {
                            name_value_pair(&mut entries);
                            synth::object(source, entries, start..range.end.max(start))
                        },
                        anchor,
                        size,
                        start,
                    ),
                    Frame::Seq {
                        start,
                        anchor,
                        items,
                        size,
                    } => (
                        synth::array(items, start..range.end.max(start)),
                        anchor,
                        size,
                        start,
                    ),
                };
                if anchor > 0 {
                    anchors.insert(anchor, (node.clone(), size));
                }
                finish(
                    &mut stack,
                    &mut documents,
                    node,
                    size,
                    start..range.end.max(start),
                );
            }
            Event::Nothing | Event::StreamStart | Event::DocumentStart(_) | Event::DocumentEnd => {}
        }
    }
    (synth::program(documents, source.len()), notes)
}

/// `- TWILIO_AUTH_TOKEN=…` in a list (docker-compose `environment:`): the variable's name says
/// what the value is, as in a `.env` line. Only for a scalar written as it reads.
fn env_item(source: &str, value: &str, range: Range<usize>) -> Option<Expr> {
    let (name, assigned) = value.split_once('=')?;
    let is_name = name
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !is_name || assigned.is_empty() || super::dotenv::is_placeholder_value(assigned) {
        return None;
    }
    let text = source.get(range.clone())?;
    let at = range.start + text.find(value)?;
    let name_range = at..at + name.len();
    let value_range = name_range.end + 1..at + value.len();
    let node = synth::string(source, assigned, value_range);
    Some(synth::object(
        source,
        vec![(name.to_string(), name_range, node)],
        range,
    ))
}

/// `{ name: TWILIO_AUTH_TOKEN, value: … }` (a Kubernetes container's `env`): the value also
/// under the name it is given, so that the name decides what it is.
fn name_value_pair(entries: &mut Vec<(String, Range<usize>, Expr)>) {
    let text = |key: &str| {
        entries
            .iter()
            .find(|(k, ..)| k == key)
            .and_then(|(_, range, e)| match e {
                Expr::Lit(swc_ecma_ast::Lit::Str(s)) => {
                    Some((s.value.to_string_lossy().into_owned(), range.clone()))
                }
                _ => None,
            })
    };
    let (Some((name, _)), Some(value)) = (
        text("name"),
        entries
            .iter()
            .find(|(k, ..)| k == "value")
            .map(|(_, r, e)| (r.clone(), e.clone())),
    ) else {
        return;
    };
    if entries.len() <= 3 && !name.is_empty() {
        let (range, node) = value;
        entries.push((name, range, node));
    }
}

/// A scalar at `range`: located at its text without quotes when it is written verbatim.
fn scalar(source: &str, value: &str, range: Range<usize>) -> Expr {
    let text = source.get(range.clone()).unwrap_or("");
    let quoted = text.len() == value.len() + 2
        && (text.starts_with('"') && text.ends_with('"')
            || text.starts_with('\'') && text.ends_with('\''))
        && &text[1..text.len() - 1] == value;
    let range = if quoted {
        range.start + 1..range.end - 1
    } else {
        range
    };
    synth::string(source, value, range)
}

fn scan_error(error: &ScanError, offsets: &Offsets) -> Note {
    Note {
        code: "parse-error",
        message: format!(
            "not valid YAML ({}); the rest of the file was scanned for credential shapes only",
            crate::redact::mask_token_like(error.info())
        ),
        offset: offsets.byte(error.marker().index()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notes(source: &str) -> Vec<&'static str> {
        parse(source).1.into_iter().map(|n| n.code).collect()
    }

    #[test]
    fn mappings_sequences_and_block_scalars_build() {
        let source = "a:\n  b: 1\n  c: [x, 'y']\nd: |\n  text\n---\n- e\n";
        assert!(notes(source).is_empty());
        let (parsed, _) = parse(source);
        match &parsed.program {
            swc_ecma_ast::Program::Script(script) => assert_eq!(script.body.len(), 2),
            _ => panic!("a script"),
        }
    }

    fn findings(path: &str, source: &str) -> Vec<String> {
        let report = crate::scan(
            source,
            &crate::Options {
                filename: Some(path.into()),
                ..Default::default()
            },
        );
        report
            .findings
            .iter()
            .map(|f| format!("{}@{}:{}", f.rule_id, f.line, f.column))
            .collect()
    }

    #[test]
    fn env_lists_name_their_values() {
        let token = crate::testgen::fill("{hex32}", 7);
        // docker-compose: `- NAME=value`, plain or quoted.
        let compose = format!("services:\n  flex:\n    environment:\n      - NODE_ENV=production\n      - TWILIO_AUTH_TOKEN={token}\n      - \"AUTH_TOKEN={token}\"\n");
        assert_eq!(
            findings("docker-compose.yml", &compose),
            ["auth-token@5:27", "auth-token@6:21"]
        );
        // Kubernetes: `- name: NAME` with `value: …`.
        let k8s = format!("env:\n  - name: PORT\n    value: \"8080\"\n  - name: TWILIO_AUTH_TOKEN\n    value: {token}\n");
        assert_eq!(findings("deploy/flex.yaml", &k8s), ["auth-token@5:12"]);
    }

    #[test]
    fn billion_laughs_ends_with_a_limit() {
        let mut source = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for level in 1..10 {
            let prev = (b'a' + level - 1) as char;
            let name = (b'a' + level) as char;
            let refs = vec![format!("*{prev}"); 9].join(",");
            source.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        assert_eq!(notes(&source), ["limit"]);
    }

    #[test]
    fn deep_nesting_ends_with_a_limit() {
        // Block mappings nest by indentation (flow collections stop at the parser's own limit).
        let source: String = (0..MAX_DEPTH + 10)
            .map(|depth| format!("{}k{depth}:\n", " ".repeat(depth)))
            .collect();
        assert_eq!(notes(&source), ["limit"]);
        assert_eq!(notes(&"[".repeat(10_000)), ["parse-error"]);
    }

    #[test]
    fn broken_yaml_is_a_parse_error() {
        assert_eq!(notes("a: [b\nc: :\n  - ]"), ["parse-error"]);
    }
}
