<#
.SYNOPSIS
    Builds, tests and packages the BinanceKeys module.
.DESCRIPTION
    Build: `dotnet build`, which also lays the module out under ./bin and ./en-US so that
    `Import-Module ./BinanceKeys.psd1` works right away.
    Test: `dotnet test` (xunit, hosting PowerShell 7.6 in-process), the README's test command.
    Package: a publishable module folder, out/BinanceKeys/<version>/, ready for Publish-PSResource or a copy
    into a folder on $env:PSModulePath.
.EXAMPLE
    ./build.ps1 -Test -Package
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Run the tests after building.
    [switch] $Test,

    # Assemble out/BinanceKeys/<version>/.
    [switch] $Package
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Push-Location $PSScriptRoot
try {
    dotnet build --configuration $Configuration
    if ($LASTEXITCODE -ne 0) { throw "dotnet build failed with exit code $LASTEXITCODE." }

    if ($Test) {
        dotnet test --configuration $Configuration
        if ($LASTEXITCODE -ne 0) { throw "dotnet test failed with exit code $LASTEXITCODE." }
    }

    if ($Package) {
        $manifest = Import-PowerShellDataFile -Path (Join-Path $PSScriptRoot 'BinanceKeys.psd1')
        $target = Join-Path $PSScriptRoot "out/BinanceKeys/$($manifest.ModuleVersion)"
        if (Test-Path $target) { Remove-Item -Path $target -Recurse -Force }
        New-Item -ItemType Directory -Path $target | Out-Null

        Copy-Item -Path BinanceKeys.psd1, README.md, LICENSE -Destination $target
        Copy-Item -Path bin -Destination (Join-Path $target 'bin') -Recurse
        Copy-Item -Path en-US -Destination (Join-Path $target 'en-US') -Recurse
        New-Item -ItemType Directory -Path (Join-Path $target 'module') | Out-Null
        Get-ChildItem -Path module -Exclude help | Copy-Item -Destination (Join-Path $target 'module') -Recurse
        Get-ChildItem -Path $target -Recurse -Filter *.pdb | Remove-Item

        # The packaged module must import on its own.
        $imported = Import-Module (Join-Path $target 'BinanceKeys.psd1') -PassThru -Force
        Write-Output "Packaged $($imported.Name) $($imported.Version) with $($imported.ExportedCmdlets.Count) cmdlets in $target"
        Remove-Module BinanceKeys
    }
}
finally {
    Pop-Location
}
