# flexguard: `make example` builds what is needed and lints examples/; `make test` runs every test.
# Targets are incremental: cargo, the wasm bindings and the TypeScript build only redo what changed.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
export INSTA_UPDATE ?= no
export CARGO_TERM_COLOR ?= never

RUST_SOURCES := $(shell find crate/src -name '*.rs') crate/Cargo.toml Cargo.toml Cargo.lock .cargo/config.toml
WASM := npm/wasm/nodejs/flexguard_bg.wasm npm/wasm/web/flexguard_bg.wasm
JS_SOURCES := $(shell find npm/src -name '*.ts') npm/tsconfig.json

.PHONY: setup wasm js build example test test-rust test-npm lint-self test-precommit

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

# Pre-commit integrations with real husky, lint-staged and pre-commit framework installs (cached
# under $HOME/.cache/flexguard by tools/setup-precommit.sh), each run by a real `git commit`.
test-precommit: build
	tools=$$(tools/setup-precommit.sh); cd npm && FLEXGUARD_PRECOMMIT_TOOLS=$$tools node --test test/pre-commit.test.js

test: test-rust test-npm lint-self test-precommit
