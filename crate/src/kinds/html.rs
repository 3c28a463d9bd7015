//! HTML: inline `<script>` blocks are code (every rule applies, positions in the page), JSON
//! script blocks are JSON, and `<meta>` and `data-*` attributes are key/value context; the rest
//! of the page is searched for shapes.

use std::ops::Range;

use swc_ecma_ast::Expr;

use super::synth;

/// What an inline script holds, by its `type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScriptKind {
    Code,
    Json,
    /// Templates and other data (`text/template`, `text/x-handlebars`): text only.
    Other,
}

pub struct Attribute {
    pub name: String,
    pub name_range: Range<usize>,
    pub value: String,
    pub value_range: Range<usize>,
}

pub struct Element {
    pub name: String,
    pub range: Range<usize>,
    pub attributes: Vec<Attribute>,
}

#[derive(Default)]
pub struct Page {
    /// Inline script bodies (scripts with `src=` are not inline) and what they hold.
    pub scripts: Vec<(Range<usize>, ScriptKind)>,
    /// `<meta>` elements and elements with `data-*` attributes.
    pub elements: Vec<Element>,
}

/// Elements whose content is raw text up to their end tag.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp", "noscript"];

fn find_ci(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let first = needle[0];
    let mut at = from;
    while at < bytes.len() {
        let found = memchr::memchr2(first, first.to_ascii_uppercase(), &bytes[at..])?;
        let start = at + found;
        if bytes
            .get(start..start + needle.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(needle))
        {
            return Some(start);
        }
        at = start + 1;
    }
    None
}

/// One pass over the page's tags.
pub fn read(source: &str) -> Page {
    let bytes = source.as_bytes();
    let mut page = Page::default();
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        let open = at + found;
        at = open + 1;
        if bytes[at..].starts_with(b"!--") {
            at = memchr::memmem::find(&bytes[at..], b"-->").map_or(bytes.len(), |i| at + i + 3);
            continue;
        }
        if matches!(bytes.get(at), Some(b'!' | b'?' | b'/')) {
            at = memchr::memchr(b'>', &bytes[at..]).map_or(bytes.len(), |i| at + i + 1);
            continue;
        }
        if !bytes.get(at).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name_start = at;
        while at < bytes.len()
            && (bytes[at].is_ascii_alphanumeric() || matches!(bytes[at], b'-' | b':'))
        {
            at += 1;
        }
        let name = source[name_start..at].to_ascii_lowercase();
        let (attributes, end, self_closing) = attributes(source, at);
        at = end;
        let wanted = name == "meta" || attributes.iter().any(|a| a.name.starts_with("data-"));
        if RAW_TEXT.contains(&name.as_str()) && !self_closing {
            let close = format!("</{name}");
            let body_end = find_ci(bytes, at, close.as_bytes()).unwrap_or(bytes.len());
            if name == "script" && !attributes.iter().any(|a| a.name == "src") {
                let kind = script_kind(&attributes);
                page.scripts.push((at..body_end, kind));
            }
            at = body_end;
        }
        if wanted {
            page.elements.push(Element {
                name,
                range: open..end,
                attributes,
            });
        }
    }
    page
}

fn script_kind(attributes: &[Attribute]) -> ScriptKind {
    let Some(kind) = attributes.iter().find(|a| a.name == "type") else {
        return ScriptKind::Code;
    };
    let kind = kind.value.trim().to_ascii_lowercase();
    let kind = kind.split(';').next().unwrap_or("").trim();
    match kind {
        ""
        | "module"
        | "text/javascript"
        | "application/javascript"
        | "text/ecmascript"
        | "application/ecmascript"
        | "text/babel"
        | "text/jsx"
        | "text/typescript" => ScriptKind::Code,
        "application/json" | "application/ld+json" | "importmap" | "speculationrules" => {
            ScriptKind::Json
        }
        _ => ScriptKind::Other,
    }
}

/// The attributes of a tag from `at` (after its name): and where the tag ends, and whether it
/// is self-closing.
fn attributes(source: &str, mut at: usize) -> (Vec<Attribute>, usize, bool) {
    let bytes = source.as_bytes();
    let mut out = Vec::new();
    loop {
        while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b'/') {
            at += 1;
        }
        match bytes.get(at) {
            None => return (out, bytes.len(), false),
            Some(b'>') => return (out, at + 1, bytes[at - 1] == b'/'),
            _ => {}
        }
        let name_start = at;
        while at < bytes.len()
            && !bytes[at].is_ascii_whitespace()
            && !matches!(bytes[at], b'=' | b'>' | b'/')
        {
            at += 1;
        }
        if at == name_start {
            at += 1;
            continue;
        }
        let name_range = name_start..at;
        let mut probe = at;
        while probe < bytes.len() && bytes[probe].is_ascii_whitespace() {
            probe += 1;
        }
        let mut value_range = at..at;
        if bytes.get(probe) == Some(&b'=') {
            at = probe + 1;
            while at < bytes.len() && bytes[at].is_ascii_whitespace() {
                at += 1;
            }
            match bytes.get(at) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let end =
                        memchr::memchr(quote, &bytes[at + 1..]).map_or(bytes.len(), |i| at + 1 + i);
                    value_range = at + 1..end;
                    at = (end + 1).min(bytes.len());
                }
                _ => {
                    let start = at;
                    while at < bytes.len() && !bytes[at].is_ascii_whitespace() && bytes[at] != b'>'
                    {
                        at += 1;
                    }
                    value_range = start..at;
                }
            }
        }
        out.push(Attribute {
            name: source[name_range.clone()].to_ascii_lowercase(),
            name_range,
            value: source[value_range.clone()].to_string(),
            value_range,
        });
    }
}

/// The page's code scripts as one program's text, the same length as the page: everything
/// else is blanked to spaces (line breaks kept), and a `;` ends each script, so that scripts
/// share one scope, as in the browser, and positions are the page's.
pub fn code_text(source: &str, scripts: &[(Range<usize>, ScriptKind)]) -> Option<String> {
    let code: Vec<&Range<usize>> = scripts
        .iter()
        .filter(|(_, kind)| *kind == ScriptKind::Code)
        .map(|(range, _)| range)
        .collect();
    if code.is_empty() {
        return None;
    }
    let mut text = super::blank(source);
    for range in &code {
        text.replace_range((*range).clone(), &source[(*range).clone()]);
        if range.end < source.len() {
            text.replace_range(range.end..range.end + 1, ";");
        }
    }
    Some(text)
}

/// One object literal per element: a `<meta>`'s `name` (or `property`, `http-equiv`, `itemprop`)
/// keys its `content`; `data-*` attributes key their values.
pub fn attribute_objects(source: &str, page: &Page) -> Vec<Expr> {
    let mut out = Vec::new();
    for element in &page.elements {
        let mut entries = Vec::new();
        if element.name == "meta" {
            let key = element.attributes.iter().find(|a| {
                matches!(
                    a.name.as_str(),
                    "name" | "property" | "http-equiv" | "itemprop"
                )
            });
            let content = element.attributes.iter().find(|a| a.name == "content");
            if let (Some(key), Some(content)) = (key, content) {
                entries.push((
                    key.value.clone(),
                    key.value_range.clone(),
                    synth::string(source, &content.value, content.value_range.clone()),
                ));
            }
        }
        for attribute in element
            .attributes
            .iter()
            .filter(|a| a.name.starts_with("data-"))
        {
            entries.push((
                attribute.name.clone(),
                attribute.name_range.clone(),
                synth::string(source, &attribute.value, attribute.value_range.clone()),
            ));
        }
        if !entries.is_empty() {
            out.push(synth::object(source, entries, element.range.clone()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_inline_scripts_and_their_kinds() {
        let source = "<html><!-- <script>no</script> --><SCRIPT>a()</SCRIPT><script src=x.js></script>\n<script type=\"application/json\">{}</script><script type=text/template>t</script><style>s{}</style>";
        let page = read(source);
        let scripts: Vec<(&str, ScriptKind)> = page
            .scripts
            .iter()
            .map(|(r, k)| (&source[r.clone()], *k))
            .collect();
        assert_eq!(
            scripts,
            [
                ("a()", ScriptKind::Code),
                ("{}", ScriptKind::Json),
                ("t", ScriptKind::Other)
            ]
        );
    }

    #[test]
    fn code_text_keeps_positions() {
        let source = "<p>é</p>\n<script>let a = 1</script><script>a()</script>";
        let page = read(source);
        let text = code_text(source, &page.scripts).unwrap();
        assert_eq!(text.len(), source.len());
        assert_eq!(text.find("let a").unwrap(), source.find("let a").unwrap());
        assert_eq!(text.matches('\n').count(), 1);
        assert!(text.contains("let a = 1;"));
    }

    #[test]
    fn meta_and_data_attributes() {
        let source = "<meta name=\"api-token\" content=\"v1\"><div class=x data-auth-token='v2' hidden></div>";
        let page = read(source);
        assert_eq!(page.elements.len(), 2);
        let data = &page.elements[1].attributes;
        assert_eq!(data[1].name, "data-auth-token");
        assert_eq!(&source[data[1].value_range.clone()], "v2");
        assert_eq!(attribute_objects(source, &page).len(), 2);
    }

    #[test]
    fn never_panics_on_broken_markup() {
        for source in [
            "<",
            "<a",
            "<a b=",
            "<a b='",
            "<script>",
            "<!--",
            "<meta content=\"x",
            "<é>",
            "<a\u{2028}>",
        ] {
            let page = read(source);
            let _ = code_text(source, &page.scripts);
            let _ = attribute_objects(source, &page);
        }
    }
}
