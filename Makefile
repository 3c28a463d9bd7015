# flexguard: `make example` builds what is needed and lints examples/; `make test` runs every test.
# `make help` lists the targets. Targets are incremental: cargo, the wasm bindings and the
# TypeScript build only redo what changed.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
export INSTA_UPDATE ?= no
export CARGO_TERM_COLOR ?= never
.DEFAULT_GOAL := help

RUST_SOURCES := $(shell find crate/src -name '*.rs') crate/Cargo.toml Cargo.toml Cargo.lock .cargo/config.toml
WASM := npm/wasm/nodejs/flexguard_bg.wasm npm/wasm/web/flexguard_bg.wasm
JS_SOURCES := $(shell find npm/src -name '*.ts') npm/tsconfig.json
PLAYGROUND_SOURCES := $(shell find npm/playground/src -name '*.ts') npm/playground/index.html \
  npm/playground/style.css npm/playground/favicon.svg npm/playground/build.mjs npm/playground/tsconfig.json

.PHONY: help setup wasm js build example playground screenshot \
  test test-rust test-npm lint-self test-bundles test-hardening test-precommit test-webpack test-playground test-audit test-eslint \
  test-hardening-release bench fuzz fuzz-smoke docs ecosystem

##@ Help

help: ## List the targets with a one-line description
	@awk 'BEGIN { FS = ":.*## " } \
	  /^##@ / { printf "\n%s\n", substr($$0, 5) } \
	  /^[a-z][a-z-]*:.*## / { printf "  %-24s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

##@ Build

setup: ## Idempotent toolchain setup: wasm32 target or Debian rustc-web, wasm-bindgen-cli, npm dev deps
	@tools/setup.sh

$(WASM) &: $(RUST_SOURCES) tools/build-wasm.sh | setup
	tools/build-wasm.sh

npm/dist/.stamp: $(JS_SOURCES) $(WASM)
	cd npm && node_modules/.bin/tsc -p tsconfig.json
	touch $@

# The browser entry (flexguard/web) is ESM: its declarations from tsconfig.web.json, its code bundled by esbuild.
npm/dist/web.mjs: $(JS_SOURCES) npm/tsconfig.web.json npm/build-web.mjs | setup
	cd npm && npm run --silent build:web

wasm: setup $(WASM) ## Build the engine to wasm (nodejs and web bindings in npm/wasm/)
js: setup npm/dist/.stamp npm/dist/web.mjs ## Compile the TypeScript package into npm/dist/
build: wasm js ## Engine → wasm (nodejs + web) → npm/dist

# The playground is a static site in npm/playground/dist/ with relative URLs: serve it from any path.
npm/playground/dist/index.html: $(PLAYGROUND_SOURCES) $(JS_SOURCES) $(WASM) npm/package-lock.json | setup
	cd npm && node_modules/.bin/tsc -p playground/tsconfig.json && node playground/build.mjs

playground: setup $(WASM) npm/playground/dist/index.html ## Build the browser playground into npm/playground/dist/

##@ Use

# The example has planted (fake) findings, so the CLI must exit 1; any other status is a failure.
example: build ## Build, then lint the example plugin in examples/ (its findings are planted)
	status=0; node npm/bin/flexguard.js --no-config examples || status=$$?; \
	  if [ $$status -ne 1 ]; then echo "expected exit 1 (findings), got $$status" >&2; exit 1; fi

##@ Test

test: test-rust test-npm lint-self test-bundles test-hardening test-precommit test-webpack test-playground test-audit test-eslint ## Every test; CI (.ci/run) runs exactly this

test-rust: setup ## cargo fmt --check, clippy -D warnings, cargo test
	cargo fmt --all --check
	cargo clippy --all-targets -- -D warnings
	cargo test

test-npm: build ## tsc --noEmit and node --test against the built wasm
	cd npm && node_modules/.bin/tsc -p tsconfig.json --noEmit
	cd npm && node --test test/*.test.js

# The repository passes its own scanner; flexguard.config.json excludes the planted examples,
# fixtures and build outputs. (`example` uses --no-config: there the example is linted on purpose.)
lint-self: build ## Lint this repository with its own flexguard.config.json, no warnings allowed
	node npm/bin/flexguard.js --max-warnings 0 .

# Real webpack 4 and 5, installed once by tools/setup-bundles.sh into $HOME/.cache/flexguard/bundles/.
test-bundles: build ## Bundles and source maps built by real webpack 4 and 5
	tools/setup-bundles.sh
	cd npm && node --test test/bundles/*.test.js

# The Rust adversarial and regression suites already run under `cargo test`. This runs the same
# kinds of input through the real wasm, plus what only exists there: traps and linear memory.
test-hardening: build ## Adversarial inputs, traps and memory through the real wasm
	cd npm && node --test test/hardening.test.js

# Real husky, lint-staged and pre-commit framework installs (cached under $HOME/.cache/flexguard
# by tools/setup-precommit.sh), each run by a real `git commit`.
test-precommit: build ## Pre-commit mode through real husky, lint-staged, pre-commit framework and git hooks
	tools=$$(tools/setup-precommit.sh); cd npm && FLEXGUARD_PRECOMMIT_TOOLS=$$tools node --test test/pre-commit.test.js

# tools/setup-webpack.sh caches webpack and the ~830 MB Flex install under ~/.cache/flexguard.
test-webpack: build ## The webpack plugin in real webpack 4/5 builds and the real Flex plugin build
	tools/setup-webpack.sh
	cd npm && node --test --test-concurrency=1 test/webpack/*.test.js
	# Again with webpack installed: every host, the webpack plugin included, agrees.
	cd npm && FLEXGUARD_REQUIRE_WEBPACK=1 node --test test/hosts.test.js

# Real ESLint 8, 9 and 10 with @typescript-eslint/parser, installed once by tools/setup-eslint.sh
# into $HOME/.cache/flexguard/eslint/; flexguard and eslint-plugin-flexguard from `npm pack`.
test-eslint: build ## flexguard/eslint and eslint-plugin-flexguard in real ESLint 8, 9 and 10 (CLI and Node API)
	envs=$$(tools/setup-eslint.sh); cd npm && FLEXGUARD_ESLINT=$$envs node --test test/eslint/*.test.js

# Debian's headless Chromium (tools/setup-playground.sh installs it once).
test-playground: build playground ## The playground in headless Chromium
	tools/setup-playground.sh
	node npm/bin/flexguard.js --max-warnings 0 npm/playground/src npm/playground/test npm/playground/build.mjs
	cd npm && node --test playground/test/*.test.js

# Twilio's OpenAPI specs (@twilio-alpha/mcp) served by Stoplight Prism in proxy mode in front of
# fixture accounts; tools/setup-audit.sh installs both once under $HOME/.cache/flexguard/audit/.
test-audit: build ## flexguard audit against fixture accounts, every request validated by Prism against Twilio's specs
	tools/setup-audit.sh >/dev/null
	cd npm && node --test --test-timeout=300000 test/audit/*.test.js

# The 50 MB single-line bundle: too slow unoptimised for every `make test`.
test-hardening-release: ## The adversarial suite optimised, with the 50 MB bundle (not in `make test`)
	cargo test --release --test adversarial -- --include-ignored

##@ Benchmarks and fuzzing (not part of `make test`)

# Corpus from real npm packages (tools/setup-bench.sh, cached in $HOME/.cache/flexguard/bench/);
# native, wasm and CLI numbers against the targets in docs/performance.md, the ESLint plugin's
# overhead, then flexguard side by side with betterleaks and secretlint (tools/setup-compare.sh)
# on a plugin repository and a bundle.
bench: build ## Measure speed, memory, linearity, cold start and the ESLint plugin's overhead, and compare with betterleaks and secretlint (docs/performance.md)
	tools/setup-bench.sh
	tools/setup-eslint.sh >/dev/null
	tools/setup-compare.sh
	cargo build --release --example bench
	node bench/run.js
	node bench/compare.js

# Fuzzing needs nightly + cargo-fuzz (tools/fuzz.sh installs them).
fuzz-smoke: ## Every fuzz target for 25 s each
	tools/fuzz.sh smoke

TARGET ?= scan_js
SECS ?= 1800
fuzz: ## One fuzz target: make fuzz TARGET=scan_js|scan_bytes SECS=1800
	tools/fuzz.sh run $(TARGET) $(SECS)

##@ Docs

# The rule pages in docs/rules/ and the README's rule table are generated from the rules' doc
# comments, the only source; `cargo test` fails while they are stale.
docs: ## Regenerate docs/rules/ and the README rule table from the rule registry
	UPDATE_DOCS=1 cargo test --test generated_docs

# docs/screenshot.png, the README's picture of the CLI output, rendered in headless Chromium.
screenshot: build ## Regenerate docs/screenshot.png (the CLI's output on examples/)
	tools/setup-playground.sh
	node tools/screenshot.js

##@ Ecosystem

# Fail before building when DIR is missing.
ifneq ($(filter ecosystem,$(MAKECMDGOALS)),)
ifeq ($(DIR),)
$(error usage: make ecosystem DIR=<folder of checked-out repos>)
endif
endif

ecosystem: build ## Lint real Flex repositories and compare with tests/ecosystem/ verdicts: make ecosystem DIR=<folder>
	node tools/ecosystem.js "$(DIR)"
