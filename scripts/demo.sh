#!/usr/bin/env bash
# Demo: manage a JetBackup 5 backup job with Terraform against the local
# JetBackup API simulator, end to end:
#
#   1. start target/debug/jetbackup-sim on a free loopback port
#   2. terraform apply examples/demo (provider from target/debug via dev_overrides)
#   3. show the job as the API now holds it (getBackupJob)
#   4. terraform plan -detailed-exitcode: must report no changes
#   5. terraform destroy
#
# Needs `make build` (and `make tools` or a terraform on PATH); `make demo`
# does both. Leaves no process behind, whatever step fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TARGET_DIR="${CARGO_TARGET_DIR:-target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$ROOT/$TARGET_DIR" ;; esac
BIN_DIR="$TARGET_DIR/debug"
SIM="$BIN_DIR/jetbackup-sim"
PROVIDER="$BIN_DIR/terraform-provider-jetbackup"
WORK="$ROOT/.demo"
TOKEN="sim-token"

START_NS="$(date +%s%N)"
SIM_PID=""
TMP="$(mktemp -d "${TMPDIR:-/tmp}/jetbackup-demo.XXXXXX")"

cleanup() {
    local rc=$?
    if [ -n "$SIM_PID" ] && kill -0 "$SIM_PID" 2>/dev/null; then
        kill "$SIM_PID" 2>/dev/null || true
        # Give it a moment to stop on SIGTERM, then make sure.
        for _ in $(seq 1 50); do
            kill -0 "$SIM_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$SIM_PID" 2>/dev/null || true
        wait "$SIM_PID" 2>/dev/null || true
    fi
    if [ "$rc" -ne 0 ] && [ -s "$TMP/sim.err" ]; then
        echo "--- jetbackup-sim stderr ---" >&2
        tail -n 40 "$TMP/sim.err" >&2
    fi
    rm -rf "$TMP"
    if [ "$rc" -ne 0 ]; then
        echo "demo FAILED (exit $rc)" >&2
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

die() { echo "demo: $*" >&2; exit 1; }
step() { printf '\n=== %s ===\n' "$*"; }

for bin in "$SIM" "$PROVIDER"; do
    [ -x "$bin" ] || die "$bin not found: run 'make build' (or 'make demo')"
done

if [ -x "$ROOT/.tools/bin/terraform" ]; then
    TERRAFORM="$ROOT/.tools/bin/terraform"
elif command -v terraform >/dev/null 2>&1; then
    TERRAFORM="$(command -v terraform)"
else
    die "no Terraform CLI: run 'make tools'"
fi

# --- 1. the simulator -------------------------------------------------------
"$SIM" --listen 127.0.0.1:0 >"$TMP/sim.out" 2>"$TMP/sim.err" </dev/null &
SIM_PID=$!

URL=""
for _ in $(seq 1 100); do
    line="$(head -n1 "$TMP/sim.out" 2>/dev/null || true)"
    if [[ "$line" =~ listening\ on\ (https?://[^[:space:]]+) ]]; then
        URL="${BASH_REMATCH[1]}"
        break
    fi
    kill -0 "$SIM_PID" 2>/dev/null || die "jetbackup-sim exited before it was listening"
    sleep 0.1
done
[ -n "$URL" ] || die "jetbackup-sim did not print 'listening on http://...' within 10 s"
URL="${URL%/}"
step "jetbackup-sim listening on $URL (pid $SIM_PID)"

# --- 2. the Terraform working directory ------------------------------------
rm -rf "$WORK"
mkdir -p "$WORK"
cp "$ROOT"/examples/demo/*.tf "$WORK"/
cat >"$WORK/terraform.rc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/jetbackup-community/jetbackup" = "$BIN_DIR"
    "registry.opentofu.org/jetbackup-community/jetbackup" = "$BIN_DIR"
  }
  direct {}
}
RC

export TF_CLI_CONFIG_FILE="$WORK/terraform.rc"
export TF_IN_AUTOMATION=1
export TF_INPUT=0
export CHECKPOINT_DISABLE=1
export JETBACKUP_ENDPOINT="$URL"
export JETBACKUP_API_TOKEN="$TOKEN"
export JETBACKUP_PANEL=cpanel
unset RUST_BACKTRACE RUST_LIB_BACKTRACE

# Colour only on a terminal.
NO_COLOR=()
[ -t 1 ] || NO_COLOR=(-no-color)

tf() { (cd "$WORK" && "$TERRAFORM" "$@"); }

step "$("$TERRAFORM" version | head -n1) ($TERRAFORM)"

# --- 3. apply ---------------------------------------------------------------
step "terraform apply"
tf apply "${NO_COLOR[@]}" -auto-approve -input=false

JOB_ID="$(tf output -raw job_id)"
[ -n "$JOB_ID" ] || die "terraform output job_id is empty"

# --- 4. what the API now holds ----------------------------------------------
step "The job as JetBackup now holds it (getBackupJob)"
API="$URL/cgi/addons/jetbackup5/api.cgi"
if command -v curl >/dev/null 2>&1; then
    curl -sS --fail-with-body \
        -H "Authorization: whm root:$TOKEN" \
        --data-urlencode "function=getBackupJob" \
        --data-urlencode "_id=$JOB_ID" \
        "$API" >"$TMP/job.json"
else
    python3 - "$API" "$TOKEN" "$JOB_ID" >"$TMP/job.json" <<'PY'
import sys, urllib.parse, urllib.request
api, token, job_id = sys.argv[1:4]
body = urllib.parse.urlencode({"function": "getBackupJob", "_id": job_id}).encode()
req = urllib.request.Request(api, data=body, method="POST",
                             headers={"Authorization": f"whm root:{token}"})
with urllib.request.urlopen(req, timeout=30) as resp:
    sys.stdout.write(resp.read().decode())
PY
fi
python3 -m json.tool "$TMP/job.json"

# --- 5. a second plan must be empty -----------------------------------------
step "terraform plan -detailed-exitcode"
if tf plan "${NO_COLOR[@]}" -detailed-exitcode -input=false; then
    rc=0
else
    rc=$?
fi
case "$rc" in
    0) step "plan after apply: no changes" ;;
    2) die "plan after apply wants changes: the provider does not converge" ;;
    *) die "terraform plan failed (exit $rc)" ;;
esac

# --- 6. destroy -------------------------------------------------------------
step "terraform destroy"
tf destroy "${NO_COLOR[@]}" -auto-approve -input=false

END_NS="$(date +%s%N)"
ELAPSED_MS=$(( (END_NS - START_NS) / 1000000 ))
step "demo OK in $((ELAPSED_MS / 1000)).$(printf '%03d' $((ELAPSED_MS % 1000))) s wall time"
