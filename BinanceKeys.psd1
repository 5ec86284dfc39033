# Module manifest for BinanceKeys.
# ModuleVersion below is the one place the version is defined: the build reads it into every assembly.
@{
    RootModule           = 'bin/BinanceKeys.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5f0c7c3e-2a41-4d5e-9a57-0b7e6c1d2f88'
    Author               = 'BinanceKeys contributors'
    CompanyName          = 'BinanceKeys'
    Copyright            = '(c) BinanceKeys contributors. MIT License.'
    Description          = 'Manage Binance API keys as code: Ed25519/RSA key pairs, request signing, sub-account and broker keys, permissions and IP whitelists, desired-state plans, audits, and a vault that never leaks a secret.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('module/BinanceKeys.Format.ps1xml')
    CmdletsToExport      = @(
        'Connect-BinanceAccount'
        'Disconnect-BinanceAccount'
        'Export-BinanceKeyState'
        'Get-BinanceApiKey'
        'Get-BinanceKeyPair'
        'Get-BinanceKeyPlan'
        'Get-BinanceSecret'
        'Get-BinanceSubAccount'
        'Invoke-BinanceKeyPlan'
        'Invoke-BinanceRestMethod'
        'New-BinanceApiKey'
        'New-BinanceKeyPair'
        'New-BinanceSignature'
        'Remove-BinanceApiKey'
        'Remove-BinanceSecret'
        'Set-BinanceApiKeyPermission'
        'Set-BinanceApiKeyRestriction'
        'Set-BinanceSecret'
        'Test-BinanceApiKeyPolicy'
        'Test-BinanceKeyState'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @('Set-ApiKeyRestriction')
    PrivateData          = @{
        PSData = @{
            Tags         = @('Binance', 'ApiKey', 'Ed25519', 'RSA', 'HMAC', 'Security', 'DesiredState')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            # No ProjectUri: the project has no public address yet.
            ReleaseNotes = @'
0.1.0: first release.
- Key material: Ed25519 and RSA key pairs (encrypted PKCS#8), request signing as Binance verifies it.
- Connection: Connect-BinanceAccount from parameters, the environment or the vault; Invoke-BinanceRestMethod.
- Keys: sub-account and broker keys, permissions and IP whitelists, read back and verified.
- Policy: Test-BinanceApiKeyPolicy over desired-state files and live keys (about_BinanceKeys_Rules).
- Desired state: Get-BinanceKeyPlan and Invoke-BinanceKeyPlan (plan, saved plans, safe apply with a journal and a
  lock), Test-BinanceKeyState (drift) and Export-BinanceKeyState.
- Secrets: a local encrypted vault, or a SecretManagement vault with -Vault.
Help: Get-Help about_BinanceKeys.
'@
        }
    }
}
