# The interactive user: discovers the module with Get-Help, types with Tab, reads tables, and tries every change
# with -WhatIf first.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'BinanceKeys.TestSupport.psm1') -Force
    Import-Module (Get-BinanceKeysManifest) -Force
    $cmdlets = (Get-Command -Module BinanceKeys -CommandType Cmdlet).Name
    $stateChanging = (Get-Command -Module BinanceKeys -CommandType Cmdlet | Where-Object { $_.Parameters.ContainsKey('WhatIf') }).Name
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'BinanceKeys.TestSupport.psm1') -Force
    Import-Module (Get-BinanceKeysManifest) -Force
    function Complete([string] $Line) {
        # What Tab offers at the end of the line: TabExpansion2 is what pwsh's prompt and editors call.
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText)
    }
}

Describe 'Get-Help' {
    It '<_> has a synopsis, a description and examples that use it' -ForEach $cmdlets {
        $help = Get-Help -Name $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -BeLike "$_ *" -Because 'an auto-generated syntax line means no help was found'
        ($help.description.Text -join ' ') | Should -Not -BeNullOrEmpty
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 1
        ($examples.code -join "`n") | Should -Match ([regex]::Escape($_))
    }

    It 'Get-Help <_> -Examples shows only the examples' -ForEach 'New-BinanceKeyPair', 'Connect-BinanceAccount' {
        $text = Get-Help -Name $_ -Examples | Out-String
        $text | Should -Match 'Example 1'
        $text | Should -Not -Match 'PARAMETERS'
    }

    It 'about_BinanceKeys explains the model' {
        $text = Get-Help about_BinanceKeys | Out-String
        foreach ($section in 'ACCOUNTS', 'KEYS', 'THE DESIRED-STATE FILE', 'THE VAULT', 'THE SANDBOX') { $text | Should -Match "(?m)^\s*$section\s*$" }
    }

    It 'about_BinanceKeys_Rules gives a reason and a fix for BN002' {
        $text = Get-Help about_BinanceKeys_Rules | Out-String
        $text | Should -Match 'BN002 \(Error\)'
        $text | Should -Match 'Reason: While the account-wide Default Security Controls'
    }

    It 'Get-Help finds the topics by partial name, as users search' {
        (Get-Help -Name about_BinanceKeys* -Category HelpFile).Name | Should -Contain 'about_BinanceKeys_Rules'
    }
}

Describe 'Tab completion' {
    BeforeAll {
        $sandbox = New-TestSandboxSession
        $folder = Join-Path $TestDrive 'keys'
        $null = New-BinanceKeyPair -Name bot -Path $folder -NoEncryption
        $null = New-BinanceKeyPair -Name backup -Path $folder -NoEncryption
    }
    AfterAll { $sandbox | Stop-TestSandbox }

    It 'completes permission names' {
        # PowerShell completes an enum parameter with the enum's own names, before any completer the module could
        # register; they bind exactly as the files' camelCase names do (binding ignores case).
        Complete 'New-BinanceApiKey -Email desk-a@example.com -Label bot -Permission spotAnd' | Should -BeExactly 'SpotAndMarginTrading'
        Complete 'Set-BinanceApiKeyPermission -ApiKey k -Permission fix' | Should -BeExactly 'FixApiReading', 'FixApiTrading'
    }

    It 'completes key labels of the account on the command line' {
        $null = New-BinanceApiKey -Email desk-c@example.com -Label label-probe -IpAddress 203.0.113.9 -SecretPath (Join-Path $TestDrive 'probe.secret')
        try {
            $before = @($sandbox.Requests()).Count
            Complete 'Get-BinanceApiKey -Email desk-c@example.com -Label label-p' | Should -Be 'label-probe'
            # One key query; no IP list is read for a completion.
            @($sandbox.Requests() | Select-Object -Skip $before | ForEach-Object { "$($_.method) $($_.path)" }) |
                Should -Be 'GET /sapi/v1/sub-account/subAccountApi'
            Complete 'Get-BinanceApiKey -Email desk-c@example.com -Label label-' | Should -Be 'label-probe'
            @($sandbox.Requests()).Count | Should -Be ($before + 1) -Because 'the labels are read once a minute at most'
            Complete 'Get-BinanceApiKey -Label label-p' | Should -BeNullOrEmpty
        }
        finally {
            Get-BinanceApiKey -Email desk-c@example.com -Label label-probe | Remove-BinanceApiKey -Force
        }
    }

    It 'completes the labels of broker keys from the records beside the vault on the command line' {
        # Binance reports no label for a broker key: the module's record (beside -VaultPath's vault) has it.
        $id = @((Get-BinanceSubAccount -Broker).BrokerSubAccountId)[0]
        $vault = Join-Path $TestDrive 'broker-records.bkv'
        $key = New-BinanceApiKey -BrokerSubAccountId $id -Label broker-probe -IpAddress 203.0.113.9 -SecretPath (Join-Path $TestDrive 'broker.secret') -VaultPath $vault
        try {
            Complete "Get-BinanceApiKey -BrokerSubAccountId $id -VaultPath '$vault' -Label broker-p" | Should -Be 'broker-probe'
            Complete "Get-BinanceApiKey -BrokerSubAccountId $id -Label broker-p" | Should -BeNullOrEmpty -Because 'the default vault has no record of it'
        }
        finally {
            Remove-BinanceApiKey -ApiKey $key.ApiKey -BrokerSubAccountId $id -VaultPath $vault -Force
        }
    }

    It 'completes sub-account emails from the connected account' {
        Complete 'Get-BinanceApiKey -Email desk-' | Should -Be 'desk-a@example.com', 'desk-b@example.com', 'desk-c@example.com'
        Complete 'New-BinanceApiKey -Label bot -Email desk-b' | Should -Be 'desk-b@example.com'
    }

    It 'completes broker sub-account ids' {
        $ids = @((Get-BinanceSubAccount -Broker).BrokerSubAccountId)
        $ids.Count | Should -BeGreaterThan 0
        Complete 'Get-BinanceApiKey -BrokerSubAccountId ' | Sort-Object | Should -Be ($ids | Sort-Object)
    }

    It 'completes vault entry names' {
        $vault = Join-Path $TestDrive 'vault.bkv'
        $passphrase = ConvertTo-SecureString -String 'interactive vault passphrase' -AsPlainText -Force
        $secret = ConvertTo-SecureString -String 'not-a-real-secret-0123456789' -AsPlainText -Force
        Set-BinanceSecret -Name prod/reporting -ApiKey k1 -Secret $secret -VaultPath $vault -VaultPassphrase $passphrase
        Set-BinanceSecret -Name prod/trading -ApiKey k2 -Secret $secret -VaultPath $vault -VaultPassphrase $passphrase
        Set-BinanceSecret -Name staging/reporting -ApiKey k3 -Secret $secret -VaultPath $vault -VaultPassphrase $passphrase
        # Names come from what this session read when it unlocked the vault: no passphrase at Tab, and the vault is the
        # one on the command line (BINANCEKEYS_VAULT otherwise; not set here, since other journeys share the process).
        Complete "Get-BinanceSecret -VaultPath '$vault' -Name prod" | Should -Be 'prod/reporting', 'prod/trading'
        Complete "Connect-BinanceAccount -VaultPath '$vault' -SecretName stag" | Should -Be 'staging/reporting'
        Complete "Remove-BinanceSecret -VaultPath '$vault' -Name prod/t" | Should -Be 'prod/trading'
    }

    It 'completes key files' {
        $bot = Join-Path $folder 'bot.pem'
        Complete "Get-BinanceKeyPair -Path $(Join-Path $folder 'bo')" | Should -Contain $bot
        Complete "New-BinanceSignature -Payload x -PrivateKeyPath $(Join-Path $folder 'ba')" | Should -Contain (Join-Path $folder 'backup.pem')
    }

    It 'completes the module''s commands and parameters' {
        Complete 'New-BinanceApiK' | Should -Be 'New-BinanceApiKey'
        Complete 'Set-BinanceApiKeyRestriction -Unre' | Should -Be '-Unrestricted'
    }
}

Describe 'Readable views' {
    BeforeAll {
        $sandbox = New-TestSandboxSession
        $pair = New-BinanceKeyPair -Name viewer -Path (Join-Path $TestDrive 'view') -NoEncryption
    }
    AfterAll { $sandbox | Stop-TestSandbox }

    It 'a key pair shows its name, algorithm and fingerprint, never the key' {
        $text = $pair | Out-String -Width 160
        $text | Should -Match 'Name\s+Algorithm'
        $text | Should -Match 'Fingerprint \(SHA-256\)'
        $text | Should -Match 'viewer\s+Ed25519'
        $text | Should -Not -Match 'BEGIN'
    }

    It 'sub-accounts and keys read as tables' {
        Get-BinanceSubAccount | Out-String -Width 160 | Should -Match 'Email\s+BrokerSubAccountId'
        $key = New-BinanceApiKey -Email desk-a@example.com -Label viewer -KeyPair $pair -Permission spotAndMarginTrading -IpAddress 203.0.113.7
        $text = $key | Out-String -Width 200
        $text | Should -Match 'Account\s+Label\s+Type\s+Permission'
        $text | Should -Match 'desk-a@example.com\s+viewer\s+Ed25519\s+SpotAndMarginTrading'
        $key | Remove-BinanceApiKey -Force
    }

    It 'policy findings read as a table with rule, severity and message' {
        $text = Test-BinanceApiKeyPolicy -Path (Join-Path (Get-RepositoryRoot) 'examples/failing/risky-desk.yaml') | Out-String -Width 200
        $text | Should -Match 'RuleId\s+Severity\s+Account\s+Label\s+Message'
        $text | Should -Match 'ORG001\s+Error'
    }

    It 'Format-List shows every property of a key without a secret' {
        $text = Get-BinanceApiKey | Format-List | Out-String
        $text | Should -Match 'Permission'
        $text | Should -Not -Match (Get-TestSandboxCredential -AsPlainText).Secret
    }
}

Describe '-WhatIf on everything that changes state' {
    BeforeAll {
        $sandbox = New-TestSandboxSession
        $folder = Join-Path $TestDrive 'whatif'
        $null = New-Item -ItemType Directory -Path $folder
        $pair = New-BinanceKeyPair -Name existing -Path $folder -NoEncryption
        $vault = Join-Path $folder 'vault.bkv'
        $passphrase = ConvertTo-SecureString -String 'what if vault passphrase' -AsPlainText -Force
        $secret = ConvertTo-SecureString -String 'not-a-real-secret-0123456789' -AsPlainText -Force
        Set-BinanceSecret -Name kept -ApiKey k1 -Secret $secret -VaultPath $vault -VaultPassphrase $passphrase
        $existing = New-BinanceApiKey -Email desk-a@example.com -Label existing -KeyPair $pair -Permission spotAndMarginTrading -IpAddress 203.0.113.7
        # A desired state with one key to create, outside the watched folder.
        $desks = Join-Path $TestDrive 'whatif-desks.yaml'
        Set-Content -Path $desks -Value @"
version: 1
accounts:
  - name: desk-b
    email: desk-b@example.com
    keys:
      - label: planned
        type: ed25519
        publicKey: whatif/existing.pub.pem
        ipWhitelist: [203.0.113.9]
"@

        # One realistic call per state-changing command; each must leave the sandbox, the files and the vault as they were.
        $calls = @{
            'Connect-BinanceAccount'        = { Connect-BinanceAccount -Endpoint http://127.0.0.1:9 -ApiKey other -Secret $secret -WhatIf }
            'Disconnect-BinanceAccount'     = { Disconnect-BinanceAccount -WhatIf }
            'Export-BinanceKeyState'        = { Export-BinanceKeyState -Email desk-a@example.com -OutFile (Join-Path $folder 'export.yaml') -VaultPath $vault -WhatIf }
            'Invoke-BinanceKeyPlan'         = { Invoke-BinanceKeyPlan -Path $desks -VaultPath $vault -VaultPassphrase $passphrase -WhatIf }
            'Invoke-BinanceRestMethod'      = { Invoke-BinanceRestMethod -Method POST -Path /sapi/v1/sub-account/subAccountApi/ipRestriction -Parameter @{ email = 'desk-a@example.com'; subAccountApiKey = $existing.ApiKey; status = '1'; ipAddress = '198.51.100.1' } -WhatIf }
            'New-BinanceApiKey'             = { New-BinanceApiKey -Email desk-b@example.com -Label whatif -KeyPair $pair -IpAddress 203.0.113.8 -WhatIf }
            'New-BinanceKeyPair'            = { New-BinanceKeyPair -Name whatif -Path $folder -NoEncryption -WhatIf }
            'Remove-BinanceApiKey'          = { $existing | Remove-BinanceApiKey -Force -WhatIf }
            'Remove-BinanceSecret'          = { Remove-BinanceSecret -Name kept -Force -VaultPath $vault -VaultPassphrase $passphrase -WhatIf }
            'Set-BinanceApiKeyPermission'   = { $existing | Set-BinanceApiKeyPermission -Permission reading -WhatIf }
            'Set-BinanceApiKeyRestriction'  = { $existing | Set-BinanceApiKeyRestriction -Unrestricted -WhatIf }
            'Set-BinanceSecret'             = { Set-BinanceSecret -Name new -ApiKey k2 -Secret $secret -VaultPath $vault -VaultPassphrase $passphrase -WhatIf }
        }
        function Get-Snapshot {
            [pscustomobject]@{
                Sandbox = $sandbox.State() | ConvertTo-Json -Depth 20 -Compress
                Files   = (Get-ChildItem -Path $folder -Recurse | ForEach-Object { "$($_.Name):$($_.Length):$($_.LastWriteTimeUtc.Ticks)" }) -join '|'
                Vault   = (Get-BinanceSecret -VaultPath $vault -VaultPassphrase $passphrase).Name -join '|'
                Writes  = @($sandbox.Requests() | Where-Object { $_.method -ne 'GET' }).Count
            }
        }
    }
    AfterAll { $sandbox | Stop-TestSandbox }

    It 'every command that takes -WhatIf has a journey here' {
        $takesWhatIf = (Get-Command -Module BinanceKeys -CommandType Cmdlet | Where-Object { $_.Parameters.ContainsKey('WhatIf') }).Name
        @($calls.Keys | Sort-Object) | Should -Be @($takesWhatIf | Sort-Object)
    }

    It '<_> -WhatIf changes nothing and returns nothing' -ForEach $stateChanging {
        $before = Get-Snapshot
        $output = & $calls[$_] 6>&1
        $after = Get-Snapshot
        $after.Sandbox | Should -Be $before.Sandbox
        $after.Files | Should -Be $before.Files
        $after.Vault | Should -Be $before.Vault
        $after.Writes | Should -Be $before.Writes
        # Still connected to the sandbox as before: a -WhatIf connect or disconnect changed nothing either.
        (Get-BinanceSubAccount).Email | Should -Contain 'desk-a@example.com'
        @($output | Where-Object { $_ -isnot [System.Management.Automation.InformationRecord] }) | Should -BeNullOrEmpty
    }
}
