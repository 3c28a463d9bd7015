//! Source maps, both ways: a `.map` file is scanned through its `sourcesContent` (each entry as
//! the original file it is), and a finding in a bundle with a map gets its original position.
//!
//! Decoding uses getsentry's [`sourcemap`](https://github.com/getsentry/rust-sourcemap) crate
//! (9.x) rather than a hand-written VLQ decoder: Sentry decodes production maps with it at
//! scale, so it is well kept and handles what real maps contain (regular and index/sectioned
//! maps, `sourceRoot`, `data:` URLs, `null` entries in `sourcesContent`, the `)]}'` XSSI
//! header). It is pure Rust and builds for `wasm32-unknown-unknown` with our toolchain (it
//! adds ~100 KB to the wasm). Flex's production build emits a map with `"sources":[]`: that
//! decodes to a map without tokens, so nothing maps and nothing errors.

use sourcemap::{DecodedMap, SourceMap};

use crate::finding::{Diagnostic, Finding, OriginalPosition, Report};
use crate::Options;

/// True for file names the engine reads as source maps.
pub fn is_map_file(filename: &str) -> bool {
    filename.to_ascii_lowercase().ends_with(".map")
}

fn decode(bytes: &[u8]) -> Result<SourceMap, String> {
    let decoded = sourcemap::decode_slice(bytes).map_err(|e| e.to_string())?;
    into_regular(decoded)
}

fn into_regular(decoded: DecodedMap) -> Result<SourceMap, String> {
    match decoded {
        DecodedMap::Regular(map) => Ok(map),
        DecodedMap::Index(index) => index.flatten().map_err(|e| e.to_string()),
        DecodedMap::Hermes(hermes) => Ok(SourceMap::clone(&hermes)),
    }
}

/// Scan a `.map` file: every `sourcesContent` entry is linted as its original source (reported
/// with `file` = the source's path and `viaMap` = the map). A map without `sourcesContent` has
/// nothing to scan. Text that is not a source map is scanned as JavaScript, with a diagnostic.
pub fn scan_map(text: &str, options: &Options) -> Report {
    let map_file = options.filename.as_deref().unwrap_or("<input>");
    let map = match decode(text.as_bytes()) {
        Ok(map) => map,
        Err(error) => {
            let mut report = crate::engine::run(text, options);
            report.diagnostics.push(Diagnostic {
                code: "parse-error".into(),
                message: format!("not a usable source map ({error}); scanned as JavaScript"),
                file: map_file.to_string(),
                line: 1,
                column: 1,
            });
            return report;
        }
    };
    let mut report = Report::default();
    for index in 0..map.get_source_count() {
        let Some(content) = map.get_source_contents(index) else {
            continue;
        };
        let source = source_name(&map, index, map_file);
        let original = Options {
            filename: Some(source),
            project_path: None,
            source_map: None,
            text_only: false,
            ..options.clone()
        };
        let mut part = crate::engine::run(content, &original);
        for finding in &mut part.findings {
            finding.via_map = Some(map_file.to_string());
        }
        report.findings.extend(part.findings);
        report.diagnostics.extend(part.diagnostics);
    }
    report
}

/// A source embedded in a map: its name as [`scan_map`] reports findings in it, and its text.
#[derive(serde::Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct MapSource {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub text: Option<String>,
}

/// The sources of a `.map` file, named as [`scan_map`] names them (`sourceRoot` applied), so a
/// host that shows them next to the findings never decodes the map itself. Empty when the text
/// is not a source map.
pub fn map_sources(text: &str, map_file: &str) -> Vec<MapSource> {
    let Ok(map) = decode(text.as_bytes()) else {
        return Vec::new();
    };
    (0..map.get_source_count())
        .map(|index| MapSource {
            name: source_name(&map, index, map_file),
            text: map.get_source_contents(index).map(str::to_string),
        })
        .collect()
}

fn source_name(map: &SourceMap, index: u32, map_file: &str) -> String {
    map.get_source(index)
        .map(str::to_string)
        .unwrap_or_else(|| format!("{map_file}#source{index}"))
}

/// Decodes positions of a bundle back to its original sources.
pub struct Mapper {
    map: SourceMap,
}

impl Mapper {
    /// The bundle's map: `options.source_map` when given (the JS layer reads an external
    /// `.map`), else an inline `//# sourceMappingURL=data:application/json;base64,…`.
    /// `Ok(None)` when there is no map; `Err` (a message) when there is one that cannot be read.
    pub fn for_bundle(source: &str, options: &Options) -> Result<Option<Mapper>, String> {
        let map = match &options.source_map {
            Some(text) => decode(text.as_bytes())?,
            None => match inline_map_url(source) {
                Some(url) => sourcemap::decode_data_url(url)
                    .map_err(|e| e.to_string())
                    .and_then(into_regular)?,
                None => return Ok(None),
            },
        };
        Ok(Some(Mapper { map }))
    }

    /// The original position of a 1-based line and UTF-16 column of the bundle: the mapping at
    /// or before it on the same line, if that mapping points into a source.
    pub fn original(&self, line: u32, column: u32) -> Option<OriginalPosition> {
        let (line, column) = (line.checked_sub(1)?, column.checked_sub(1)?);
        let token = self.map.lookup_token(line, column)?;
        if token.get_dst_line() != line || token.get_src_line() == u32::MAX {
            return None;
        }
        Some(OriginalPosition {
            source: token.get_source()?.to_string(),
            line: token.get_src_line() + 1,
            column: token.get_src_col().saturating_add(1),
        })
    }

    /// Give every finding its original position, where the map has one.
    pub fn annotate(&self, findings: &mut [Finding]) {
        for finding in findings {
            finding.original = self.original(finding.line, finding.column);
        }
    }
}

/// The `data:` URL of the last `//# sourceMappingURL=` (or `//@`) comment, if it is one.
/// One vectorised forward search (memchr's reverse search is not vectorised): bundles are
/// megabytes and most have no inline map.
fn inline_map_url(source: &str) -> Option<&str> {
    const KEY: &str = "sourceMappingURL=data:";
    let at = memchr::memmem::find_iter(source.as_bytes(), KEY.as_bytes()).last()?;
    let before = source.get(at.saturating_sub(4)..at)?;
    if before != "//# " && before != "//@ " {
        return None;
    }
    let url = &source[at + KEY.len() - "data:".len()..];
    let end = url
        .find(|c: char| c.is_whitespace() || c == '*')
        .unwrap_or(url.len());
    Some(&url[..end])
}

/// Map the findings of a bundle to their original positions; a map that cannot be read is a
/// diagnostic, never an error.
pub fn annotate_bundle(source: &str, options: &Options, report: &mut Report) {
    match Mapper::for_bundle(source, options) {
        Ok(Some(mapper)) => mapper.annotate(&mut report.findings),
        Ok(None) => {}
        Err(error) => report.diagnostics.push(Diagnostic {
            code: "source-map".into(),
            message: format!(
                "the source map could not be read ({error}); positions are in the bundle"
            ),
            file: options.filename.clone().unwrap_or_else(|| "<input>".into()),
            line: 1,
            column: 1,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_sources_are_named_as_the_findings_in_them() {
        let token = crate::testgen::fill("AC{hex32}", 3);
        let map = format!(
            r#"{{"version":3,"sourceRoot":"webpack://demo/","sources":["./src/config.js","./src/none.js"],"sourcesContent":["export const sid = '{token}';\n",null],"names":[],"mappings":"AAAA"}}"#
        );
        let sources = map_sources(&map, "plugin.js.map");
        let names: Vec<&str> = sources.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "webpack://demo/./src/config.js",
                "webpack://demo/./src/none.js"
            ]
        );
        assert!(sources[0]
            .text
            .as_deref()
            .is_some_and(|t| t.contains("export const sid")));
        assert!(sources[1].text.is_none());
        let report = scan_map(
            &map,
            &Options {
                filename: Some("plugin.js.map".into()),
                ..Default::default()
            },
        );
        assert!(!report.findings.is_empty());
        assert!(report.findings.iter().all(|f| f.file == names[0]));
        assert!(map_sources("not a map", "x.map").is_empty());
    }

    #[test]
    fn empty_map_like_flex_production_maps_nothing_and_does_not_error() {
        let options = Options {
            filename: Some("plugin.js".into()),
            source_map: Some(
                r#"{"version":3,"file":"plugin.js","sources":[],"names":[],"mappings":""}"#.into(),
            ),
            ..Default::default()
        };
        let mapper = Mapper::for_bundle("x()", &options).unwrap().unwrap();
        assert_eq!(mapper.original(1, 1), None);
        let report = scan_map(options.source_map.as_deref().unwrap(), &options);
        assert_eq!(report, Report::default());
    }

    #[test]
    fn maps_without_sources_content_scan_nothing() {
        let map = r#"{"version":3,"sources":["a.js"],"names":[],"mappings":"AAAA"}"#;
        let options = Options {
            filename: Some("b.js.map".into()),
            ..Default::default()
        };
        assert_eq!(scan_map(map, &options), Report::default());
    }

    #[test]
    fn not_a_map_is_scanned_as_javascript_with_a_diagnostic() {
        let sid = crate::testgen::fill("AC{hex32}", 5);
        let text = format!("var x = \"{sid}\";");
        let report = scan_map(
            &text,
            &Options {
                filename: Some("weird.map".into()),
                ..Default::default()
            },
        );
        assert_eq!(report.findings.len(), 1);
        assert_eq!(report.diagnostics[0].code, "parse-error");
    }

    #[test]
    fn sources_content_is_scanned_as_the_original_file() {
        let sid = crate::testgen::fill("AC{hex32}", 6);
        let original = format!("const a = 1;\nconst sid = \"{sid}\";\n");
        let map = serde_json::json!({
            "version": 3, "sources": ["webpack://plugin/./src/index.js", "webpack://plugin/webpack/bootstrap"],
            "sourcesContent": [original, null], "names": [], "mappings": "AAAA"
        })
        .to_string();
        let report = scan_map(
            &map,
            &Options {
                filename: Some("build/plugin.js.map".into()),
                ..Default::default()
            },
        );
        assert_eq!(report.findings.len(), 1, "{report:?}");
        let finding = &report.findings[0];
        assert_eq!(finding.file, "webpack://plugin/./src/index.js");
        assert_eq!(finding.via_map.as_deref(), Some("build/plugin.js.map"));
        assert_eq!((finding.line, finding.column), (2, 14));
        assert!(!finding.excerpt.contains(&sid));
    }

    #[test]
    fn inline_data_url_is_found_and_decoded() {
        use base64::Engine as _;
        // Generated column 0 of line 0 → source a.js line 3 column 5 (VLQ "AAEJ": 0, 0, +2, +4).
        let map = r#"{"version":3,"sources":["a.js"],"names":[],"mappings":"AAEI"}"#;
        let url = base64::engine::general_purpose::STANDARD.encode(map);
        let bundle =
            format!("x()\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,{url}\n");
        let mapper = Mapper::for_bundle(&bundle, &Options::default())
            .unwrap()
            .expect("inline map");
        let original = mapper.original(1, 2).expect("mapped");
        assert_eq!(
            (original.source.as_str(), original.line, original.column),
            ("a.js", 3, 5)
        );
        assert_eq!(mapper.original(2, 1), None, "no mapping on line 2");
    }

    #[test]
    fn unreadable_map_is_a_diagnostic() {
        let options = Options {
            filename: Some("b.js".into()),
            source_map: Some("{not json".into()),
            ..Default::default()
        };
        let mut report = Report::default();
        annotate_bundle("x()", &options, &mut report);
        assert_eq!(report.diagnostics[0].code, "source-map");
    }
}
