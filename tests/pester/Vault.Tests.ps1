# Secrets in a SecretManagement vault (-Vault NAME), as a team that already uses SecretManagement scripts it.
# Microsoft.PowerShell.SecretManagement is not served to this project's build machines: these journeys run against
# tests/pester/SecretManagement.StandIn, which copies the real module's public cmdlet signatures, output types and
# error ids (the first Describe pins them); docs/vault.md says what is and is not proven by that.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'BinanceKeys.TestSupport.psm1') -Force
    Import-Module (Get-BinanceKeysManifest) -Force
    $standIn = Join-Path $PSScriptRoot 'SecretManagement.StandIn/Microsoft.PowerShell.SecretManagement.psd1'
    if (-not (Test-Path (Join-Path $PSScriptRoot 'SecretManagement.StandIn/bin/Microsoft.PowerShell.SecretManagement.dll'))) { throw "The SecretManagement stand-in is not built: run 'dotnet build'." }
    Import-Module $standIn -Force
    $vaultName = "BinanceKeysJourney$(Get-Random)"
    Register-SecretVault -Name $vaultName -ModuleName Microsoft.PowerShell.SecretStore
}
AfterAll {
    Unregister-SecretVault -Name $vaultName -ErrorAction SilentlyContinue
}

Describe 'The stand-in has SecretManagement''s public signatures' {
    # Expected values from PowerShell/SecretManagement src/code/SecretManagement.cs (the public source), not from the stand-in.
    It 'Set-Secret has the SecureString, Object and SecretInfo parameter sets, SecureString by default' {
        $command = Get-Command Set-Secret
        $command.ParameterSets.Name | Sort-Object | Should -Be 'ObjectParameterSet', 'SecretInfoParameterSet', 'SecureStringParameterSet'
        $command.DefaultParameterSet | Should -Be 'SecureStringParameterSet'
        $command.Parameters['SecureStringSecret'].ParameterType | Should -Be ([securestring])
        $command.Parameters['Metadata'].ParameterType | Should -Be ([hashtable])
        $command.Parameters['NoClobber'].SwitchParameter | Should -BeTrue
    }

    It 'Get-Secret takes -Name or -InputObject, and -AsPlainText' {
        $command = Get-Command Get-Secret
        $command.ParameterSets.Name | Sort-Object | Should -Be 'InfoParameterSet', 'NameParameterSet'
        $command.Parameters['InputObject'].ParameterType.FullName | Should -Be 'Microsoft.PowerShell.SecretManagement.SecretInformation'
        $command.Parameters['AsPlainText'].SwitchParameter | Should -BeTrue
    }

    It 'Remove-Secret needs -Vault; Get-SecretInfo returns SecretInformation' {
        (Get-Command Remove-Secret).Parameters['Vault'].Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).Mandatory | Should -Contain $true
        (Get-Command Get-SecretInfo).OutputType.Name | Should -Be 'Microsoft.PowerShell.SecretManagement.SecretInformation'
    }

    It 'a missing secret is GetSecretNotFound, an unknown vault GetSecretVaultNotFound' {
        Get-Secret -Name nothing-here -Vault $vaultName -ErrorAction SilentlyContinue -ErrorVariable missing
        $missing[0].FullyQualifiedErrorId | Should -Be 'GetSecretNotFound,Microsoft.PowerShell.SecretManagement.GetSecretCommand'
        { Get-Secret -Name x -Vault NoSuchVault -ErrorAction Stop } | Should -Throw -ErrorId 'GetSecretVaultNotFound,Microsoft.PowerShell.SecretManagement.GetSecretCommand'
        { Set-Secret -Name x -Secret ([datetime]::Now) -Vault $vaultName } | Should -Throw
    }

    It 'Set-Secret -NoClobber on an existing name is SetSecretCommandAlreadyExistsWithNoClobber' {
        Set-Secret -Name twice -Secret 'first' -Vault $vaultName
        { Set-Secret -Name twice -Secret 'second' -Vault $vaultName -NoClobber } | Should -Throw -ErrorId 'SetSecretCommandAlreadyExistsWithNoClobber,Microsoft.PowerShell.SecretManagement.SetSecretCommand'
        Get-Secret -Name twice -Vault $vaultName -AsPlainText | Should -Be 'first'
        Remove-Secret -Name twice -Vault $vaultName
    }

    It 'string secrets come back as SecureString unless -AsPlainText' {
        Set-Secret -Name plain -Secret 'text' -Vault $vaultName
        Get-Secret -Name plain -Vault $vaultName | Should -BeOfType ([securestring])
        Get-Secret -Name plain -Vault $vaultName -AsPlainText | Should -Be 'text'
        Remove-Secret -Name plain -Vault $vaultName
    }
}

Describe 'BinanceKeys with -Vault' {
    BeforeAll {
        $sandbox = Start-TestSandbox
        $demo = Get-TestSandboxCredential
    }
    AfterAll { $sandbox | Stop-TestSandbox }

    It 'Set-BinanceSecret stores the credential as a SecureString with the key''s metadata' {
        Set-BinanceSecret -Name sandbox/admin -ApiKey $demo.ApiKey -Secret $demo.Secret -Account master -Label admin -Vault $vaultName
        $info = Get-SecretInfo -Name sandbox/admin -Vault $vaultName
        $info.Type | Should -Be 'SecureString'
        $info.VaultName | Should -Be $vaultName
        $info.Metadata['ApiKey'] | Should -Be $demo.ApiKey
        $info.Metadata['BinanceKeysType'] | Should -Be 'hmac'
        Get-Secret -Name sandbox/admin -Vault $vaultName -AsPlainText | Should -Be (Get-TestSandboxCredential -AsPlainText).Secret
    }

    It 'Get-BinanceSecret lists the vault''s entries without secrets' {
        $entry = Get-BinanceSecret -Vault $vaultName | Where-Object Name -EQ 'sandbox/admin'
        $entry.ApiKey | Should -Be $demo.ApiKey
        $entry | Out-String | Should -Not -Match (Get-TestSandboxCredential -AsPlainText).Secret
    }

    It 'Connect-BinanceAccount -SecretName reads the credential from the vault' {
        $connection = Connect-BinanceAccount -Endpoint $sandbox.Endpoint -SecretName sandbox/admin -Vault $vaultName
        $connection.ApiKey | Should -Be $demo.ApiKey
        (Get-BinanceSubAccount).Email | Should -Contain 'desk-a@example.com'
    }

    It 'New-BinanceApiKey puts a new HMAC secret in the vault and nowhere else' {
        $key = New-BinanceApiKey -Email desk-b@example.com -Label vaulted -IpAddress 203.0.113.80 -SecretName desk-b/vaulted -Vault $vaultName
        $secret = Get-Secret -Name desk-b/vaulted -Vault $vaultName -AsPlainText
        $secret.Length | Should -BeGreaterThan 20
        ($key | Format-List * | Out-String).Contains($secret) | Should -BeFalse
        (Get-SecretInfo -Name desk-b/vaulted -Vault $vaultName).Metadata['ApiKey'] | Should -Be $key.ApiKey
        $key | Remove-BinanceApiKey -Force
    }

    It 'Remove-BinanceSecret -Force removes the entry through Remove-Secret' {
        Remove-BinanceSecret -Name desk-b/vaulted -Force -Vault $vaultName
        Get-SecretInfo -Name desk-b/vaulted -Vault $vaultName | Should -BeNullOrEmpty
    }

    It 'an unregistered vault is an error that names it, and nothing is stored' {
        { Set-BinanceSecret -Name x -ApiKey k -Secret $demo.Secret -Vault NoSuchVault -ErrorAction Stop } | Should -Throw -ExpectedMessage '*NoSuchVault*'
        Get-SecretInfo -Name x | Should -BeNullOrEmpty
    }
}
