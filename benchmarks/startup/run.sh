#!/usr/bin/env bash
# Import and first-command cost of BinanceKeys, side by side with a bare PowerShell (docs/performance.md).
# pwsh is stood in for by tools/BinanceKeys.Shell (the SDK's own console host, the one pwsh runs), started bare
# (BINANCEKEYS_SHELL_NO_IMPORT=1) so that each command imports what it says. Needs hyperfine (Debian package).
#   benchmarks/startup/run.sh [RUNS]        RUNS defaults to 30; results in benchmarks/startup/results/
# PWSH=/path/to/pwsh benchmarks/startup/run.sh measures a real pwsh instead.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-30}"
command -v hyperfine >/dev/null || { echo "hyperfine is missing: apt-get install hyperfine" >&2; exit 2; }

# The module as released: Release, with the ReadyToRun images of bin/dependencies/ready/linux-x64.
dotnet build -c Release src/BinanceKeys >/dev/null
if [[ -n "${PWSH:-}" ]]; then
    shell="$PWSH"
else
    # pwsh ships precompiled (ReadyToRun); so does the stand-in, published once into benchmarks/startup/bin/shell
    # (several minutes), or the baseline would be JIT time that no pwsh user pays.
    shell="$(pwd)/benchmarks/startup/bin/shell/BinanceKeys.Shell"
    if [[ ! -x "$shell" ]]; then
        dotnet publish tools/BinanceKeys.Shell -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
            -o benchmarks/startup/bin/shell >/dev/null
    fi
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# An unencrypted Ed25519 key for the first command: signing needs no SecureString (no other module loads).
openssl genpkey -algorithm ed25519 -out "$work/bench.pem" 2>/dev/null
manifest="$(pwd)/BinanceKeys.psd1"
mkdir -p benchmarks/startup/results
export BINANCEKEYS_SHELL_NO_IMPORT=1 NO_COLOR=1 POWERSHELL_TELEMETRY_OPTOUT=1 POWERSHELL_UPDATECHECK=Off

hyperfine -N --warmup 3 --runs "$runs" \
    --export-json benchmarks/startup/results/startup.json --export-markdown benchmarks/startup/results/startup.md \
    -n 'bare: -Command exit' "$shell -NoProfile -Command exit" \
    -n 'Import-Module BinanceKeys' "$shell -NoProfile -Command Import-Module '$manifest'; exit" \
    -n 'import + first New-BinanceSignature' "$shell -NoProfile -Command Import-Module '$manifest'; \$null = New-BinanceSignature -PrivateKeyPath '$work/bench.pem' -Payload a=1; exit" \
    -n 'same, IL only (BINANCEKEYS_NO_READYTORUN=1)' "env BINANCEKEYS_NO_READYTORUN=1 $shell -NoProfile -Command Import-Module '$manifest'; \$null = New-BinanceSignature -PrivateKeyPath '$work/bench.pem' -Payload a=1; exit"

python3 - benchmarks/startup/results/startup.json <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
bare = results[0]
print(f"{'command':40} {'mean s':>8} {'± s':>6} {'ratio':>6} {'CPU s':>7} {'CPU ratio':>9}")
for r in results:
    cpu, bare_cpu = r["user"] + r["system"], bare["user"] + bare["system"]
    print(f"{r['command']:40} {r['mean']:8.3f} {r['stddev']:6.3f} {r['mean'] / bare['mean']:6.2f} {cpu:7.3f} {cpu / bare_cpu:9.2f}")
PY
