# BinanceKeys quick start, end to end and with no Binance account: make an Ed25519 key pair, sign with it, then
# against the local sandbox create a sub-account key from it, restrict it to two IPs, read it back and remove it.
# Objects go to Out-Host one command at a time, so that each gets its own table view.
# Runs in pwsh (after `Import-Module ./BinanceKeys.psd1`) and in the repository's minimal host:
#   dotnet build && dotnet run --project tools/BinanceKeys.Shell --no-build -- -File examples/quickstart.ps1
param(
    # Where to write the key pair; a fresh folder under the system's temporary folder by default.
    [string] $KeyFolder = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), "binancekeys-quickstart-" + [guid]::NewGuid().ToString("N")),

    # A sandbox that is already running (dotnet run --project src/BinanceKeys.Sandbox -- --urls http://127.0.0.1:5080);
    # by default the script starts one on a free port and stops it at the end.
    [string] $Endpoint
)
$ErrorActionPreference = 'Stop'

function ConvertTo-Secure([string] $Text) {
    # In a real session: Read-Host -AsSecureString, or a vault. Here, so that the script runs unattended.
    $secure = [System.Security.SecureString]::new()
    foreach ($c in $Text.ToCharArray()) { $secure.AppendChar($c) }
    $secure.MakeReadOnly()
    $secure
}

'== 1. New-BinanceKeyPair: an encrypted Ed25519 key pair (upload bot.pub.pem to Binance)'
$passphrase = ConvertTo-Secure ([guid]::NewGuid().ToString())
$pair = New-BinanceKeyPair -Name bot -Path $KeyFolder -Passphrase $passphrase
$pair | Out-Host

'== 2. Get-BinanceKeyPair: read the private key back (decrypted to check it, then let go: signing loads it again)'
$loaded = Get-BinanceKeyPair -Path $pair.PrivateKeyPath -Passphrase $passphrase
"   same public key: $($loaded.Fingerprint -eq $pair.Fingerprint)"

'== 3. New-BinanceSignature: sign exactly the bytes Binance will receive (binance-api.md section 1.2)'
$payload = 'email=desk-a%40example.com&apiName=mm-bot&timestamp=1700000000000'
"   signature: $(New-BinanceSignature -KeyPair $loaded -Passphrase $passphrase -Payload $payload)"
'   HMAC, Binance''s published test vector (binance-api.md section 1.7.1):'
$vectorSecret = ConvertTo-Secure 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j'
New-BinanceSignature -Secret $vectorSecret -Payload 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559'

$sandbox = $null
if (-not $Endpoint) {
    '== 4. Start the local sandbox (a Binance stand-in on loopback, docs/sandbox.md)'
    $root = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..'))
    $dll = [System.IO.Directory]::GetFiles([System.IO.Path]::Combine($root, 'src', 'BinanceKeys.Sandbox', 'bin'), 'BinanceKeys.Sandbox.dll', 'AllDirectories')[0]
    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $start.ArgumentList.Add($dll); $start.ArgumentList.Add('--urls'); $start.ArgumentList.Add('http://127.0.0.1:0')
    $start.RedirectStandardOutput = $true
    $sandbox = [System.Diagnostics.Process]::Start($start)
    $line = $sandbox.StandardOutput.ReadLine()
    $Endpoint = ($line -split ' ' | Where-Object { $_ -like 'http://*' }).TrimEnd('/')
    "   $line"
}

try {
    '== 5. Connect-BinanceAccount with the sandbox''s demo master key (docs/sandbox.md)'
    $demoSecret = ConvertTo-Secure 'SandboxDemoAdminSecretJ2isAjIhKtJ0RlgLKOmxgJTeKdNnFRIBXuDL7DxtpY'
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
}
finally {
    if ($sandbox) { $sandbox.Kill(); $sandbox.WaitForExit() }
}
"Key files are in $KeyFolder (owner-only). Check them with OpenSSL: openssl pkey -in $($pair.PrivateKeyPath) -pubout"
