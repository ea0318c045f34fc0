#!/usr/bin/env bash
# `make release`: the registry's files for every platform, built on this
# Linux machine with cargo-zigbuild (zig as C compiler and linker):
#
#   dist/terraform-provider-jetbackup_VERSION_{linux,darwin}_{amd64,arm64}.zip
#   dist/terraform-provider-jetbackup_VERSION_windows_amd64.zip   (…_vVERSION.exe inside)
#   dist/terraform-provider-jetbackup_VERSION_manifest.json
#   dist/terraform-provider-jetbackup_VERSION_SHA256SUMS
#   dist/terraform-provider-jetbackup_VERSION_SHA256SUMS.sig      (only when signed)
#
# Signing: JETBACKUP_GPG_KEY names a key of the GnuPG keyring (fingerprint,
# key ID or user ID; GNUPGHOME as gpg uses it); the SHA256SUMS file gets a
# detached binary signature, as the Terraform registry expects. Without it the
# release is unsigned, and says so.
#
# Needs `make release-tools`. Each target is built once into
# target/TRIPLE/release/ and reused by later runs (cargo's own caching).
# JETBACKUP_DIST sets the output directory (default dist/);
# JETBACKUP_RELEASE_PLATFORMS a subset ("linux_arm64 darwin_arm64").
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

NAME="terraform-provider-jetbackup"
VERSION="$(sed -n 's/^version *= *"\(.*\)"/\1/p' Cargo.toml | head -n1)"
[ -n "$VERSION" ] || { echo "release: cannot read the version from Cargo.toml" >&2; exit 1; }
DIST="${JETBACKUP_DIST:-dist}"
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
VENV="$ROOT/.tools/release-venv"

# Registry platform -> Rust target. Linux links against glibc 2.17 (zig's
# stubs), so the binaries run on any distribution since RHEL/CentOS 7.
PLATFORMS=(
    "linux_amd64 x86_64-unknown-linux-gnu.2.17"
    "linux_arm64 aarch64-unknown-linux-gnu.2.17"
    "darwin_amd64 x86_64-apple-darwin"
    "darwin_arm64 aarch64-apple-darwin"
    "windows_amd64 x86_64-pc-windows-gnu"
)

log() { printf 'release: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

[ -x "$VENV/bin/cargo-zigbuild" ] || die "cargo-zigbuild not found in $VENV: run 'make release-tools'"
# cargo-zigbuild finds zig through `python3 -m ziglang`: the venv's python.
export PATH="$VENV/bin:$PATH"

selected=()
for entry in "${PLATFORMS[@]}"; do
    read -r platform _ <<<"$entry"
    if [ -z "${JETBACKUP_RELEASE_PLATFORMS:-}" ] || [[ " $JETBACKUP_RELEASE_PLATFORMS " == *" $platform "* ]]; then
        selected+=("$entry")
    fi
done
[ "${#selected[@]}" -gt 0 ] || die "JETBACKUP_RELEASE_PLATFORMS=\"$JETBACKUP_RELEASE_PLATFORMS\" names no platform"

SUMS="$DIST/${NAME}_${VERSION}_SHA256SUMS"
MANIFEST="$DIST/${NAME}_${VERSION}_manifest.json"
mkdir -p "$DIST"
rm -rf "$DIST/.stage"
# A stale signature must never sit beside new checksums.
rm -f "$SUMS" "$SUMS.sig"

files=()
for entry in "${selected[@]}"; do
    read -r platform target <<<"$entry"
    triple="${target%.2.17}"
    exe=""
    [[ "$platform" == windows_* ]] && exe=".exe"
    # The oldest macOS Rust supports on each CPU; zig's default is its
    # newest, which would refuse to start on any older macOS.
    deployment=()
    case "$target" in
        aarch64-apple-darwin) deployment=(MACOSX_DEPLOYMENT_TARGET=11.0) ;;
        x86_64-apple-darwin) deployment=(MACOSX_DEPLOYMENT_TARGET=10.12) ;;
    esac
    log "$platform: ${deployment[*]} cargo zigbuild --release --target $target"
    started=$(date +%s)
    env -u MACOSX_DEPLOYMENT_TARGET "${deployment[@]}" \
        cargo-zigbuild zigbuild --locked --release --bin "$NAME" --target "$target"
    log "$platform: built in $(( $(date +%s) - started )) s"

    binary="$TARGET_DIR/$triple/release/$NAME$exe"
    [ -f "$binary" ] || die "$binary not found after the build"
    stage="$DIST/.stage/$platform"
    mkdir -p "$stage"
    inner="${NAME}_v${VERSION}${exe}"
    # -p: the entry's time is the build's, so a release of unchanged
    # binaries is byte for byte the same zip.
    install -p -m 0755 "$binary" "$stage/$inner"
    zip="$DIST/${NAME}_${VERSION}_${platform}.zip"
    rm -f "$zip"
    # The entry keeps its 0755 mode (unzip on Linux and macOS restores it).
    python3 - "$zip" "$stage/$inner" "$inner" <<'PY'
import sys, zipfile
zip_path, src, arcname = sys.argv[1:4]
with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    z.write(src, arcname)
PY
    files+=("$(basename "$zip")")
done
rm -rf "$DIST/.stage"

cp terraform-registry-manifest.json "$MANIFEST"
files+=("$(basename "$MANIFEST")")
(cd "$DIST" && sha256sum "${files[@]}" >"$(basename "$SUMS")")

if [ -n "${JETBACKUP_GPG_KEY:-}" ]; then
    command -v gpg >/dev/null 2>&1 || die "JETBACKUP_GPG_KEY is set but gpg is not installed"
    # Binary (not armored) detached signature: what the registry serves as
    # the SHA256SUMS.sig Terraform verifies.
    gpg --batch --yes --local-user "$JETBACKUP_GPG_KEY" --detach-sign \
        --output "$SUMS.sig" "$SUMS" ||
        die "gpg could not sign with JETBACKUP_GPG_KEY=$JETBACKUP_GPG_KEY"
    signed="signed with $JETBACKUP_GPG_KEY: $(basename "$SUMS").sig"
else
    signed="UNSIGNED: no $(basename "$SUMS").sig (set JETBACKUP_GPG_KEY to a GPG key to sign)"
fi

echo "release $VERSION in $DIST/:"
for f in "${files[@]}" "$(basename "$SUMS")" ${JETBACKUP_GPG_KEY:+"$(basename "$SUMS").sig"}; do
    printf '  %10d  %s\n' "$(stat -c %s "$DIST/$f")" "$f"
done
echo "$signed"
