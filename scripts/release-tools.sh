#!/usr/bin/env bash
# Installs what `make release` and `make release-check` need beyond
# `make tools`, from package registries only (rustup's, PyPI, Debian):
#
#   rustup targets  the standard library for aarch64-unknown-linux-gnu,
#                   x86_64-pc-windows-gnu, aarch64-apple-darwin and
#                   x86_64-apple-darwin
#   zig, cargo-zigbuild
#                   PyPI's ziglang and cargo-zigbuild (pinned) in a virtual
#                   environment, .tools/release-venv/: zig is the C compiler
#                   (ring's C and assembly) and the linker for every target,
#                   with its own glibc 2.17 stubs, mingw and macOS libSystem
#   qemu-user, libc6-arm64-cross
#                   Debian's; run the linux_arm64 binary (qemu-aarch64 -L
#                   /usr/aarch64-linux-gnu) in release-check
#   wine64          Debian's; runs the windows_amd64 binary in release-check,
#                   with .tools/release-wine/bcryptprimitives.dll, built here
#                   with zig from scripts/wine-bcryptprimitives.c (Wine 8
#                   lacks that Windows 10 DLL; see the source)
#   gnupg, file, llvm  Debian's; the signature test, the format checks and
#                   llvm-objdump (the libraries an ELF or PE file loads)
#
# `make test`, `make demo` and `make install` need none of this.
# Idempotent: a second run installs nothing and prints one "ok" line per tool.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.tools/release-venv"

ZIGLANG_VERSION="0.17.1"
ZIGBUILD_VERSION="0.24.1"
RUST_TARGETS=(aarch64-unknown-linux-gnu x86_64-pc-windows-gnu aarch64-apple-darwin x86_64-apple-darwin)

log() { printf 'release-tools: %s\n' "$*" >&2; }
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

# --- rustup targets ----------------------------------------------------------
command -v rustup >/dev/null 2>&1 || die "rustup not found: the cross targets come from rustup"
installed="$(rustup target list --installed)"
missing=()
for t in "${RUST_TARGETS[@]}"; do
    grep -qx "$t" <<<"$installed" || missing+=("$t")
done
if [ "${#missing[@]}" -gt 0 ]; then
    log "rustup target add ${missing[*]}"
    rustup target add "${missing[@]}"
fi
log "ok rustup targets: ${RUST_TARGETS[*]}"

# --- zig and cargo-zigbuild (PyPI) --------------------------------------------
# (pip's output captured first: `grep -q` closing the pipe early would make
# pip fail under pipefail.)
have_pinned() {
    local shown
    [ -x "$VENV/bin/cargo-zigbuild" ] || return 1
    shown="$("$VENV/bin/python" -m pip show ziglang cargo-zigbuild 2>/dev/null)" || return 1
    grep -qx "Name: ziglang" <<<"$shown" && grep -qx "Version: $ZIGLANG_VERSION" <<<"$shown" &&
        grep -qx "Name: cargo-zigbuild" <<<"$shown" && grep -qx "Version: $ZIGBUILD_VERSION" <<<"$shown"
}
if ! have_pinned; then
    command -v python3 >/dev/null 2>&1 || die "python3 not found"
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    log "pip install ziglang==$ZIGLANG_VERSION cargo-zigbuild==$ZIGBUILD_VERSION into $VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        "ziglang==$ZIGLANG_VERSION" "cargo-zigbuild==$ZIGBUILD_VERSION"
    have_pinned || die "pip did not install the pinned versions"
fi
log "ok zig $("$VENV/bin/python" -m ziglang version), $("$VENV/bin/cargo-zigbuild" --version)"

# --- Debian packages for release-check -----------------------------------------
# (package, file it provides)
APT=(
    "qemu-user /usr/bin/qemu-aarch64"
    "libc6-arm64-cross /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1"
    "wine64 /usr/lib/wine/wine64"
    "gnupg /usr/bin/gpg"
    "gpgv /usr/bin/gpgv"
    "file /usr/bin/file"
    "llvm /usr/bin/llvm-objdump"
)
want=()
for entry in "${APT[@]}"; do
    read -r pkg path <<<"$entry"
    [ -e "$path" ] || want+=("$pkg")
done
if [ "${#want[@]}" -gt 0 ]; then
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install ${want[*]} by hand"
    log "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    log "apt-get install ${want[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
fi
for entry in "${APT[@]}"; do
    read -r pkg path <<<"$entry"
    [ -e "$path" ] || die "$pkg did not install $path"
done
log "ok qemu-user, libc6-arm64-cross, wine64, gnupg, file, llvm"

# --- Wine's missing bcryptprimitives.dll (release-check only, never shipped) --
SHIM_SRC="$ROOT/scripts/wine-bcryptprimitives.c"
SHIM="$ROOT/.tools/release-wine/bcryptprimitives.dll"
if [ ! -f "$SHIM" ] || [ "$SHIM_SRC" -nt "$SHIM" ]; then
    mkdir -p "$(dirname "$SHIM")"
    log "zig cc $SHIM (the first build of zig's MinGW runtime takes minutes)"
    "$VENV/bin/python" -m ziglang cc -target x86_64-windows-gnu -shared -O2 \
        -o "$SHIM" "$SHIM_SRC" -lbcrypt
    rm -f "${SHIM%.dll}.lib" "${SHIM%.dll}.pdb"
fi
log "ok $SHIM"
