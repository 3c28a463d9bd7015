//! Files that are not code: `.env`, JSON, YAML, HTML and Markdown are read by their kind, and
//! report the same findings, redaction and fingerprints as code.

use flexguard::{scan, testgen, Options, Report};

fn lint(filename: &str, source: &str) -> Report {
    scan(
        source,
        &Options {
            filename: Some(filename.into()),
            ..Default::default()
        },
    )
}

fn rules_at(report: &Report) -> Vec<(String, u32, u32)> {
    report
        .findings
        .iter()
        .map(|f| (f.rule_id.clone(), f.line, f.column))
        .collect()
}

/// The same auth token, bound to a name in each kind of file: one finding each, with the
/// fingerprint's value part (`valueHash`) of the code finding, and never the token in the output.
#[test]
fn one_token_in_every_kind_is_the_same_finding() {
    let token = testgen::fill("{hex32}", 21);
    let files = [
        (
            "src/config.js",
            format!("export const authToken = \"{token}\";\n"),
        ),
        (".env.production", format!("TWILIO_AUTH_TOKEN={token}\n")),
        (
            "public/appConfig.json",
            format!("{{ \"authToken\": \"{token}\" }}\n"),
        ),
        (
            "deploy/config.yml",
            format!("twilio:\n  auth_token: {token}\n"),
        ),
        (
            "public/debug.html",
            format!("<script>const authToken = \"{token}\";</script>\n"),
        ),
        (
            "README.md",
            format!("# x\n\n```js\nconst authToken = \"{token}\";\n```\n"),
        ),
        (
            "docs/quoted.md",
            format!("> **Note**\n>\n> ```js\n> const config = {{\n>   authToken: \"{token}\",\n> }};\n> ```\n"),
        ),
        (
            "docs/setup.mdx",
            format!("```sh\nexport AUTH_TOKEN={token}\n```\n"),
        ),
        (".dev.vars", format!("AUTH_TOKEN=\"{token}\"\n")),
        ("app.properties", format!("twilio.auth_token: {token}\n")),
        (
            "src/main/resources/twilio.properties",
            format!("# Twilio\ntwilio.auth.token   {token}\n"),
        ),
        (
            "scripts/deploy.sh",
            format!("#!/usr/bin/env bash\nexport TWILIO_AUTH_TOKEN={token}\n"),
        ),
        (
            "Dockerfile",
            format!("FROM node:20\nENV TWILIO_AUTH_TOKEN=\"{token}\"\n"),
        ),
        ("settings.ini", format!("[twilio]\nauth_token = {token}\n")),
        (
            "wrangler.toml",
            format!("[vars]\nAUTH_TOKEN = \"{token}\"\n"),
        ),
        (
            "config.toml",
            format!("twilio = {{ auth_token = \"{token}\" }}\n"),
        ),
        (".envrc", format!("export TWILIO_AUTH_TOKEN='{token}'\n")),
        (".twilioserverlessrc", format!("AUTH_TOKEN={token}\n")),
        (
            "serverless/.twilioserverlessrc",
            format!("{{ \"authToken\": \"{token}\" }}\n"),
        ),
        (
            "scripts/run.sh",
            format!("TWILIO_AUTH_TOKEN={token} twilio serverless:deploy\n"),
        ),
        (
            "docs/setup.md",
            format!("```console\n$ TWILIO_AUTH_TOKEN={token} npm start\n```\n"),
        ),
        (
            "docker-compose.yml",
            format!("services:\n  flex:\n    environment:\n      - TWILIO_AUTH_TOKEN={token}\n"),
        ),
        (
            "k8s/deployment.yaml",
            format!("env:\n  - name: TWILIO_AUTH_TOKEN\n    value: \"{token}\"\n"),
        ),
        (
            "src/tokens.js",
            format!("export const authTokens = [\"{token}\"];\n"),
        ),
    ];
    let mut hashes = Vec::new();
    for (name, source) in &files {
        let report = lint(name, source);
        let found: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.rule_id == "auth-token")
            .collect();
        assert_eq!(found.len(), 1, "{name}: {:?}", rules_at(&report));
        let finding = found[0];
        assert_eq!(
            &source[finding.span.range()],
            token,
            "{name}: span is the value"
        );
        let json = serde_json::to_string(&report).unwrap();
        assert!(!json.contains(&token), "{name}: the token leaked");
        assert!(
            json.contains(&format!("{}…{}", &token[..4], &token[30..])),
            "{name}"
        );
        hashes.push(finding.value_hash.clone());
    }
    hashes.dedup();
    assert_eq!(hashes.len(), 1, "valueHash differs between kinds");
}

#[test]
fn placeholders_and_empty_values_are_clean_in_every_kind() {
    let files = [
        (".env.example", "AUTH_TOKEN=\nTWILIO_AUTH_TOKEN=your_token_here\nFLEX_APP_API_SECRET=<secret>\nACCOUNT_SID=ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\n"),
        ("config.json", "{\"authToken\": \"your_auth_token\", \"accountSid\": \"ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}"),
        ("config.yaml", "auth_token: ${TWILIO_AUTH_TOKEN}\naccount_sid: ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\n"),
        ("index.html", "<meta name=\"auth-token\" content=\"your_auth_token\"><div data-token=\"\"></div>"),
        ("README.md", "Set `AUTH_TOKEN=your_auth_token`.\n\n```env\nAUTH_TOKEN=your_token_here\n```\n"),
        ("deploy.sh", "export TWILIO_AUTH_TOKEN=\"$TWILIO_AUTH_TOKEN\"\nexport API_SECRET=${API_SECRET:?}\n"),
        ("Dockerfile", "FROM node:20\nARG TWILIO_AUTH_TOKEN\nENV TWILIO_AUTH_TOKEN=$TWILIO_AUTH_TOKEN\n"),
    ];
    for (name, source) in files {
        let report = lint(name, source);
        assert!(
            report.findings.is_empty(),
            "{name}: {:?}",
            rules_at(&report)
        );
        assert!(
            report.diagnostics.is_empty(),
            "{name}: {:?}",
            report.diagnostics
        );
    }
}

/// Hashes, integrity strings, base64 assets and ids sit beside credential-sounding keys in
/// real configs; they are not credentials.
#[test]
fn hashes_integrity_strings_and_ids_are_clean() {
    let source = testgen::fill(
        "{\n  \"integrity\": \"sha512-{b64url86}==\",\n  \"contentHash\": \"{hex32}\",\n  \"tokenizer\": \"{hex8}-{hex4}-{hex4}-{hex4}-{hex12}\",\n  \"icon\": \"data:image/png;base64,{b64url64}\"\n}\n",
        22,
    );
    assert!(lint("package-lock.json", &source).findings.is_empty());
    let html = testgen::fill(
        "<script src=\"a.js\" integrity=\"sha384-{b64url64}\"></script><img data-hash=\"{hex32}\" data-token-id=\"{hex8}-{hex4}-{hex4}-{hex4}-{hex12}\">",
        23,
    );
    assert!(lint("index.html", &html).findings.is_empty());
}

/// `FLEX_APP_*` credentials in a `.env` are inlined into the bundle: reported whatever the
/// file's runtime or the `firstParty` globs say.
#[test]
fn public_env_secret_in_env_files_ignores_runtime_and_first_party() {
    let source =
        "FLEX_APP_API_SECRET=s3cr3t-{alnum12}\nFLEX_APP_API_BASE_URL=https://example.invalid\n";
    let source = testgen::fill(source, 24);
    for (name, first_party) in [
        ("serverless/functions/.env", vec![]),
        ("scripts/.env", vec![]),
        (".env", vec!["src/**".to_string()]),
    ] {
        let report = scan(
            &source,
            &Options {
                filename: Some(name.into()),
                first_party,
                ..Default::default()
            },
        );
        assert_eq!(
            rules_at(&report),
            [("public-env-secret".to_string(), 1, 1)],
            "{name}"
        );
    }
}

#[test]
fn suppression_directives_work_in_every_kind() {
    let token = testgen::fill("{hex32}", 25);
    let files = [
        (".env", format!("# flexguard-ignore-next-line auth-token -- sandbox\nAUTH_TOKEN={token}\n")),
        ("a.yaml", format!("auth_token: {token} # flexguard-ignore auth-token -- sandbox\n")),
        ("a.json", format!("{{\n  // flexguard-ignore-next-line auth-token -- sandbox\n  \"authToken\": \"{token}\"\n}}\n")),
        ("a.html", format!("<!-- flexguard-ignore-next-line auth-token -- sandbox -->\n<script>const authToken = \"{token}\";</script>\n")),
        ("a.md", format!("```js\n// flexguard-ignore-next-line auth-token -- sandbox\nconst authToken = \"{token}\";\n```\n")),
    ];
    for (name, source) in &files {
        let report = lint(name, source);
        assert!(
            report.findings.is_empty(),
            "{name}: {:?}",
            rules_at(&report)
        );
        assert_eq!(report.suppressed.len(), 1, "{name}");
        assert!(
            report.diagnostics.is_empty(),
            "{name}: {:?}",
            report.diagnostics
        );
    }
}

#[test]
fn billion_laughs_ends_with_a_limit_diagnostic() {
    let mut source = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for level in 1..12u8 {
        let (prev, name) = ((b'a' + level - 1) as char, (b'a' + level) as char);
        source.push_str(&format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{prev}"); 9].join(",")
        ));
    }
    let started = std::time::Instant::now();
    let report = lint("laughs.yaml", &source);
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["limit"]);
}

#[test]
fn broken_files_get_a_diagnostic_and_a_shape_scan() {
    let sid = testgen::fill("AC{hex32}", 26);
    for name in ["a.json", "a.yaml"] {
        let report = lint(name, &format!("{{ \"sid\": \"{sid}\",\n  ]: [\n"));
        let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["parse-error"], "{name}");
        assert_eq!(
            rules_at(&report),
            [("account-sid".to_string(), 1, 11)],
            "{name}"
        );
    }
}

/// Positions inside an HTML page and a Markdown file are the file's, UTF-16 columns included.
#[test]
fn positions_in_composite_files_are_exact() {
    let token = testgen::fill("{hex32}", 27);
    // 😀 is two UTF-16 units and four bytes, é one unit and two bytes.
    let html = format!("<p>😀 é</p><script>const authToken = \"{token}\";</script>\n<script>\n  let a = 1; const apiSecret = \"{token}\";\n</script>");
    let report = lint("a.html", &html);
    assert_eq!(
        rules_at(&report),
        [
            ("auth-token".to_string(), 1, 39),
            ("api-key-secret".to_string(), 3, 33)
        ]
    );
    let md = format!("😀 intro\n\n```ts\nconst authToken: string = \"{token}\";\n```\n");
    let report = lint("a.md", &md);
    assert_eq!(rules_at(&report), [("auth-token".to_string(), 4, 28)]);
    // In a blockquote, the markers count: the column is the file's.
    let quoted =
        format!("> > 😀\n> > ```ts\n> > const authToken: string =\n> >   \"{token}\";\n> > ```\n");
    let report = lint("a.md", &quoted);
    assert_eq!(rules_at(&report), [("auth-token".to_string(), 4, 8)]);
}

/// A dotted word before a blank is a key only in a `.properties` file: in a script it is a
/// command (`curl.exe`), and the `SID:secret` pair after it is still found in the line.
#[test]
fn a_command_with_a_dot_is_not_a_properties_key() {
    let sid = testgen::fill("AC{hex32}", 31);
    let token = testgen::fill("{hex32}", 32);
    let script =
        format!("curl.exe -u {sid}:{token} https://api.twilio.com/2010-04-01/Accounts.json\n");
    for name in ["scripts/call.ps1", "scripts/call.sh", "call.cmd"] {
        let report = lint(name, &script);
        assert!(
            report.findings.iter().any(|f| f.rule_id == "auth-token"),
            "{name}: {:?}",
            rules_at(&report)
        );
    }
}

/// Markdown: code in documentation does not run, so only credential rules apply to it.
#[test]
fn markdown_code_reports_credentials_only() {
    let md = "```js\nimport twilio from 'twilio';\nfetch('https://api.twilio.com/2010-04-01/Accounts.json');\n```\n";
    assert!(lint("README.md", md).findings.is_empty());
    // The same code in a page's script does run.
    let html =
        "<script type=module>fetch('https://api.twilio.com/2010-04-01/Accounts.json');</script>";
    let report = lint("public/index.html", html);
    assert_eq!(rules_at(&report), [("direct-api-call".to_string(), 1, 21)]);
}

/// Generated text dense in each kind's syntax (quotes, fences, tags, anchors, aliases, line
/// breaks of every sort, multi-byte characters, credentials): every report keeps the invariants
/// (spans, UTF-16 positions, bounded excerpts, no leaked credential), under every kind's name.
#[test]
fn generated_text_keeps_the_invariants_in_every_kind() {
    let pieces = [
        "=",
        ":",
        " ",
        "\n",
        "\r\n",
        "\r",
        "\u{2028}",
        "é",
        "😀",
        "\"",
        "'",
        "`",
        "#",
        "<!--",
        "-->",
        "<script>",
        "</script>",
        "<script type=application/json>",
        "<meta name=token content=",
        " data-auth-token=",
        ">",
        "```js\n",
        "```yaml\n",
        "```sh\n",
        "```\n",
        "~~~\n",
        "&a ",
        "*a",
        "<<: ",
        "- ",
        "  ",
        "{",
        "}",
        "[",
        "]",
        ",",
        "|\n",
        "export ",
        "AUTH_TOKEN",
        "accountSid",
        "FLEX_APP_API_SECRET",
        "[twilio]",
        "\\",
        "${",
        "AC{hex32}",
        "{hex32}",
        "{alnum32}",
        "SK{hex32}",
        "SG.{b64url22}.{b64url43}",
        "// flexguard-ignore auth-token\n",
    ];
    let names = [
        ".env",
        "a.properties",
        "c.json",
        "d.yaml",
        "e.html",
        "f.md",
        "g.txt",
    ];
    let mut next = testgen::xorshift(0x5eed);
    for round in 0..400 {
        let mut template = String::new();
        for _ in 0..(next() % 60) {
            template.push_str(pieces[(next() % pieces.len() as u64) as usize]);
        }
        let source = testgen::fill(&template, round);
        for name in names {
            let report = lint(name, &source);
            flexguard::invariants::assert_no_internal_error(&report);
            if let Err(violation) = flexguard::invariants::check(&source, name, &report) {
                panic!("{name}, round {round}: {violation}\n{template:?}");
            }
        }
    }
}

/// Large files of each kind stay fast: linear front ends, one copy per HTML page or fence.
#[test]
fn large_data_files_stay_fast() {
    let entries: String = (0..20_000)
        .map(|i| format!("  key_{i}: value {i}\n  list_{i}: [a, b, \"c\"]\n"))
        .collect();
    let yaml = format!("root:\n{entries}");
    let json = format!(
        "[{}]",
        (0..50_000)
            .map(|i| format!("{{\"id\": {i}, \"name\": \"n{i}\"}}"))
            .collect::<Vec<_>>()
            .join(",")
    );
    let env: String = (0..50_000)
        .map(|i| format!("KEY_{i}=value-{i}\n"))
        .collect();
    // Many fences in a large file: each linted fence is a copy of the file.
    let md: String = (0..300)
        .map(|i| {
            format!(
                "## {i}\n\n{}\n\n```js\nconst a{i} = {i};\n```\n",
                "text ".repeat(600)
            )
        })
        .collect();
    let html = format!(
        "<html>{}</html>",
        "<div data-x=\"1\">t</div><script>var a = 1;</script>\n".repeat(10_000)
    );
    for (name, source) in [
        ("a.yaml", &yaml),
        ("a.json", &json),
        (".env", &env),
        ("a.md", &md),
        ("a.html", &html),
    ] {
        let started = std::time::Instant::now();
        let report = lint(name, source);
        let spent = started.elapsed();
        assert!(report.findings.is_empty(), "{name}");
        assert!(
            spent.as_secs_f64() < 10.0,
            "{name}: {} KB took {spent:?}",
            source.len() >> 10
        );
        println!("{name}: {} KB in {spent:?}", source.len() >> 10);
    }
}

/// Editors on Windows save a byte-order mark and CRLF line ends; neither hides a credential.
#[test]
fn byte_order_marks_and_crlf() {
    let token = testgen::fill("{hex32}", 28);
    for (name, body) in [
        ("a.js", format!("const authToken = \"{token}\";\r\n")),
        (".env", format!("TWILIO_AUTH_TOKEN={token}\r\nOTHER=1\r\n")),
        (
            "a.json",
            format!("{{\r\n\"authToken\": \"{token}\"\r\n}}\r\n"),
        ),
        ("a.yaml", format!("auth_token: {token}\r\nother: 1\r\n")),
        ("a.md", format!("```env\r\nAUTH_TOKEN={token}\r\n```\r\n")),
    ] {
        let source = format!("\u{feff}{body}");
        let report = lint(name, &source);
        let found: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.rule_id == "auth-token")
            .collect();
        assert_eq!(
            found.len(),
            1,
            "{name}: {:?} {:?}",
            rules_at(&report),
            report.diagnostics
        );
        assert_eq!(&source[found[0].span.range()], token, "{name}");
    }
}
