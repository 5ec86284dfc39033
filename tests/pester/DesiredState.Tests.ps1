# Desired state, as a platform team scripts it: validate the files in git before anything reaches Binance.
# Plan, apply, re-plan with zero changes and drift come here when those cmdlets land; New-TestSandboxSession
# gives each of them a sandbox and a connected session (see BinanceKeys.TestSupport.psm1).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'BinanceKeys.TestSupport.psm1') -Force
    Import-Module (Get-BinanceKeysManifest) -Force
    $examples = Join-Path (Get-RepositoryRoot) 'examples'
}

Describe 'Validate desired-state files' {
    It '<_> passes Binance''s rules and its own policy' -ForEach 'fund-desks.yaml', 'broker-fleet.yaml', 'failing/risky-desk-corrected.yaml' {
        $findings = Test-BinanceApiKeyPolicy -Path (Join-Path $examples $_)
        $findings | Where-Object Severity -EQ 'Error' | Should -BeNullOrEmpty
        Test-BinanceApiKeyPolicy -Path (Join-Path $examples $_) -Quiet | Should -BeTrue
    }

    It 'a pull-request check fails on examples/failing/risky-desk.yaml, naming every broken rule' {
        # What the file breaks, read off the file itself: mm-bot is HMAC without IP list but trades (BN002) and
        # its trading lapses (BN008), futures without a futures account (BN004); payout withdraws (BN023: manual
        # step, ORG001: forbidden), whitelists 198.51.100.20 outside 203.0.113.0/24 (ORG002) and 203.0.113.7 twice (BN014).
        $findings = Test-BinanceApiKeyPolicy -Path (Join-Path $examples 'failing/risky-desk.yaml')
        $findings.RuleId | Sort-Object | Should -Be ('BN002', 'BN004', 'BN008', 'BN014', 'BN023', 'ORG001', 'ORG002' | Sort-Object)
        ($findings | Where-Object Severity -EQ 'Error').RuleId | Sort-Object | Should -Be 'BN002', 'BN004', 'ORG001', 'ORG002'
        Test-BinanceApiKeyPolicy -Path (Join-Path $examples 'failing/risky-desk.yaml') -Quiet | Should -BeFalse
    }

    It 'every finding points at the file, line and column to fix' {
        $findings = Test-BinanceApiKeyPolicy -Path (Join-Path $examples 'failing/risky-desk.yaml')
        foreach ($finding in $findings) {
            $finding.File | Should -BeLike '*risky-desk.yaml'
            $finding.Line | Should -BeGreaterThan 0
            $finding.Column | Should -BeGreaterThan 0
        }
        # payout's whitelist is line 20 of the file.
        ($findings | Where-Object RuleId -EQ 'ORG002').Line | Should -Be 20
    }

    It 'a CI gate turns findings into an exit code with one line' {
        $script = Join-Path $TestDrive 'gate.ps1'
        Set-Content -Path $script -Value @'
param([string] $Path)
Import-Module $env:BINANCEKEYS_MANIFEST
$ErrorActionPreference = 'Stop'
$errors = @(Test-BinanceApiKeyPolicy -Path $Path | Where-Object Severity -EQ 'Error')
$errors | ForEach-Object { "$_" }
exit [int] ($errors.Count -gt 0)
'@
        $environment = @{ BINANCEKEYS_MANIFEST = (Get-BinanceKeysManifest) }
        $good = Invoke-Pwsh -ArgumentList '-File', $script, (Join-Path $examples 'fund-desks.yaml') -Environment $environment
        $good.ExitCode | Should -Be 0 -Because $good.Error
        $bad = Invoke-Pwsh -ArgumentList '-File', $script, (Join-Path $examples 'failing/risky-desk.yaml') -Environment $environment
        $bad.ExitCode | Should -Be 1
        $bad.Output | Should -Match 'risky-desk\.yaml:\d+:\d+: ORG001 Error'
    }

    It 'a malformed file is a clear error with the file and line, and no findings' {
        $file = Join-Path $TestDrive 'broken.yaml'
        Set-Content -Path $file -Value "version: 1`naccounts:`n  - name: desk`n    email: desk@example.com`n    keys:`n      - label: bot`n        type: hmac`n        permisions: [reading]"
        { Test-BinanceApiKeyPolicy -Path $file -ErrorAction Stop } | Should -Throw -ExpectedMessage '*broken.yaml*8*permisions*'
    }
}

Describe 'A fresh sandbox and a connected session for state journeys' {
    BeforeAll { $sandbox = New-TestSandboxSession }
    AfterAll { $sandbox | Stop-TestSandbox }

    It 'starts on a loopback port and is connected with the demo master key' {
        $sandbox.Endpoint | Should -Match '^http://127\.0\.0\.1:\d+$'
        (Get-BinanceSubAccount).Email | Should -Contain 'desk-a@example.com'
    }

    It 'reads back, through the admin API, what a key change did' {
        $key = New-BinanceApiKey -Email desk-c@example.com -Label state-probe -IpAddress 203.0.113.9 -SecretPath (Join-Path $TestDrive 'probe.secret')
        $account = $sandbox.State().accounts | Where-Object email -EQ 'desk-c@example.com'
        $account.keys.apiKey | Should -Contain $key.ApiKey
        $key | Remove-BinanceApiKey -Force
        $sandbox.Reset()
    }
}
