# flexguard: `make example` builds what is needed and lints examples/; `make test` runs every test.
# Targets are incremental: cargo, the wasm bindings and the TypeScript build only redo what changed.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
export INSTA_UPDATE ?= no
export CARGO_TERM_COLOR ?= never

RUST_SOURCES := $(shell find crate/src -name '*.rs') crate/Cargo.toml Cargo.toml Cargo.lock .cargo/config.toml
WASM := npm/wasm/nodejs/flexguard_bg.wasm npm/wasm/web/flexguard_bg.wasm
JS_SOURCES := $(shell find npm/src -name '*.ts') npm/tsconfig.json

.PHONY: setup wasm js build example test test-rust test-npm lint-self test-webpack test-precommit

setup:
	@tools/setup.sh

$(WASM) &: $(RUST_SOURCES) tools/build-wasm.sh | setup
	tools/build-wasm.sh

npm/dist/.stamp: $(JS_SOURCES) $(WASM)
	cd npm && node_modules/.bin/tsc -p tsconfig.json
	touch $@

# The browser entry (flexguard/web) is ESM: its declarations from tsconfig.web.json, its code bundled by esbuild.
npm/dist/web.mjs: $(JS_SOURCES) npm/tsconfig.web.json npm/playground/build.mjs | setup
	cd npm && node_modules/.bin/tsc -p tsconfig.web.json && node playground/build.mjs web

wasm: setup $(WASM)
js: setup npm/dist/.stamp npm/dist/web.mjs
build: wasm js

# Lint the bundled example: it has planted (fake) findings, so the CLI must exit 1.
example: build
	status=0; node npm/bin/flexguard.js --no-config examples || status=$$?; \
	  if [ $$status -ne 1 ]; then echo "expected exit 1 (findings), got $$status" >&2; exit 1; fi

test-rust: setup
	cargo fmt --all --check
	cargo clippy --all-targets -- -D warnings
	cargo test

test-npm: build
	cd npm && node_modules/.bin/tsc -p tsconfig.json --noEmit
	cd npm && node --test test/*.test.js

# The repository passes its own scanner; flexguard.config.json excludes the planted examples,
# fixtures and build outputs. (--no-config above: the example is linted on purpose.)
lint-self: build
	node npm/bin/flexguard.js --max-warnings 0 .

# Playground: a static site in npm/playground/dist/ (relative URLs; serve it from any path), tested
# in Debian's headless Chromium (tools/setup-playground.sh installs it once).
.PHONY: playground test-playground
PLAYGROUND_SOURCES := $(shell find npm/playground/src -name '*.ts') npm/playground/index.html \
  npm/playground/style.css npm/playground/favicon.svg npm/playground/build.mjs npm/playground/tsconfig.json

npm/playground/dist/index.html: $(PLAYGROUND_SOURCES) $(JS_SOURCES) $(WASM) npm/package-lock.json | setup
	cd npm && node_modules/.bin/tsc -p playground/tsconfig.json && node playground/build.mjs

playground: setup $(WASM) npm/playground/dist/index.html

test-playground: build playground
	tools/setup-playground.sh
	node npm/bin/flexguard.js --max-warnings 0 npm/playground/src npm/playground/test npm/playground/build.mjs
	cd npm && node --test playground/test/*.test.js

# Bundles and source maps built by real webpack 4 and 5 (installed once by tools/setup-bundles.sh
# into $HOME/.cache/flexguard/bundles/).
.PHONY: test-bundles bench
test-bundles: build
	tools/setup-bundles.sh
	cd npm && node --test test/bundles/*.test.js

# Benchmark, not part of `make test` (README "Performance"): corpus from real npm packages
# (tools/setup-bench.sh, cached in $HOME/.cache/flexguard/bench/), native + wasm + CLI numbers.
bench: build
	tools/setup-bench.sh
	cargo build --release --example bench
	node bench/run.js


test: test-rust test-npm lint-self test-bundles test-hardening test-precommit test-webpack test-playground

# Hardening (issue 10): the npm suite against the real wasm (adversarial inputs, traps, memory);
# the Rust adversarial and regression suites run under `cargo test` already.
.PHONY: test-hardening test-hardening-release fuzz fuzz-smoke
test-hardening: build
	cd npm && node --test test/hardening.test.js

# The 50 MB single-line bundle, optimised (too slow unoptimised for every `make test`).
test-hardening-release:
	cargo test --release --test adversarial -- --include-ignored

# Fuzzing needs nightly + cargo-fuzz (tools/fuzz.sh installs them), so it is not part of `make test`.
fuzz-smoke:
	tools/fuzz.sh smoke
TARGET ?= scan_js
SECS ?= 1800
fuzz:
	tools/fuzz.sh run $(TARGET) $(SECS)

# FlexguardWebpackPlugin in real webpack 4 and 5 builds and in the real Flex plugin build.
# tools/setup-webpack.sh caches webpack and the ~830 MB Flex install under ~/.cache/flexguard.
.PHONY: test-webpack
test-webpack: build
	tools/setup-webpack.sh
	cd npm && node --test --test-concurrency=1 test/webpack/*.test.js

# Pre-commit integrations with real husky, lint-staged and pre-commit framework installs (cached
# under $HOME/.cache/flexguard by tools/setup-precommit.sh), each run by a real `git commit`.
test-precommit: build
	tools=$$(tools/setup-precommit.sh); cd npm && FLEXGUARD_PRECOMMIT_TOOLS=$$tools node --test test/pre-commit.test.js

