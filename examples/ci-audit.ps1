# A nightly CI step: audit every sub-account's API keys against Binance's rules (and, with -PolicyPath, the
# organisation's policy: block of a desired-state file), print one line per finding, and fail the step on any Error.
# Credentials come only from the environment, so nothing prompts and nothing secret is on the command line:
#   BINANCE_API_KEY with BINANCE_API_SECRET (or with BINANCE_PRIVATE_KEY_PATH [+ BINANCE_PRIVATE_KEY_PASSPHRASE])
#   pwsh -NoProfile -NonInteractive -File examples/ci-audit.ps1 -Endpoint https://api.binance.com
# Exit code: 0 when no key breaks a rule, 1 when one does or anything fails.
[CmdletBinding()]
param(
    # Binance, or the local sandbox (http://127.0.0.1:PORT) to rehearse.
    [Parameter(Mandatory)]
    [uri] $Endpoint,

    # A desired-state file whose policy: block applies on top of Binance's rules.
    [string] $PolicyPath
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path (Split-Path -Parent $PSScriptRoot) 'BinanceKeys.psd1')

$connection = Connect-BinanceAccount -Endpoint $Endpoint
Write-Verbose "Connected as $($connection.ApiKey.Substring(0, 8))... ($($connection.CredentialSource))"

$keys = @(Get-BinanceSubAccount | ForEach-Object { Get-BinanceApiKey -Email $_.Email })
$policy = if ($PolicyPath) { @{ PolicyPath = $PolicyPath } } else { @{} }
$findings = @(if ($keys) { $keys | Test-BinanceApiKeyPolicy @policy })
$findings | ForEach-Object { "$_" }

$errors = @($findings | Where-Object Severity -EQ 'Error')
"audited $($keys.Count) keys: $($errors.Count) errors, $($findings.Count - $errors.Count) warnings"
Disconnect-BinanceAccount
exit [int] ($errors.Count -gt 0)
