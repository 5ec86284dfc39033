# Desired state, as a platform team scripts it: validate the files in git before anything reaches Binance, then
# plan, apply, re-plan with zero changes, and catch drift, each against its own sandbox (New-TestSandboxSession in
# BinanceKeys.TestSupport.psm1).
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

Describe 'Plan, apply, re-plan and drift, as a CI pipeline runs them' {
    BeforeAll {
        $sandbox = New-TestSandboxSession
        # Everything this journey keeps (the vault with the HMAC secret, the records, journal and lock beside it) is
        # in TestDrive. Default parameter values, not environment variables: other journey files run at the same time.
        $vault = Join-Path $TestDrive 'vault.bkv'
        $vaultPassphrase = ConvertTo-SecureString -String (New-Guid).Guid -AsPlainText -Force
        $PSDefaultParameterValues['*-BinanceKey*:VaultPath'] = $vault
        $PSDefaultParameterValues['Invoke-BinanceKeyPlan:VaultPassphrase'] = $vaultPassphrase
        $PSDefaultParameterValues['*-BinanceSecret:VaultPath'] = $vault
        $PSDefaultParameterValues['*-BinanceSecret:VaultPassphrase'] = $vaultPassphrase

        $estate = Join-Path $TestDrive 'estate'
        $null = New-BinanceKeyPair -Name mm-bot -Path (Join-Path $estate 'keys') -NoEncryption
        $file = Join-Path $estate 'desks.yaml'
        Set-Content -Path $file -Value @'
version: 1
policy:
  forbidPermissions: [withdrawals]
  requireIpRestriction: true
accounts:
  - name: desk-a
    email: desk-a@example.com
    prune: true
    keys:
      - label: mm-bot
        type: ed25519
        publicKey: keys/mm-bot.pub.pem
        permissions: [spotAndMarginTrading]
        ipWhitelist: [203.0.113.7, 203.0.113.8]
      - label: reporting
        type: hmac
        permissions: []
        secret: vault:desk-a/reporting
        ipWhitelist: [203.0.113.20]
'@
        function Get-DeskAKey { @($sandbox.State().accounts | Where-Object email -EQ 'desk-a@example.com').keys }
    }
    AfterAll {
        'VaultPath', 'VaultPassphrase' | ForEach-Object {
            $PSDefaultParameterValues.Remove("*-BinanceKey*:$_"); $PSDefaultParameterValues.Remove("*-BinanceSecret:$_")
        }
        $PSDefaultParameterValues.Remove('Invoke-BinanceKeyPlan:VaultPassphrase')
        $sandbox | Stop-TestSandbox
    }

    It 'the first plan shows two keys to create, changes nothing, and saves as JSON and Markdown without secrets' {
        $planFile = Join-Path $TestDrive 'plan.json'
        $summary = Join-Path $TestDrive 'plan.md'
        $plan = Get-BinanceKeyPlan -Path $file -OutFile $planFile -MarkdownPath $summary

        $plan.HasChanges | Should -BeTrue
        $plan.CreateCount | Should -Be 2
        $plan.Summary | Should -Be 'Plan: 2 to create, 0 to update, 0 to replace, 0 to delete, 0 manual, 0 unchanged.'
        ($plan.Actions | ForEach-Object Label | Sort-Object) | Should -Be @('mm-bot', 'reporting')
        Get-DeskAKey | Should -BeNullOrEmpty
        (Get-Content -Raw -Path $planFile | ConvertFrom-Json).Accounts.Name | Should -Be 'desk-a'
        Get-Content -Raw -Path $summary | Should -Match 'desk-a/mm-bot'
        Get-Content -Raw -Path $planFile | Should -Not -Match 'PRIVATE KEY'
    }

    It '-WhatIf shows what it would do and sends nothing' {
        $before = @($sandbox.Requests()).Count
        Invoke-BinanceKeyPlan -Path $file -WhatIf | Should -BeNullOrEmpty
        Get-DeskAKey | Should -BeNullOrEmpty
        $writes = @($sandbox.Requests() | Select-Object -Skip $before | Where-Object method -NE 'GET')
        $writes | Should -BeNullOrEmpty
    }

    It 'apply makes the keys, one Succeeded result per action, and the HMAC secret only in the vault' {
        $results = Invoke-BinanceKeyPlan -PlanPath (Join-Path $TestDrive 'plan.json') -Force
        $?       | Should -BeTrue
        $results | Should -HaveCount 2
        $results.Status | Should -Be @('Succeeded', 'Succeeded')
        $keys = Get-DeskAKey
        ($keys.label | Sort-Object) | Should -Be @('mm-bot', 'reporting')
        (Get-BinanceSecret | Where-Object Name -EQ desk-a/reporting).ApiKey | Should -Be ($keys | Where-Object label -EQ reporting).apiKey
        ($results | Out-String) | Should -Not -Match ([regex]::Escape((Get-BinanceSecret -Name desk-a/reporting -AsPlainText)))
    }

    It 'the same file again plans zero changes, applies with no write, and Test-BinanceKeyState is $true' {
        $again = Get-BinanceKeyPlan -Path $file
        $again.HasChanges | Should -BeFalse
        $again.NoChangeCount | Should -Be 2
        $before = @($sandbox.Requests()).Count
        Invoke-BinanceKeyPlan -Path $file -Force | Should -BeNullOrEmpty
        @($sandbox.Requests() | Select-Object -Skip $before | Where-Object method -NE 'GET') | Should -BeNullOrEmpty
        Test-BinanceKeyState -Path $file | Should -BeTrue
    }

    It 'a change by hand is drift: named by Test-BinanceKeyState -Detailed, and put right by the next apply' {
        $null = Get-BinanceApiKey -Email desk-a@example.com -Label mm-bot | Set-BinanceApiKeyRestriction -AddIpAddress 203.0.113.99
        $null = New-BinanceApiKey -Email desk-a@example.com -Label stray -IpAddress 203.0.113.30 -SecretPath (Join-Path $TestDrive 'stray.secret')

        Test-BinanceKeyState -Path $file | Should -BeFalse
        $drift = Test-BinanceKeyState -Path $file -Detailed | Where-Object IsDrift
        ($drift | Where-Object Label -EQ mm-bot).Kind | Should -Be 'Changed'
        ($drift | Where-Object Label -EQ stray).Kind | Should -Be 'Undeclared'

        $plan = Get-BinanceKeyPlan -Path $file
        $plan.UpdateIpWhitelistCount | Should -Be 1
        $plan.DeleteCount | Should -Be 1
        $results = $plan | Invoke-BinanceKeyPlan -Force
        $results.Status | Should -Not -Contain 'Failed'
        Test-BinanceKeyState -Path $file | Should -BeTrue
        (Get-DeskAKey | Where-Object label -EQ mm-bot).ipWhitelist | Sort-Object | Should -Be @('203.0.113.7', '203.0.113.8')
        (Get-DeskAKey).label | Should -Not -Contain 'stray'
    }

    It 'a saved plan is refused once the live state it was made from has changed' {
        $saved = Join-Path $TestDrive 'stale.json'
        $null = Get-BinanceKeyPlan -Path $file -OutFile $saved
        $null = New-BinanceApiKey -Email desk-a@example.com -Label late -IpAddress 203.0.113.31 -SecretPath (Join-Path $TestDrive 'late.secret')

        { Invoke-BinanceKeyPlan -PlanPath $saved -Force -ErrorAction Stop } | Should -Throw -ErrorId 'ApiKeyStalePlan*'
        (Get-DeskAKey).label | Should -Contain 'late'
    }

    It 'one failed action: the others are applied, the failure is a result and an error with a stable id, and $? is false' {
        $grown = Join-Path $estate 'grown.yaml'
        (Get-Content -Raw -Path $file) -replace 'ipWhitelist: \[203\.0\.113\.7, 203\.0\.113\.8\]', 'ipWhitelist: [203.0.113.7, 203.0.113.8, 203.0.113.9]' |
            Set-Content -Path $grown
        Add-Content -Path $grown -Value @'
      - label: audit
        type: hmac
        permissions: []
        secret: vault:desk-a/audit
        ipWhitelist: [203.0.113.21]
'@
        # Binance fails every HMAC create for a while (5xx before the change).
        $sandbox.AddFault(@{ kind = 'errorBeforeChange'; method = 'POST'; path = '/sapi/v1/sub-account/subAccountApi'; count = 20 })
        try {
            $results = Invoke-BinanceKeyPlan -Path $grown -Force -ErrorVariable failures -ErrorAction SilentlyContinue
            $succeeded = $?
        }
        finally { $sandbox.ClearFaults() }

        $succeeded | Should -BeFalse
        ($results | Where-Object Target -EQ 'desk-a/mm-bot').Status | Should -Be 'Succeeded'
        $failed = $results | Where-Object Target -EQ 'desk-a/audit'
        $failed.Status | Should -Be 'Failed'
        $failed.ErrorId | Should -Not -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike "$($failed.ErrorId),*"
        (Get-DeskAKey | Where-Object label -EQ mm-bot).ipWhitelist | Should -Contain '203.0.113.9'
        # No HMAC key without its secret in the vault, and the next run finishes the job.
        if ((Get-DeskAKey).label -contains 'audit') { (Get-BinanceSecret).Name | Should -Contain 'desk-a/audit' }
        { Invoke-BinanceKeyPlan -Path $grown -Force -ErrorAction Stop } | Should -Not -Throw
        Test-BinanceKeyState -Path $grown | Should -BeTrue
        Invoke-BinanceKeyPlan -Path $file -Force | Out-Null
    }

    It 'an Error finding in the file fails the CI step before anything is sent' {
        $bad = Join-Path $estate 'bad.yaml'
        (Get-Content -Raw -Path $file) -replace 'permissions: \[spotAndMarginTrading\]', 'permissions: [spotAndMarginTrading, withdrawals]' |
            Set-Content -Path $bad
        $before = @($sandbox.Requests()).Count
        { Invoke-BinanceKeyPlan -Path $bad -Force -ErrorAction Stop } | Should -Throw
        @($sandbox.Requests()).Count | Should -Be $before
    }
}
