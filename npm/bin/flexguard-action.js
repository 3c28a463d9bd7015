#!/usr/bin/env node
// The GitHub Action's step (action.yml runs it): a one-shot process, like the CLI.
require("../dist/node.js").preferFastStart();
require("../dist/action.js").runAction().then((code) => process.stdout.write("", () => process.exit(code)));
