# BinanceKeys quick start: make a Binance-ready Ed25519 key pair, read it back, and sign a request payload.
# Runs in pwsh (after `Import-Module ./BinanceKeys.psd1`) and in the repository's minimal host:
#   dotnet run --project tools/BinanceKeys.Shell -- -File examples/quickstart.ps1
param(
    # Where to write the key pair; a fresh folder under the system's temporary folder by default.
    [string] $KeyFolder = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), "binancekeys-quickstart-" + [guid]::NewGuid().ToString("N"))
)
$ErrorActionPreference = 'Stop'

# In a real session: $passphrase = Read-Host -AsSecureString -Prompt 'Passphrase'.
# Here a random one, so that the script runs unattended.
$passphrase = [System.Security.SecureString]::new()
foreach ($c in [guid]::NewGuid().ToString().ToCharArray()) { $passphrase.AppendChar($c) }

'1. New-BinanceKeyPair: an encrypted Ed25519 key pair (upload bot.pub.pem to Binance)'
$pair = New-BinanceKeyPair -Name bot -Path $KeyFolder -Passphrase $passphrase
$pair
$pair.PublicKeyPem

'2. Get-BinanceKeyPair: read the private key back (decrypted once, never shown)'
$loaded = Get-BinanceKeyPair -Path $pair.PrivateKeyPath -Passphrase $passphrase
"   same public key: $($loaded.Fingerprint -eq $pair.Fingerprint)"

'3. New-BinanceSignature: sign exactly the bytes Binance will receive (binance-api.md section 1.2)'
$payload = 'email=desk-eu%40example.com&apiName=mm-bot&timestamp=1700000000000'
$signature = New-BinanceSignature -KeyPair $loaded -Payload $payload
"   payload:   $payload"
"   signature: $signature  (base64; percent-encode it where it is sent)"

'4. HMAC: Binance''s published test vector (binance-api.md section 1.7.1)'
$secret = [System.Security.SecureString]::new()
foreach ($c in 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j'.ToCharArray()) { $secret.AppendChar($c) }
New-BinanceSignature -Secret $secret -Payload 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559'

"Key files are in $KeyFolder (owner-only). Check them with OpenSSL:"
"   openssl pkey -in $($pair.PrivateKeyPath) -pubout    # asks for the passphrase"
