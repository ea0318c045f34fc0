#!/usr/bin/env bash
# `make release-check`: the release zips in dist/ (from `make release`) as
# users get them, checked on this Linux amd64 machine:
#
#   every zip   holds exactly terraform-provider-jetbackup_vVERSION[.exe],
#               and matches SHA256SUMS
#   linux_amd64, linux_arm64 (under qemu-aarch64), windows_amd64 (under wine64)
#               real Terraform runs the unzipped binary through a dev_overrides
#               directory whose terraform-provider-jetbackup starts it:
#               apply examples/demo, an empty plan, destroy, against
#               jetbackup-sim; the Linux binaries ask for no glibc newer than
#               2.17, the Windows one imports only Windows' own DLLs
#   darwin_amd64, darwin_arm64
#               cannot run here: a Mach-O executable of the right CPU that
#               loads only libraries every macOS has (scripts/macho-dylibs.py)
#   signing     a throw-away RSA key in a temporary GNUPGHOME signs a release
#               (scripts/release.sh with JETBACKUP_GPG_KEY); gpgv with only the
#               exported public key verifies it, sha256sum -c every checksum,
#               and a changed SHA256SUMS or zip is refused; without the key the
#               release says UNSIGNED and has no .sig
#
# Needs `make release-tools`, `make tools` and `make build` (the simulator);
# `make release-check` runs them. JETBACKUP_TERRAFORM picks the CLI (default
# .tools/bin/terraform, else terraform on PATH). Leaves no process behind.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

NAME="terraform-provider-jetbackup"
VERSION="$(sed -n 's/^version *= *"\(.*\)"/\1/p' Cargo.toml | head -n1)"
DIST="$ROOT/dist"
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$ROOT/$TARGET_DIR" ;; esac
SIM="$TARGET_DIR/debug/jetbackup-sim"
SUMS="$DIST/${NAME}_${VERSION}_SHA256SUMS"
QEMU=/usr/bin/qemu-aarch64
ARM64_SYSROOT=/usr/aarch64-linux-gnu
WINE=/usr/lib/wine/wine64
WINESERVER=/usr/lib/wine/wineserver

START_NS="$(date +%s%N)"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/jetbackup-release-check.XXXXXX")"
SIM_PID=""
WINEPREFIX_USED=""
GNUPGHOME_USED=""

stop_sim() {
    if [ -n "$SIM_PID" ] && kill -0 "$SIM_PID" 2>/dev/null; then
        kill "$SIM_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$SIM_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$SIM_PID" 2>/dev/null || true
    fi
    [ -z "$SIM_PID" ] || wait "$SIM_PID" 2>/dev/null || true
    SIM_PID=""
}

cleanup() {
    local rc=$?
    stop_sim
    # Only this run's wineserver and gpg-agent (their own prefix and home).
    if [ -n "$WINEPREFIX_USED" ]; then
        WINEPREFIX="$WINEPREFIX_USED" "$WINESERVER" -k 2>/dev/null || true
    fi
    if [ -n "$GNUPGHOME_USED" ]; then
        gpgconf --homedir "$GNUPGHOME_USED" --kill all 2>/dev/null || true
    fi
    if [ "$rc" -ne 0 ]; then
        for f in "$TMP"/*/sim.err "$TMP"/*/provider.log; do
            [ -s "$f" ] || continue
            echo "--- ${f#"$TMP"/} (last 30 lines) ---" >&2
            tail -n 30 "$f" >&2
        done
        echo "release-check FAILED (exit $rc)" >&2
    fi
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

die() { echo "release-check: $*" >&2; exit 1; }
step() { printf '\n=== %s ===\n' "$*"; }
elapsed() { local ms=$(( ($(date +%s%N) - $1) / 1000000 )); printf '%d.%01d s' $((ms / 1000)) $(((ms % 1000) / 100)); }

[ -n "$VERSION" ] || die "cannot read the version from Cargo.toml"
[ -x "$SIM" ] || die "$SIM not found: run 'make build'"
[ -f "$SUMS" ] || die "$SUMS not found: run 'make release'"
for tool in "$QEMU" "$ARM64_SYSROOT/lib/ld-linux-aarch64.so.1" "$WINE" "$WINESERVER" \
    "$(command -v gpg || true)" "$(command -v gpgv || true)" "$(command -v llvm-objdump || true)"; do
    [ -n "$tool" ] && [ -e "$tool" ] || die "missing tools: run 'make release-tools' (llvm-objdump: apt-get install llvm)"
done
if [ -n "${JETBACKUP_TERRAFORM:-}" ]; then
    TERRAFORM="$JETBACKUP_TERRAFORM"
elif [ -x "$ROOT/.tools/bin/terraform" ]; then
    TERRAFORM="$ROOT/.tools/bin/terraform"
elif command -v terraform >/dev/null 2>&1; then
    TERRAFORM="$(command -v terraform)"
else
    die "no Terraform CLI: run 'make tools'"
fi

# --- the files ----------------------------------------------------------------
step "dist/: checksums and zip contents"
(cd "$DIST" && sha256sum --check --strict "$(basename "$SUMS")")
PLATFORMS=(linux_amd64 linux_arm64 darwin_amd64 darwin_arm64 windows_amd64)
for platform in "${PLATFORMS[@]}"; do
    zip="${NAME}_${VERSION}_${platform}.zip"
    grep -q "  $zip\$" "$SUMS" || die "$zip is not in $(basename "$SUMS")"
    exe=""
    [[ "$platform" == windows_* ]] && exe=".exe"
    mkdir -p "$TMP/$platform/bin"
    python3 - "$DIST/$zip" "$TMP/$platform/bin" "${NAME}_v${VERSION}${exe}" <<'PY'
import os, sys, zipfile
zip_path, out, expected = sys.argv[1:4]
with zipfile.ZipFile(zip_path) as z:
    names = z.namelist()
    if names != [expected]:
        sys.exit(f"{zip_path}: holds {names}, expected exactly [{expected!r}]")
    info = z.getinfo(expected)
    mode = info.external_attr >> 16
    if not mode & 0o111:
        sys.exit(f"{zip_path}: {expected} is not executable (mode {oct(mode)})")
    z.extract(info, out)
    os.chmod(os.path.join(out, expected), 0o755)
    print(f"{os.path.basename(zip_path)}: {expected}, {info.file_size} bytes, mode {oct(mode & 0o777)}")
PY
done

binary_of() {
    local exe=""
    [[ "$1" == windows_* ]] && exe=".exe"
    echo "$TMP/$1/bin/${NAME}_v${VERSION}${exe}"
}

# --- formats and what the binaries load ---------------------------------------
step "linux_*: ELF of the right CPU, glibc <= 2.17"
for platform in linux_amd64 linux_arm64; do
    bin="$(binary_of "$platform")"
    file -b "$bin"
    case "$platform" in
        linux_amd64) grep -q 'ELF 64-bit LSB .*x86-64' <<<"$(file -b "$bin")" || die "$platform: not an x86-64 ELF" ;;
        linux_arm64) grep -q 'ELF 64-bit LSB .*ARM aarch64' <<<"$(file -b "$bin")" || die "$platform: not an aarch64 ELF" ;;
    esac
    needed="$(llvm-objdump -p "$bin" | awk '$1 == "NEEDED" { print $2 }' | sort | tr '\n' ' ')"
    newest="$(llvm-objdump -T "$bin" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -n1)"
    echo "  loads: $needed; newest glibc symbol version: $newest"
    [ "$(printf '%s\n' "$newest" GLIBC_2.17 | sort -V | tail -n1)" = GLIBC_2.17 ] ||
        die "$platform needs $newest, newer than the glibc 2.17 it is built for"
done

step "windows_amd64: PE32+ x86-64, imports only Windows' own DLLs"
win_bin="$(binary_of windows_amd64)"
file -b "$win_bin"
grep -q 'PE32+ executable .*x86-64' <<<"$(file -b "$win_bin")" || die "windows_amd64: not a PE32+ x86-64 executable"
dlls="$(llvm-objdump -p "$win_bin" | awk '/DLL Name:/ { print $3 }' | sort -uf)"
echo "  imports: $(echo "$dlls" | tr '\n' ' ')"
# MinGW's runtime DLLs (libgcc_s_seh-1, libwinpthread-1, libstdc++-6) are not
# on a user's Windows: everything but the system's own must be linked in.
while read -r dll; do
    case "${dll,,}" in
        kernel32.dll | ntdll.dll | ws2_32.dll | advapi32.dll | bcrypt.dll | bcryptprimitives.dll | \
            crypt32.dll | userenv.dll | secur32.dll | ncrypt.dll | api-ms-win-*.dll) ;;
        *) die "windows_amd64 imports $dll, which is not part of Windows" ;;
    esac
done <<<"$dlls"

step "darwin_*: Mach-O of the right CPU, system libraries only (built, not run)"
for platform in darwin_amd64 darwin_arm64; do
    bin="$(binary_of "$platform")"
    file -b "$bin"
    # Rust's floor for each CPU (what scripts/release.sh asks zig for).
    case "$platform" in
        darwin_amd64) python3 "$ROOT/scripts/macho-dylibs.py" "$bin" x86_64 10.12 ;;
        darwin_arm64) python3 "$ROOT/scripts/macho-dylibs.py" "$bin" arm64 11.0 ;;
    esac
done

# --- Terraform runs the foreign binaries --------------------------------------
start_sim() {
    local dir="$1" line url=""
    "$SIM" --listen 127.0.0.1:0 >"$dir/sim.out" 2>"$dir/sim.err" </dev/null &
    SIM_PID=$!
    for _ in $(seq 1 100); do
        line="$(head -n1 "$dir/sim.out" 2>/dev/null || true)"
        if [[ "$line" =~ listening\ on\ (https?://[^[:space:]]+) ]]; then
            url="${BASH_REMATCH[1]}"
            break
        fi
        kill -0 "$SIM_PID" 2>/dev/null || die "jetbackup-sim exited before it was listening"
        sleep 0.1
    done
    [ -n "$url" ] || die "jetbackup-sim did not print 'listening on http://...' within 10 s"
    SIM_URL="${url%/}"
}

# run_under PLATFORM LAUNCHER...: Terraform starts the platform's binary
# through a dev_overrides directory whose terraform-provider-jetbackup is a
# script exec'ing LAUNCHER BINARY; apply, empty plan, destroy.
run_under() {
    local platform="$1"
    shift
    local dir="$TMP/$platform" started
    started="$(date +%s%N)"
    local bin launcher
    bin="$(binary_of "$platform")"
    mkdir -p "$dir/plugins" "$dir/work"
    launcher=""
    [ "$#" -eq 0 ] || launcher="$(printf '%q ' "$@")"
    cat >"$dir/plugins/$NAME" <<SH
#!/bin/sh
# Terraform starts this; it records the start and becomes the $platform binary.
echo "started \$\$" >>"$dir/launches"
exec $launcher"$bin" "\$@"
SH
    chmod 0755 "$dir/plugins/$NAME"
    cp "$ROOT"/examples/demo/*.tf "$dir/work/"
    cat >"$dir/terraform.rc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/jetbackup-community/jetbackup" = "$dir/plugins"
    "registry.opentofu.org/jetbackup-community/jetbackup" = "$dir/plugins"
  }
  direct {}
}
RC
    start_sim "$dir"
    step "$platform: $(TF_CLI_CONFIG_FILE="$dir/terraform.rc" "$TERRAFORM" version | head -n1) runs ${*:+$* }$(basename "$bin") against $SIM_URL"
    (
        cd "$dir/work"
        export TF_CLI_CONFIG_FILE="$dir/terraform.rc" TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
        export JETBACKUP_ENDPOINT="$SIM_URL" JETBACKUP_API_TOKEN=sim-token JETBACKUP_PANEL=cpanel
        # The provider's log (TF_LOG_PATH), shown if a step fails.
        export TF_LOG_PROVIDER=DEBUG TF_LOG_PATH="$dir/provider.log"
        "$TERRAFORM" apply -no-color -auto-approve -input=false >"$dir/apply.out" ||
            { cat "$dir/apply.out"; exit 1; }
        grep -E '^(Apply complete|job_id)' "$dir/apply.out"
        job_id="$("$TERRAFORM" output -raw job_id)"
        [ -n "$job_id" ] || { echo "$platform: job_id output is empty" >&2; exit 1; }
        rc=0
        "$TERRAFORM" plan -no-color -detailed-exitcode -input=false >"$dir/plan.out" || rc=$?
        case "$rc" in
            0) echo "plan after apply: no changes" ;;
            2) cat "$dir/plan.out"; echo "$platform: plan after apply wants changes" >&2; exit 1 ;;
            *) cat "$dir/plan.out"; echo "$platform: terraform plan failed (exit $rc)" >&2; exit 1 ;;
        esac
        "$TERRAFORM" destroy -no-color -auto-approve -input=false >"$dir/destroy.out" ||
            { cat "$dir/destroy.out"; exit 1; }
        grep -E '^Destroy complete' "$dir/destroy.out"
        [ -z "$("$TERRAFORM" state list)" ] || { echo "$platform: state not empty after destroy" >&2; exit 1; }
    ) || die "$platform: Terraform could not apply, plan and destroy with this binary"
    stop_sim
    [ -s "$dir/launches" ] || die "$platform: Terraform never started the wrapper"
    echo "$platform: OK, $(wc -l <"$dir/launches") provider processes started, $(elapsed "$started")"
}

run_under linux_amd64
run_under linux_arm64 "$QEMU" -L "$ARM64_SYSROOT"

# A prefix of this run's own, made before Terraform's first start (wineboot
# takes seconds, more than a plugin's handshake should); no Mono or Gecko
# installer prompts, no wine debug chatter.
WINEPREFIX_USED="$TMP/wineprefix"
export WINEPREFIX="$WINEPREFIX_USED" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
step "windows_amd64: wine prefix ($("$WINE" --version))"
wine_started="$(date +%s%N)"
# One wineserver, started first, for the whole check: without it each of
# Terraform's starts of the provider would set a Wine session up again.
mkdir -p "$WINEPREFIX"
"$WINESERVER" -p
"$WINE" wineboot --init >"$TMP/wineboot.log" 2>&1 || { cat "$TMP/wineboot.log"; die "wineboot failed"; }
echo "wineboot --init: $(elapsed "$wine_started")"
# Wine 8 lacks bcryptprimitives.dll (Windows 10 has it; Rust's std imports
# its ProcessPrng): make release-tools builds a stand-in over BCryptGenRandom
# (scripts/wine-bcryptprimitives.c); it goes into this prefix only, not into
# the release.
SHIM="$ROOT/.tools/release-wine/bcryptprimitives.dll"
[ -f "$SHIM" ] || die "$SHIM not found: run 'make release-tools'"
cp "$SHIM" "$WINEPREFIX/drive_c/windows/system32/"
run_under windows_amd64 "$WINE"
"$WINESERVER" -k 2>/dev/null || true
WINEPREFIX_USED=""
unset WINEPREFIX WINEDEBUG WINEDLLOVERRIDES

# --- signing ------------------------------------------------------------------
step "signing: a throw-away key signs, gpgv verifies, sha256sum checks every file"
GNUPGHOME_USED="$TMP/gnupg"
mkdir -m 0700 "$GNUPGHOME_USED"
export GNUPGHOME="$GNUPGHOME_USED"
gpg --batch --quiet --pinentry-mode loopback --passphrase '' \
    --quick-gen-key "jetbackup release-check <release-check@example.invalid>" rsa3072 sign 1d
fpr="$(gpg --batch --with-colons --list-keys | awk -F: '$1 == "fpr" { print $10; exit }')"
[ -n "$fpr" ] || die "gpg made no key"
signed_out="$(JETBACKUP_GPG_KEY="$fpr" JETBACKUP_DIST="$TMP/signed" scripts/release.sh 2>"$TMP/signed.log")" ||
    { cat "$TMP/signed.log"; die "scripts/release.sh with JETBACKUP_GPG_KEY failed"; }
echo "$signed_out" | tail -n1
signed_sums="$TMP/signed/$(basename "$SUMS")"
[ -f "$signed_sums.sig" ] || die "signed release has no $(basename "$SUMS").sig"
# The registry serves a binary OpenPGP signature packet, not ASCII armour.
first="$(head -c1 "$signed_sums.sig" | od -An -tx1 | tr -d ' ')"
case "$first" in 88 | 89 | c2) ;; *) die "the .sig is not a binary OpenPGP signature (first byte 0x$first)" ;; esac
gpg --batch --export "$fpr" >"$TMP/public.gpg"
gpgv --keyring "$TMP/public.gpg" "$signed_sums.sig" "$signed_sums" 2>&1 | grep -E 'Good signature|using RSA key'
# Every file of the release, and only the release's files, in the checksums.
(cd "$TMP/signed" && sha256sum --check --strict "$(basename "$signed_sums")")
[ "$(wc -l <"$signed_sums")" -eq 6 ] || die "SHA256SUMS should list 5 zips and the manifest"
# The same binaries as dist/ (each target built once, reused).
for platform in "${PLATFORMS[@]}"; do
    zip="${NAME}_${VERSION}_${platform}.zip"
    cmp -s <(grep "  $zip\$" "$SUMS") <(grep "  $zip\$" "$signed_sums") ||
        die "$zip differs between dist/ and the signed release"
done
# Can it fail? A changed SHA256SUMS, and a changed zip.
sed '1s/^./X/' "$signed_sums" >"$TMP/tampered_SHA256SUMS"
if gpgv --keyring "$TMP/public.gpg" "$signed_sums.sig" "$TMP/tampered_SHA256SUMS" 2>/dev/null; then
    die "gpgv accepted a changed SHA256SUMS"
fi
echo "gpgv refuses a changed SHA256SUMS"
first_zip="$(awk 'NR == 1 { print $2 }' "$signed_sums")"
printf 'x' >>"$TMP/signed/$first_zip"
if (cd "$TMP/signed" && sha256sum --check --strict --quiet "$(basename "$signed_sums")" 2>/dev/null); then
    die "sha256sum accepted a changed $first_zip"
fi
echo "sha256sum refuses a changed $first_zip"
gpgconf --homedir "$GNUPGHOME_USED" --kill all 2>/dev/null || true
GNUPGHOME_USED=""
unset GNUPGHOME

step "unsigned: no JETBACKUP_GPG_KEY"
unsigned_out="$(env -u JETBACKUP_GPG_KEY JETBACKUP_DIST="$TMP/unsigned" scripts/release.sh 2>"$TMP/unsigned.log")" ||
    { cat "$TMP/unsigned.log"; die "scripts/release.sh without a key failed"; }
echo "$unsigned_out" | tail -n1
grep -q '^UNSIGNED: ' <<<"$unsigned_out" || die "an unsigned release does not say so"
[ ! -e "$TMP/unsigned/$(basename "$SUMS").sig" ] || die "an unsigned release has a .sig"

step "release-check OK in $(elapsed "$START_NS") wall time"
