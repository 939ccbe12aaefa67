# Handover — the commands developers and CI use. `make help` lists them.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
CARGO ?= cargo
# Rows of the generated benchmark files: `make bench ROWS=5000000` for the five-million-row figures.
ROWS ?= 1000000
# Times each import and the sqlite3 shell's is run, alternating; the import benchmark prints the medians.
BENCH_REPEAT ?= 3

.PHONY: help setup ui build run test fmt clippy rust-test core-has-no-tauri core-has-no-testkit core-has-no-pdf ui-test e2e bindings bench package package-test clean

help:
	@echo "make run       set everything up, build, and start the app"
	@echo "make test      set everything up and run every check and test (what CI runs)"
	@echo "make e2e       only the end-to-end tests (real window under Xvfb, over WebDriver)"
	@echo "make bindings  regenerate ui/src/api/bindings.ts from the Rust types"
	@echo "make package   build the installable .deb (target/release/bundle/deb/)"
	@echo "make bench     the benchmarks recorded in docs/benchmarks.md (release build, 1,000,000 rows;"
	@echo "               ROWS=5000000 for the five-million-row figures)"

setup:
	scripts/setup

# The frontend is built first: the app embeds ui/dist at compile time.
ui:
	npm --prefix ui run build

build: ui
	$(CARGO) build --workspace

run: setup build
	$(CARGO) run -p handover-app

fmt:
	$(CARGO) fmt --all -- --check

clippy: ui
	$(CARGO) clippy --workspace --all-targets -- -D warnings

rust-test: build core-has-no-tauri core-has-no-testkit core-has-no-pdf
	$(CARGO) test --workspace

# The domain core must not depend on Tauri, directly or through anything else.
core-has-no-tauri:
	@if $(CARGO) tree -p handover-core -e normal,build --prefix none --format '{p}' | grep -E '^tauri'; then \
	  echo "handover-core depends on Tauri (above)"; exit 1; else echo "handover-core: no tauri crate in its tree"; fi

# Rendering stays out of the core: no typst, docx-rs or krilla (PDF/DOCX) in its tree; the core builds
# models and handover-documents renders them (docs/architecture.md).
core-has-no-pdf:
	@if $(CARGO) tree -p handover-core -e normal,build --prefix none --format '{p}' | grep -E '^(typst[a-z_-]*|docx-rs|krilla|handover-documents) '; then \
	  echo "handover-core depends on a rendering crate (above)"; exit 1; else echo "handover-core: no PDF/DOCX crate in its tree"; fi

# Test data stays out of the product: the core's tree has no testkit, property-test or random-generator
# crate (they are dev-dependencies at most), and its source has no corpus (that is in handover-testkit).
TEST_ONLY_CRATES := handover-testkit|proptest|rand|rand_core|rand_chacha|rand_xorshift|rusty-fork|rust_xlsxwriter|tempfile
core-has-no-testkit:
	@tree="$$($(CARGO) tree -p handover-core -e normal,build --prefix none --format '{p}')" || exit 1; \
	if grep -E '^($(TEST_ONLY_CRATES)) ' <<<"$$tree"; then \
	  echo "handover-core depends on test-only crates (above)"; exit 1; fi
	@if grep -rniw corpus src-tauri/crates/handover-core/src; then \
	  echo "handover-core/src holds a corpus (above); test data belongs in handover-testkit"; exit 1; fi
	@echo "handover-core: no test-only crate in its tree, no corpus in its source"

ui-test:
	npm --prefix ui run typecheck
	npm --prefix ui test

e2e: build
	# Only the e2e binary: building every test again with the feature on doubled the test binaries on disk.
	$(CARGO) build -p handover-tests --features e2e --test e2e
	scripts/e2e

bindings:
	UPDATE_BINDINGS=1 $(CARGO) test -p handover-tests --test bindings

# Everything CI checks, in order of how fast each one fails.
test: setup
	$(MAKE) fmt
	$(MAKE) ui-test
	$(MAKE) clippy
	$(MAKE) rust-test
	$(MAKE) e2e

# Figures for docs/benchmarks.md. Not part of `make test`: benchmarks are read by people, not asserted.
bench: setup
	python3 -m pip install --quiet -r scripts/bench/requirements.txt
	$(CARGO) build --release --bin handover --bin handover-bench
	target/release/handover-bench import --rows $(ROWS) --repeat $(BENCH_REPEAT)
	target/release/handover-bench detect
	target/release/handover-bench plan --rows $(ROWS)
	target/release/handover-bench customers --rows $(ROWS)
	target/release/handover-bench transfer --rows $(ROWS)

package: setup
	cd src-tauri && ../ui/node_modules/.bin/tauri build --bundles deb
	@ls -1 target/release/bundle/deb/*.deb

# Installs the .deb on this machine and starts the installed app under Xvfb (needs root).
package-test: package
	scripts/package-test

clean:
	$(CARGO) clean
	rm -rf ui/dist
