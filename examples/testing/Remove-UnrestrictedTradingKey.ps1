function Remove-UnrestrictedTradingKey {
    <#
    .SYNOPSIS
        Deletes the trading keys of the given sub-accounts that have no IP whitelist (their trading permission
        lapses after 30 days anyway, and they can trade from anywhere until then).
    .EXAMPLE
        Remove-UnrestrictedTradingKey -Email desk-a@example.com, desk-b@example.com -WhatIf
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    [OutputType([BinanceKeys.ApiKeyInfo])]
    param(
        [Parameter(Mandatory)]
        [string[]] $Email
    )
    foreach ($account in $Email) {
        $risky = Get-BinanceApiKey -Email $account |
            Where-Object { $_.IpAccess -eq 'Unrestricted' -and $_.Permission -contains 'SpotAndMarginTrading' }
        foreach ($key in $risky) {
            if ($PSCmdlet.ShouldProcess("$($key.Label) ($account)", 'Delete unrestricted trading key')) {
                $key | Remove-BinanceApiKey -Force
                $key
            }
        }
    }
}
