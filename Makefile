# terraform-provider-jetbackup: developer entry points.
#
#   make tools    install protoc (if missing) and the pinned Terraform 1.15 into .tools/
#   make build    debug build of the provider, the simulator and the docs generator
#   make demo     apply / inspect / plan / destroy examples/demo against jetbackup-sim
#   make test     cargo fmt --check, clippy -D warnings, the fuzz targets build, cargo test
#                 (incl. real-Terraform scenarios)
#   make docs     regenerate docs/ from the provider schema
#   make release-tools  rustup targets, zig + cargo-zigbuild (PyPI, .tools/release-venv),
#                 qemu-user, wine64, gnupg (Debian) for the two targets below
#   make release  dist/: the registry's zips for linux/darwin amd64/arm64 and windows_amd64,
#                 SHA256SUMS, manifest; SHA256SUMS.sig when JETBACKUP_GPG_KEY names a GPG key
#   make release-check  runs the zips: Terraform applies/plans/destroys with linux_amd64,
#                 linux_arm64 (qemu) and windows_amd64 (wine) against jetbackup-sim; darwin's
#                 Mach-O CPU and libraries; signing with a throw-away key (README: timing)
#   make install  release build for this machine (linux_amd64) as a local Terraform plugin
#   make bench    release build; 200 jobs vs a no-op plugin with the same schema and vs 200
#                 terraform_data (apply/plan/no-op/update/destroy, 0 and 50 ms API latency),
#                 1,000 jobs, plans under latency, max_concurrent_requests 2/4/8/10, API calls
#                 per job, peak RSS, handshake time (subsets: JETBACKUP_BENCH_ONLY, _N, _N_LARGE);
#                 then 200 jobs with destinations from data sources vs literal IDs
#   make bench-fleet  10 and 50 servers x 10 jobs in one configuration: total peak RSS of the
#                 provider processes, apply/plan time, vs the same jobs on one server and vs
#                 the no-op plugin (JETBACKUP_FLEET_SERVERS, _JOBS, _RUNS)
#   make clean    remove build output, dist/ and .demo/ (distclean also removes .tools/)

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := build

NAME     := terraform-provider-jetbackup
VERSION  := $(shell sed -n 's/^version *= *"\(.*\)"/\1/p' Cargo.toml | head -n1)
OS_ARCH  := linux_amd64
DIST     := dist
# Cargo's output directory (honours CARGO_TARGET_DIR like cargo itself does).
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
PLUGIN_DIR := $(HOME)/.terraform.d/plugins/registry.terraform.io/jetbackup-community/jetbackup/$(VERSION)/$(OS_ARCH)

.PHONY: tools build demo test docs release-tools release release-check install bench bench-fleet clean distclean

tools:
	scripts/install-tools.sh

build:
	cargo build --bins

demo: tools build
	scripts/demo.sh

test: tools
	cargo fmt --all -- --check
	cargo clippy --all-targets -- -D warnings
	cargo check --quiet --manifest-path fuzz/Cargo.toml --bins
	cargo test

docs:
	cargo run --quiet --bin jetbackup-docs -- .

release-tools:
	scripts/release-tools.sh

release: release-tools
	scripts/release.sh

release-check: release tools build
	scripts/release-check.sh

# This machine's own build (target/release), not the release's zig-linked one:
# needs no release tools.
install:
	@test -n "$(VERSION)" || { echo "cannot read the version from Cargo.toml" >&2; exit 1; }
	cargo build --release --bin $(NAME)
	mkdir -p $(PLUGIN_DIR)
	install -m 0755 $(TARGET_DIR)/release/$(NAME) $(PLUGIN_DIR)/$(NAME)_v$(VERSION)
	@echo "installed $(PLUGIN_DIR)/$(NAME)_v$(VERSION)"

# Measures the --release binary (panic = "abort", as shipped): `cargo bench`
# alone would build the provider with panic = "unwind", and re-links
# target/release/ to that build, hence the copy.
# JETBACKUP_BENCH_BASELINE=path/to/older/terraform-provider-jetbackup adds a
# third, interleaved side for before/after comparisons in one run.
bench: tools
	cargo build --release --bins
	mkdir -p $(TARGET_DIR)/bench-provider
	cp $(TARGET_DIR)/release/$(NAME) $(TARGET_DIR)/bench-provider/$(NAME)
	JETBACKUP_BENCH_PROVIDER=$(TARGET_DIR)/bench-provider/$(NAME) cargo bench --bench terraform_floor
	JETBACKUP_BENCH_PROVIDER=$(TARGET_DIR)/bench-provider/$(NAME) cargo bench --bench data_sources

# The cost of a fleet: 10 and 50 servers x 10 jobs, provider vs no-op plugin,
# each beside the same jobs on one server (JETBACKUP_FLEET_SERVERS/JOBS/RUNS).
bench-fleet: tools
	cargo build --release --bins
	mkdir -p $(TARGET_DIR)/bench-provider
	cp $(TARGET_DIR)/release/$(NAME) $(TARGET_DIR)/bench-provider/$(NAME)
	JETBACKUP_BENCH_PROVIDER=$(TARGET_DIR)/bench-provider/$(NAME) cargo bench --bench fleet

clean:
	cargo clean
	rm -rf $(DIST) .demo

distclean: clean
	rm -rf .tools

# Reliability (appended; see tests/reliability_*.rs, tests/soak.rs, fuzz/):
#   make soak     100 jobs created, modified, destroyed under 20 % injected faults
#                 (ignored by `cargo test`); figures in target/soak-report.txt
#   make fuzz     each fuzz target for FUZZ_SECONDS (default 600) with libFuzzer
#                 on stable Rust (RUSTC_BOOTSTRAP=1, no sanitizer); installs cargo-fuzz
FUZZ_SECONDS ?= 600
FUZZ_TARGETS := decode_reply wire_form

.PHONY: soak fuzz

soak: tools
	cargo test --test soak -- --ignored --nocapture soak

fuzz:
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
	cd fuzz && for t in $(FUZZ_TARGETS); do \
		mkdir -p corpus/$$t; \
		RUSTC_BOOTSTRAP=1 cargo fuzz run $$t -s none -- -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 || exit 1; \
	done
