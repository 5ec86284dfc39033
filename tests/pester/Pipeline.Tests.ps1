# The pipeline user: a CI step that runs `pwsh -File` with credentials in environment variables, stops at the
# first error, must never prompt, and must never print a secret, not even in a transcript.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'BinanceKeys.TestSupport.psm1') -Force
    Import-Module (Get-BinanceKeysManifest) -Force
    $repository = Get-RepositoryRoot
    $sandbox = Start-TestSandbox
    $demo = Get-TestSandboxCredential -AsPlainText
    $ciEnvironment = @{ BINANCE_API_KEY = $demo.ApiKey; BINANCE_API_SECRET = $demo.Secret }
}
AfterAll { $sandbox | Stop-TestSandbox }

Describe 'A CI step with credentials from the environment' {
    It 'examples/ci-audit.ps1 connects from BINANCE_API_KEY and BINANCE_API_SECRET and passes' {
        $run = Invoke-Pwsh -ArgumentList '-File', (Join-Path $repository 'examples/ci-audit.ps1'), '-Endpoint', $sandbox.Endpoint -Environment $ciEnvironment
        $run.ExitCode | Should -Be 0 -Because $run.Error
        $run.Output | Should -Match 'audited \d+ keys: 0 errors'
        $run.Error | Should -BeNullOrEmpty
    }

    It 'a key that breaks a rule fails the step with exit code 1 and says which' {
        Connect-TestSandbox -Sandbox $sandbox | Out-Null
        $key = New-BinanceApiKey -Email desk-c@example.com -Label payout -IpAddress 203.0.113.50 -SecretPath (Join-Path $TestDrive 'payout.secret')
        try {
            $policy = Join-Path $TestDrive 'policy.yaml'
            Set-Content -Path $policy -Value "version: 1`npolicy:`n  allowedNetworks: [198.51.100.0/24]`naccounts: []"
            $run = Invoke-Pwsh -ArgumentList '-File', (Join-Path $repository 'examples/ci-audit.ps1'), '-Endpoint', $sandbox.Endpoint, '-PolicyPath', $policy -Environment $ciEnvironment
            $run.ExitCode | Should -Be 1 -Because $run.Error
            $run.Output | Should -Match 'ORG002 Error desk-c@example.com/payout'
        }
        finally {
            $key | Remove-BinanceApiKey -Force
            Disconnect-BinanceAccount
        }
    }

    It 'wrong credentials fail the step at once: exit code 1, a message, no secret' {
        $wrong = 'WrongSecretWrongSecretWrongSecretWrongSecretWrongSecret01234567'
        $run = Invoke-Pwsh -ArgumentList '-File', (Join-Path $repository 'examples/ci-audit.ps1'), '-Endpoint', $sandbox.Endpoint -Environment @{ BINANCE_API_KEY = $demo.ApiKey; BINANCE_API_SECRET = $wrong }
        $run.ExitCode | Should -Be 1
        $run.Error | Should -Match 'Connect-BinanceAccount'
        "$($run.Output)$($run.Error)" | Should -Not -Match $wrong
    }

    It 'no credentials at all: the step fails, it does not wait for an answer' {
        $run = Invoke-Pwsh -ArgumentList '-File', (Join-Path $repository 'examples/ci-audit.ps1'), '-Endpoint', $sandbox.Endpoint -Environment @{ BINANCE_API_KEY = ''; BINANCE_API_SECRET = '' } -TimeoutSeconds 120
        $run.ExitCode | Should -Be 1
        $run.Error | Should -Match 'BINANCE_API_KEY'
    }

    It 'a missing mandatory parameter fails in -NonInteractive instead of prompting' {
        $run = Invoke-Pwsh -ArgumentList '-File', (Join-Path $repository 'examples/ci-audit.ps1') -Environment $ciEnvironment -TimeoutSeconds 120
        $run.ExitCode | Should -Be 1
        $run.Error | Should -Match 'Endpoint'
    }

    It 'a High-impact delete with -Force runs unattended (no confirmation prompt)' {
        $script = Join-Path $TestDrive 'delete.ps1'
        Set-Content -Path $script -Value @'
param([string] $Endpoint, [string] $SecretPath)
$ErrorActionPreference = 'Stop'
Import-Module $env:BINANCEKEYS_MANIFEST
Connect-BinanceAccount -Endpoint $Endpoint | Out-Null
$key = New-BinanceApiKey -Email desk-b@example.com -Label short-lived -IpAddress 203.0.113.60 -SecretPath $SecretPath
$key | Remove-BinanceApiKey -Force
"left: $(@(Get-BinanceApiKey -Email desk-b@example.com -Label short-lived).Count)"
'@
        $environment = $ciEnvironment + @{ BINANCEKEYS_MANIFEST = (Get-BinanceKeysManifest) }
        $run = Invoke-Pwsh -ArgumentList '-File', $script, $sandbox.Endpoint, (Join-Path $TestDrive 'short.secret') -Environment $environment
        $run.ExitCode | Should -Be 0 -Because $run.Error
        $run.Output | Should -Match 'left: 0'
    }
}

Describe 'Failure is visible to the script and to the runner' {
    It '$? is false after a failed command, and the error has a stable id' {
        $run = Invoke-Pwsh -ArgumentList '-Command', "Import-Module '$(Get-BinanceKeysManifest)'; Get-BinanceKeyPair -Path ./missing.pem 2>`$null; 'status: ' + `$?; 'id: ' + `$Error[0].FullyQualifiedErrorId" -WorkingDirectory $TestDrive
        $run.Output | Should -Match 'status: False'
        $run.Output | Should -Match 'id: KeyPairNotFound,BinanceKeys\.Commands\.GetBinanceKeyPairCommand'
    }

    It 'with $ErrorActionPreference = ''Stop'' the first error ends the script' {
        $ErrorActionPreference = 'Stop'
        $reached = $false
        { Get-BinanceKeyPair -Path (Join-Path $TestDrive 'missing.pem'); $reached = $true } | Should -Throw -ErrorId 'KeyPairNotFound,BinanceKeys.Commands.GetBinanceKeyPairCommand'
        $reached | Should -BeFalse
    }

    It 'pwsh -File exits with 1 when a terminating error ends the script, and with the script''s own exit code' {
        $script = Join-Path $TestDrive 'stop.ps1'
        Set-Content -Path $script -Value "Import-Module `$env:BINANCEKEYS_MANIFEST; `$ErrorActionPreference = 'Stop'; Get-BinanceKeyPair -Path ./missing.pem; exit 0"
        $run = Invoke-Pwsh -ArgumentList '-File', $script -Environment @{ BINANCEKEYS_MANIFEST = (Get-BinanceKeysManifest) } -WorkingDirectory $TestDrive
        $run.ExitCode | Should -Be 1
        $run.Error | Should -Match 'missing\.pem'
        Set-Content -Path $script -Value 'exit 3'
        (Invoke-Pwsh -ArgumentList '-File', $script).ExitCode | Should -Be 3
    }

    It 'pwsh -Command exits with 1 when the last command failed' {
        $run = Invoke-Pwsh -ArgumentList '-Command', "Import-Module '$(Get-BinanceKeysManifest)'; Get-BinanceKeyPair -Path ./missing.pem" -WorkingDirectory $TestDrive
        $run.ExitCode | Should -Be 1
    }
}

Describe 'No secret in any stream or transcript' {
    It 'a transcript of a verbose, debug run that creates an HMAC key holds none of the secrets' {
        $vault = Join-Path $TestDrive 'ci-vault.bkv'
        $transcript = Join-Path $TestDrive 'transcript.txt'
        $vaultPassphrase = 'ci vault passphrase that must not leak 4711'
        $script = Join-Path $TestDrive 'provision.ps1'
        Set-Content -Path $script -Value @'
param([string] $Endpoint, [string] $Transcript)
$ErrorActionPreference = 'Stop'
$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'
Start-Transcript -Path $Transcript | Out-Null
try {
    Import-Module $env:BINANCEKEYS_MANIFEST
    Connect-BinanceAccount -Endpoint $Endpoint
    $key = New-BinanceApiKey -Email desk-a@example.com -Label reporting -IpAddress 127.0.0.1 -SecretName ci/reporting
    $key
    $key | Format-List *
    Get-BinanceSecret
    Get-BinanceSecret -Name ci/reporting
    $key | Set-BinanceApiKeyRestriction -AddIpAddress 203.0.113.71 -PassThru
    Connect-BinanceAccount -Endpoint $Endpoint -SecretName ci/reporting
    Get-BinanceApiKey | Format-List *
}
finally {
    Stop-Transcript | Out-Null
}
'@
        $environment = $ciEnvironment + @{
            BINANCEKEYS_MANIFEST = (Get-BinanceKeysManifest)
            BINANCEKEYS_VAULT = $vault
            BINANCEKEYS_VAULT_PASSPHRASE = $vaultPassphrase
        }
        $run = Invoke-Pwsh -ArgumentList '-File', $script, $sandbox.Endpoint, $transcript -Environment $environment
        $run.ExitCode | Should -Be 0 -Because $run.Error
        # pwsh writes the verbose stream to stdout when it is redirected; debug is on too, and checked below.
        "$($run.Output)$($run.Error)" | Should -Match 'VERBOSE: '

        # The one-time HMAC secret Binance issued went only to the vault: read it from there.
        $newSecret = Get-BinanceSecret -Name ci/reporting -AsPlainText -VaultPath $vault -VaultPassphrase (ConvertTo-SecureString $vaultPassphrase -AsPlainText -Force)
        $newSecret.Length | Should -BeGreaterThan 20
        $everything = $run.Output + $run.Error + (Get-Content -Raw -Path $transcript)
        $everything | Should -Match 'ci/reporting'
        foreach ($secret in $newSecret, $demo.Secret, $vaultPassphrase) {
            $everything.Contains($secret) | Should -BeFalse -Because 'no secret may reach stdout, stderr or the transcript'
        }
    }
}
