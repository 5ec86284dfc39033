# Test stand-in for Microsoft.PowerShell.SecretManagement (see SecretManagement.StandIn.csproj): same module name,
# cmdlet names, parameters, output types and error ids as the real module, over an in-memory vault.
@{
    RootModule        = 'bin/Microsoft.PowerShell.SecretManagement.dll'
    ModuleVersion     = '1.1.2'
    GUID              = 'a5c858f6-4a8e-41f1-b1ee-0ff8f6ad69d3'
    Author            = 'BinanceKeys tests'
    Description       = 'Test stand-in for Microsoft.PowerShell.SecretManagement: not the real module.'
    PowerShellVersion = '5.1'
    CmdletsToExport   = @('Register-SecretVault', 'Unregister-SecretVault', 'Get-SecretVault', 'Set-Secret', 'Get-Secret', 'Get-SecretInfo', 'Remove-Secret', 'Test-SecretVault')
    FunctionsToExport = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
