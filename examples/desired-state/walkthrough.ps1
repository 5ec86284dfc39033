# Desired state end to end against the sandbox, as a newcomer does it: key pairs, a file for two sub-accounts,
# validate, plan, apply, plan again (no changes), change a key by hand, see the drift, and put it right.
# The README's first command runs it at the end of examples/quickstart.ps1; on its own:
#   dotnet run --project tools/BinanceKeys.Shell --no-build -- -File examples/desired-state/walkthrough.ps1 -Endpoint http://127.0.0.1:5080
[Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidUsingConvertToSecureStringWithPlainText', '',
    Justification = 'Unattended demo: the sandbox''s public demo secret and a throw-away vault passphrase.')]
param(
    # A running sandbox (dotnet run --project src/BinanceKeys.Sandbox -- --urls http://127.0.0.1:5080), in its demo world.
    [Parameter(Mandatory)]
    [string] $Endpoint,

    # Where the walkthrough works: the file, the key pairs, a vault and the module's state. A fresh temporary folder by default.
    [string] $WorkFolder = (Join-Path ([System.IO.Path]::GetTempPath()) "binancekeys-walkthrough-$(New-Guid)")
)
$ErrorActionPreference = 'Stop'
if (-not (Get-Command Get-BinanceKeyPlan -ErrorAction SilentlyContinue)) {
    Import-Module (Join-Path (Split-Path -Parent (Split-Path -Parent $PSScriptRoot)) 'BinanceKeys.psd1')
}

# Everything this script keeps (the vault with the HMAC secret, the module's record of what it created) goes in
# the work folder, never in your own vault; your session's vault settings are put back at the end, even on failure.
$null = New-Item -ItemType Directory -Path $WorkFolder -Force
$yourVault = $env:BINANCEKEYS_VAULT
$yourVaultPassphrase = $env:BINANCEKEYS_VAULT_PASSPHRASE
$env:BINANCEKEYS_VAULT = Join-Path $WorkFolder 'vault.bkv'
$env:BINANCEKEYS_VAULT_PASSPHRASE = (New-Guid).Guid
try {
    $file = Join-Path $WorkFolder 'desks.yaml'
    Copy-Item -Path (Join-Path $PSScriptRoot 'desks.yaml') -Destination $file

    '== a. Key pairs for the two Ed25519 bots (the private keys stay here; only public keys go to Binance)'
    $keys = Join-Path $WorkFolder 'keys'
    $passphrase = ConvertTo-SecureString -String (New-Guid).Guid -AsPlainText -Force
    'mm-bot', 'hedge-bot' | ForEach-Object { New-BinanceKeyPair -Name $_ -Path $keys -Passphrase $passphrase } | Out-Host

    '== b. Test-BinanceApiKeyPolicy: the file, offline, against Binance''s rules and its own policy'
    Test-BinanceApiKeyPolicy -Path $file | Out-Host
    "   passes: $(Test-BinanceApiKeyPolicy -Path $file -Quiet)"

    '== c. Connect to the sandbox'
    $demoSecret = ConvertTo-SecureString -String 'SandboxDemoAdminSecretJ2isAjIhKtJ0RlgLKOmxgJTeKdNnFRIBXuDL7DxtpY' -AsPlainText -Force
    Connect-BinanceAccount -Endpoint $Endpoint -ApiKey SandboxDemoAdminApiKeyu8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzdoc -Secret $demoSecret | Out-Null

    '== d. Get-BinanceKeyPlan: what it takes (saved for the apply, with a summary for a pull request)'
    $plan = Get-BinanceKeyPlan -Path $file -OutFile (Join-Path $WorkFolder 'plan.json') -MarkdownPath (Join-Path $WorkFolder 'plan.md')
    $plan | Out-Host

    '== e. Invoke-BinanceKeyPlan: apply the saved plan (refused if anything changed since it was made)'
    Invoke-BinanceKeyPlan -PlanPath (Join-Path $WorkFolder 'plan.json') -Force | Out-Host
    '   the HMAC key''s one-time secret went to the vault, never to the screen:'
    Get-BinanceSecret | Out-Host

    '== f. Plan again: nothing to do'
    $again = Get-BinanceKeyPlan -Path $file
    $again | Out-Host
    if ($again.HasChanges) { throw 'The second plan should have had no changes.' }

    '== g. Someone changes a key by hand: a third address on mm-bot'
    Get-BinanceApiKey -Email desk-a@example.com -Label mm-bot | Set-BinanceApiKeyRestriction -AddIpAddress 203.0.113.99 -PassThru | Out-Host

    '== h. The drift shows in the plan; Invoke-BinanceKeyPlan -Path puts it right'
    $drift = Get-BinanceKeyPlan -Path $file
    $drift | Out-Host
    Invoke-BinanceKeyPlan -Path $file -Force | Out-Host
    "   changes left: $((Get-BinanceKeyPlan -Path $file).HasChanges)"

    Disconnect-BinanceAccount
    "The file, the key pairs, the plan and its Markdown summary are in $WorkFolder."
}
finally {
    $env:BINANCEKEYS_VAULT = $yourVault
    $env:BINANCEKEYS_VAULT_PASSPHRASE = $yourVaultPassphrase
}
