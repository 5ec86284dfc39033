# BinanceKeys quick start, end to end and with no Binance account: make an Ed25519 key pair, sign with it, then
# against the local sandbox create a sub-account key from it, restrict it to two IPs, read it back and remove it;
# then declare two sub-accounts' keys in a desired-state file, plan, apply, plan again and see drift.
# Objects go to Out-Host one command at a time, so that each gets its own table view.
# Runs as it is in pwsh 7.4+ (after `dotnet build`) and in the repository's shell, which is pwsh with BinanceKeys:
#   dotnet build && dotnet run --project tools/BinanceKeys.Shell --no-build -- -File examples/quickstart.ps1
#   pwsh -File examples/quickstart.ps1
[Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidUsingConvertToSecureStringWithPlainText', '',
    Justification = 'Unattended demo: a throw-away passphrase, Binance''s published test secret and the sandbox''s public demo secret.')]
param(
    # Where to write the key pair; a fresh folder under the system's temporary folder by default.
    [string] $KeyFolder = (Join-Path ([System.IO.Path]::GetTempPath()) "binancekeys-quickstart-$(New-Guid)"),

    # A sandbox that is already running (dotnet run --project src/BinanceKeys.Sandbox -- --urls http://127.0.0.1:5080);
    # by default the script starts one on a free port and stops it at the end.
    [string] $Endpoint
)
$ErrorActionPreference = 'Stop'
$repository = Split-Path -Parent $PSScriptRoot
Import-Module (Join-Path $repository 'BinanceKeys.psd1')

'== 1. New-BinanceKeyPair: an encrypted Ed25519 key pair (upload bot.pub.pem to Binance)'
# In a real session: Read-Host -AsSecureString, or a vault. Here, so that the script runs unattended.
$passphrase = ConvertTo-SecureString -String (New-Guid).Guid -AsPlainText -Force
$pair = New-BinanceKeyPair -Name bot -Path $KeyFolder -Passphrase $passphrase
$pair | Out-Host

'== 2. Get-BinanceKeyPair: read the private key back (decrypted to check it, then let go: signing loads it again)'
$loaded = Get-BinanceKeyPair -Path $pair.PrivateKeyPath -Passphrase $passphrase
"   same public key: $($loaded.Fingerprint -eq $pair.Fingerprint)"

'== 3. New-BinanceSignature: sign exactly the bytes Binance will receive (docs/binance.md section 1.2)'
$payload = 'email=desk-a%40example.com&apiName=mm-bot&timestamp=1700000000000'
"   signature: $(New-BinanceSignature -KeyPair $loaded -Passphrase $passphrase -Payload $payload)"
'   HMAC, Binance''s published test vector (docs/binance.md section 1.7.1):'
$vectorSecret = ConvertTo-SecureString -String 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j' -AsPlainText -Force
New-BinanceSignature -Secret $vectorSecret -Payload 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559'

$sandbox = $null
if (-not $Endpoint) {
    '== 4. Start the local sandbox (a Binance stand-in on loopback, docs/sandbox.md)'
    $dll = Get-ChildItem -Path (Join-Path $repository 'src/BinanceKeys.Sandbox/bin') -Filter BinanceKeys.Sandbox.dll -Recurse |
        Sort-Object -Property LastWriteTime -Descending | Select-Object -First 1
    if (-not $dll) { throw "The sandbox is not built: run 'dotnet build' in $repository first." }
    $log = Join-Path $KeyFolder 'sandbox.log'
    $null = New-Item -ItemType Directory -Path $KeyFolder -Force
    $sandbox = Start-Process -FilePath dotnet -ArgumentList $dll.FullName, '--urls', 'http://127.0.0.1:0' -RedirectStandardOutput $log -PassThru
    # It prints 'listening on http://127.0.0.1:PORT' once it accepts connections.
    $deadline = (Get-Date).AddSeconds(60)
    while (-not ($line = Select-String -Path $log -Pattern 'listening on (http://\S+)' | Select-Object -First 1)) {
        if ($sandbox.HasExited -or (Get-Date) -gt $deadline) { throw "The sandbox did not start; see $log." }
        Start-Sleep -Milliseconds 100
    }
    $Endpoint = $line.Matches[0].Groups[1].Value.TrimEnd('/')
    "   $($line.Line)"
}

try {
    '== 5. Connect-BinanceAccount with the sandbox''s demo master key (docs/sandbox.md)'
    $demoSecret = ConvertTo-SecureString -String 'SandboxDemoAdminSecretJ2isAjIhKtJ0RlgLKOmxgJTeKdNnFRIBXuDL7DxtpY' -AsPlainText -Force
    Connect-BinanceAccount -Endpoint $Endpoint -ApiKey SandboxDemoAdminApiKeyu8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzdoc -Secret $demoSecret | Out-Host

    '== 6. Get-BinanceSubAccount'
    Get-BinanceSubAccount | Out-Host

    '== 7. New-BinanceApiKey: an Ed25519 key for desk-a from the key pair (only the public key is sent)'
    $key = New-BinanceApiKey -Email desk-a@example.com -Label mm-bot -KeyPair $pair -Permission spotAndMarginTrading -IpAddress 203.0.113.7
    $key | Out-Host

    '== 8. Set-BinanceApiKeyRestriction: restrict it to two IPs, then read it back'
    $key | Set-BinanceApiKeyRestriction -IpAddress 203.0.113.7, 203.0.113.8
    Get-BinanceApiKey -Email desk-a@example.com -Label mm-bot | Out-Host

    '== 9. Remove-BinanceApiKey (-Force: no prompt, as in a pipeline)'
    $key | Remove-BinanceApiKey -Force
    "   keys left in desk-a: $(@(Get-BinanceApiKey -Email desk-a@example.com).Count)"
    Disconnect-BinanceAccount

    '== 10. Desired state: a file for two sub-accounts, planned, applied, planned again, drift (examples/desired-state)'
    & (Join-Path $PSScriptRoot 'desired-state/walkthrough.ps1') -Endpoint $Endpoint -WorkFolder (Join-Path $KeyFolder 'desired-state')
}
finally {
    if ($sandbox) { Stop-Process -Id $sandbox.Id; $sandbox.WaitForExit() }
}
"Key files are in $KeyFolder (owner-only). Check them with OpenSSL: openssl pkey -in $($pair.PrivateKeyPath) -pubout"
