#!/usr/bin/env bash
# Import and first-command cost of BinanceKeys, side by side with a bare PowerShell (docs/performance.md).
# pwsh is stood in for by tools/BinanceKeys.Shell (the SDK's own console host, the one pwsh runs), started bare
# (BINANCEKEYS_SHELL_NO_IMPORT=1) so that each command imports what it says. Needs hyperfine (Debian package).
#   benchmarks/startup/run.sh [RUNS]        RUNS defaults to 30 (hyperfine runs, then as many rounds in turns);
#                                           results in benchmarks/startup/results/
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
    # PowerShell looks for its own modules in $PSHOME/Modules, the folder of System.Management.Automation.dll. A
    # platform-specific publish puts that assembly at the top but leaves the SDK's Modules folder under runtimes/:
    # put it where pwsh has it, or the stand-in would lack Microsoft.PowerShell.Utility and the rest.
    if [[ ! -e benchmarks/startup/bin/shell/Modules ]]; then
        ln -s runtimes/unix/lib/net10.0/Modules benchmarks/startup/bin/shell/Modules
    fi
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# An unencrypted Ed25519 key for the first command: signing needs no SecureString (no other module loads).
openssl genpkey -algorithm ed25519 -out "$work/bench.pem" 2>/dev/null
manifest="$(pwd)/BinanceKeys.psd1"
# A string comparison: PowerShell's -eq on text is culture-aware and ignores case, and the first such comparison of a
# process has ICU build its case-insensitive collator (13-16 ms). Import-Module pays it too, matching the manifest's
# export lists (explicit, as PSScriptAnalyzer requires); nearly every real script pays it; a bare -Command exit does not.
# The floor: what PowerShell itself charges for importing any manifest module with a format file (it builds its culture-
# aware name comparer on the first manifest import, and rebuilds its whole format database for any format file).
mkdir -p "$work/Floor"
printf '<?xml version="1.0" encoding="utf-8"?>\n<Configuration><ViewDefinitions></ViewDefinitions></Configuration>\n' > "$work/Floor/Floor.Format.ps1xml"
printf "@{ ModuleVersion = '1.0'; FormatsToProcess = @('Floor.Format.ps1xml'); FunctionsToExport = @(); CmdletsToExport = @(); AliasesToExport = @(); VariablesToExport = @() }\n" > "$work/Floor/Floor.psd1"
mkdir -p benchmarks/startup/results
export BINANCEKEYS_SHELL_NO_IMPORT=1 NO_COLOR=1 POWERSHELL_TELEMETRY_OPTOUT=1 POWERSHELL_UPDATECHECK=Off

names=(
    'bare: -Command exit'
    "bare, comparing two strings: 'a' -eq 'A'"
    'floor: an empty manifest module with a format file'
    'Import-Module BinanceKeys'
    'import + first New-BinanceSignature'
    'same, IL only (BINANCEKEYS_NO_READYTORUN=1)'
    'same, no start-up warm-up (BINANCEKEYS_NO_WARMUP=1)'
)
commands=(
    "$shell -NoProfile -Command exit"
    "$shell -NoProfile -Command \$null = 'a' -eq 'A'; exit"
    "$shell -NoProfile -Command Import-Module '$work/Floor/Floor.psd1'; exit"
    "$shell -NoProfile -Command Import-Module '$manifest'; exit"
    "$shell -NoProfile -Command Import-Module '$manifest'; \$null = New-BinanceSignature -PrivateKeyPath '$work/bench.pem' -Payload a=1; exit"
    "env BINANCEKEYS_NO_READYTORUN=1 $shell -NoProfile -Command Import-Module '$manifest'; \$null = New-BinanceSignature -PrivateKeyPath '$work/bench.pem' -Payload a=1; exit"
    "env BINANCEKEYS_NO_WARMUP=1 $shell -NoProfile -Command Import-Module '$manifest'; \$null = New-BinanceSignature -PrivateKeyPath '$work/bench.pem' -Payload a=1; exit"
)

# 1. hyperfine, one command after another (its JSON and Markdown are kept in results/).
arguments=()
for i in "${!names[@]}"; do arguments+=(-n "${names[$i]}" "${commands[$i]}"); done
hyperfine -N --warmup 3 --runs "$runs" \
    --export-json benchmarks/startup/results/startup.json --export-markdown benchmarks/startup/results/startup.md "${arguments[@]}"

python3 - benchmarks/startup/results/startup.json <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
bare = results[0]
print(f"{'command':52} {'mean s':>8} {'± s':>6} {'ratio':>6} {'CPU s':>7} {'CPU ratio':>9}")
for r in results:
    cpu, bare_cpu = r["user"] + r["system"], bare["user"] + bare["system"]
    print(f"{r['command']:52} {r['mean']:8.3f} {r['stddev']:6.3f} {r['mean'] / bare['mean']:6.2f} {cpu:7.3f} {cpu / bare_cpu:9.2f}")
PY

# 2. The same commands in turns (the figure docs/performance.md compares): on a machine whose load changes, each
#    command sees the same conditions.
arguments=()
for i in "${!names[@]}"; do arguments+=("${names[$i]}" "${commands[$i]}"); done
python3 benchmarks/startup/interleaved.py "$runs" "${arguments[@]}" | tee benchmarks/startup/results/interleaved.txt
