# Unit tests for a script that uses BinanceKeys: the module's cmdlets are mocked, so nothing talks to Binance.
# Run with: Invoke-Pester ./examples/testing   (docs/testing-your-scripts.md explains each step)
BeforeAll {
    # The mocked commands must exist: import the module (the tests never call it for real).
    Import-Module (Join-Path (Split-Path -Parent (Split-Path -Parent $PSScriptRoot)) 'BinanceKeys.psd1')
    . (Join-Path $PSScriptRoot 'Remove-UnrestrictedTradingKey.ps1')

    # Typed objects, as Get-BinanceApiKey returns them: the real properties, so the script sees what it will in production.
    function New-TestKey([string] $Label, [string] $IpAccess, [string[]] $Permission) {
        [BinanceKeys.ApiKeyInfo] @{
            Email      = 'desk-a@example.com'
            Label      = $Label
            ApiKey     = "api-key-of-$Label"
            IpAccess   = $IpAccess
            Permission = $Permission
        }
    }
}

Describe 'Remove-UnrestrictedTradingKey' {
    BeforeEach {
        Mock Get-BinanceApiKey {
            New-TestKey -Label open-trader -IpAccess Unrestricted -Permission Reading, SpotAndMarginTrading
            New-TestKey -Label pinned-trader -IpAccess TrustedIps -Permission Reading, SpotAndMarginTrading
            New-TestKey -Label open-reader -IpAccess Unrestricted -Permission Reading
        }
        Mock Remove-BinanceApiKey { }
    }

    It 'deletes only the unrestricted key that can trade' {
        $removed = Remove-UnrestrictedTradingKey -Email desk-a@example.com -Confirm:$false
        $removed.Label | Should -Be 'open-trader'
        Should -Invoke Remove-BinanceApiKey -Times 1 -Exactly -ParameterFilter { $ApiKey -eq 'api-key-of-open-trader' -and $Force }
    }

    It 'asks Binance about every account it is given' {
        Remove-UnrestrictedTradingKey -Email desk-a@example.com, desk-b@example.com -Confirm:$false
        Should -Invoke Get-BinanceApiKey -Times 1 -Exactly -ParameterFilter { $Email -eq 'desk-b@example.com' }
        Should -Invoke Get-BinanceApiKey -Times 2 -Exactly
    }

    It 'deletes nothing with -WhatIf' {
        Remove-UnrestrictedTradingKey -Email desk-a@example.com -WhatIf
        Should -Invoke Remove-BinanceApiKey -Times 0
    }

    It 'stops when the module fails, and deletes nothing' {
        Mock Get-BinanceApiKey { throw 'Not connected: run Connect-BinanceAccount first.' }
        { Remove-UnrestrictedTradingKey -Email desk-a@example.com -Confirm:$false } | Should -Throw '*Connect-BinanceAccount first*'
        Should -Invoke Remove-BinanceApiKey -Times 0
    }
}
