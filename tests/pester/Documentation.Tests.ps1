# The documentation's examples are the files the suite runs: a user who copies them gets working code.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'BinanceKeys.TestSupport.psm1') -Force
    $repository = Get-RepositoryRoot
    function Get-CodeBlock([string] $Markdown, [string] $After) {
        # The first ```powershell block after the line that names the file.
        $text = (Get-Content -Raw -Path $Markdown) -replace "`r`n", "`n"
        $start = $text.IndexOf($After)
        if ($start -lt 0) { throw "$Markdown does not mention $After." }
        $match = [regex]::Match($text.Substring($start), '```powershell\n(.*?)\n```', 'Singleline')
        $match.Groups[1].Value
    }
}

Describe 'docs/testing-your-scripts.md' {
    It 'shows <_> exactly as the suite runs it' -ForEach 'examples/testing/Remove-UnrestrictedTradingKey.ps1', 'examples/testing/Remove-UnrestrictedTradingKey.Tests.ps1' {
        $shown = Get-CodeBlock -Markdown (Join-Path $repository 'docs/testing-your-scripts.md') -After "``$_``:"
        $file = ((Get-Content -Raw -Path (Join-Path $repository $_)) -replace "`r`n", "`n").TrimEnd()
        $shown | Should -BeExactly $file
    }
}
