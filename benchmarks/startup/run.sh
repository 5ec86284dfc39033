#!/usr/bin/env bash
# Import and first-command cost of BinanceKeys, side by side with a bare PowerShell (docs/performance.md, "Import and
# first command"). pwsh is stood in for by tools/BinanceKeys.Shell (the SDK's own console host, the one pwsh runs),
# started bare (BINANCEKEYS_SHELL_NO_IMPORT=1) so that each command imports what it says. Needs python3 and openssl.
#   benchmarks/startup/run.sh [ROUNDS]      ROUNDS defaults to 30; every command runs once per round, in a shuffled
#                                           order; results in benchmarks/startup/results/ (a table and a JSON file)
# PWSH=/path/to/pwsh benchmarks/startup/run.sh measures a real pwsh instead.
# Exits 1 when the target is missed: import plus first command at most 1.2x the floor row's wall time and at most
# 1.2x that of a bare PowerShell running one statement (issue 10, item 7, as restated).
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-30}"

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
# The floor: what PowerShell itself charges for importing any manifest module with a format file (it builds its
# culture-aware name comparer on the first manifest import, and rebuilds its whole format database for any format file).
mkdir -p "$work/Floor"
printf '<?xml version="1.0" encoding="utf-8"?>\n<Configuration><ViewDefinitions></ViewDefinitions></Configuration>\n' > "$work/Floor/Floor.Format.ps1xml"
printf "@{ ModuleVersion = '1.0'; FormatsToProcess = @('Floor.Format.ps1xml'); FunctionsToExport = @(); CmdletsToExport = @(); AliasesToExport = @(); VariablesToExport = @() }\n" > "$work/Floor/Floor.psd1"
mkdir -p benchmarks/startup/results
export BINANCEKEYS_SHELL_NO_IMPORT=1 NO_COLOR=1 POWERSHELL_TELEMETRY_OPTOUT=1 POWERSHELL_UPDATECHECK=Off

# interleaved.py splits each command into words as a shell would: the shell's path and each -Command script are one
# quoted word (unquoted, `'a' -eq 'A'` would reach PowerShell as `a -eq A`, a lookup of a command named a).
pwsh="'$shell' -NoProfile -Command"
first="\$null = New-BinanceSignature -PrivateKeyPath '$work/bench.pem' -Payload a=1"
floor='floor: an empty manifest module with a format file'
statement="bare, one statement: \$null = 'a' -eq 'A'"
measured='import + first New-BinanceSignature'
# The one statement compares two strings: PowerShell's -eq on text ignores case by the invariant culture, and the
# first such comparison of a process has ICU build a collator (about 11 ms), as nearly every real script does once;
# Import-Module pays the same matching the manifest's explicit export lists (which PSScriptAnalyzer requires).
# A first ordinary cmdlet (Write-Output) loads its module, Microsoft.PowerShell.Utility: for scale.
arguments=(
    'bare: -Command exit' "$pwsh exit"
    "$statement" "$pwsh \"\$null = 'a' -eq 'A'; exit\""
    'bare, one cmdlet: Write-Output' "$pwsh \"Write-Output a; exit\""
    "$floor" "$pwsh \"Import-Module '$work/Floor/Floor.psd1'; exit\""
    'Import-Module BinanceKeys' "$pwsh \"Import-Module '$manifest'; exit\""
    "$measured" "$pwsh \"Import-Module '$manifest'; $first; exit\""
    'same, IL only (BINANCEKEYS_NO_READYTORUN=1)' "env BINANCEKEYS_NO_READYTORUN=1 $pwsh \"Import-Module '$manifest'; $first; exit\""
    'same, no start-up warm-up (BINANCEKEYS_NO_WARMUP=1)' "env BINANCEKEYS_NO_WARMUP=1 $pwsh \"Import-Module '$manifest'; $first; exit\""
)
set +e
python3 benchmarks/startup/interleaved.py "$rounds" --json benchmarks/startup/results/interleaved.json \
    --target "$measured" "$floor" 1.2 --target "$measured" "$statement" 1.2 \
    "${arguments[@]}" | tee benchmarks/startup/results/interleaved.txt
status="${PIPESTATUS[0]}"
set -e
exit "$status"
