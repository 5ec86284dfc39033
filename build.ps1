<#
.SYNOPSIS
    Builds, tests and packages the BinanceKeys module.
.DESCRIPTION
    Build: `dotnet build`, which also lays the module out under ./bin and ./en-US so that
    `Import-Module ./BinanceKeys.psd1` works right away.
    Test: `dotnet test` (xunit hosting PowerShell 7.6, and the Pester journeys), the README's test command.
    Package: out/BinanceKeys.<version>.nupkg, a PowerShell Gallery package (Publish-PSResource -NupkgPath, or
    Install-PSResource from a local repository). The packing itself is tools/BinanceKeys.Package, so machines
    without pwsh get the same package with `dotnet run -c Release --project tools/BinanceKeys.Package`.
.EXAMPLE
    ./build.ps1 -Test -Package
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Run the tests after building.
    [switch] $Test,

    # Write out/BinanceKeys.<version>.nupkg.
    [switch] $Package
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Push-Location $PSScriptRoot
try {
    dotnet build --configuration $Configuration
    if ($LASTEXITCODE -ne 0) { throw "dotnet build failed with exit code $LASTEXITCODE." }

    if ($Test) {
        dotnet test --configuration $Configuration --no-build
        if ($LASTEXITCODE -ne 0) { throw "dotnet test failed with exit code $LASTEXITCODE." }
    }

    if ($Package) {
        $nupkg = dotnet run --configuration $Configuration --no-build --project tools/BinanceKeys.Package -- --output (Join-Path $PSScriptRoot 'out')
        if ($LASTEXITCODE -ne 0) { throw "Packaging failed with exit code $LASTEXITCODE." }
        Write-Output "Packaged $nupkg"
    }
}
finally {
    Pop-Location
}
