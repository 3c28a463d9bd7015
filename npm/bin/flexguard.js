#!/usr/bin/env node
// A one-shot process: V8's baseline wasm compiler only (see preferFastStart), and exit as soon as
// the report is written rather than after background compile jobs finish.
require("../dist/node.js").preferFastStart();
require("../dist/cli.js").main(process.argv.slice(2)).then((code) => process.stdout.write("", () => process.exit(code)));
