# flexguard: `make example` builds what is needed and lints examples/; `make test` runs every test.
# Targets are incremental: cargo, the wasm bindings and the TypeScript build only redo what changed.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
export INSTA_UPDATE ?= no
export CARGO_TERM_COLOR ?= never

RUST_SOURCES := $(shell find crate/src -name '*.rs') crate/Cargo.toml Cargo.toml Cargo.lock .cargo/config.toml
WASM := npm/wasm/nodejs/flexguard_bg.wasm npm/wasm/web/flexguard_bg.wasm
JS_SOURCES := $(shell find npm/src -name '*.ts') npm/tsconfig.json

.PHONY: setup wasm js build example test test-rust test-npm lint-self

setup:
	@tools/setup.sh

$(WASM) &: $(RUST_SOURCES) tools/build-wasm.sh | setup
	tools/build-wasm.sh

npm/dist/.stamp: $(JS_SOURCES) $(WASM)
	cd npm && node_modules/.bin/tsc -p tsconfig.json
	touch $@

wasm: setup $(WASM)
js: setup npm/dist/.stamp
build: wasm js

# Lint the bundled example: it has planted (fake) findings, so the CLI must exit 1.
example: build
	status=0; node npm/bin/flexguard.js examples || status=$$?; \
	  if [ $$status -ne 1 ]; then echo "expected exit 1 (findings), got $$status" >&2; exit 1; fi

test-rust: setup
	cargo fmt --all --check
	cargo clippy --all-targets -- -D warnings
	cargo test

test-npm: build
	cd npm && node_modules/.bin/tsc -p tsconfig.json --noEmit
	cd npm && node --test test/*.test.js

# The repository passes its own scanner (fixtures excluded by config).
lint-self: build
	node npm/bin/flexguard.js --max-warnings 0 npm/src npm/bin npm/test npm/esm tools tests

test: test-rust test-npm lint-self test-hardening

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
