# Helpers for the Pester journeys (tests/pester/*.Tests.ps1): where the module is, a fresh sandbox on a free
# loopback port, a connected session, and `pwsh -File` for pipeline journeys. They work the same under a real
# pwsh (Invoke-Pester tests/pester) and inside `dotnet test` (tests/BinanceKeys.Pester.Tests).
#
#   BeforeAll {
#       Import-Module (Join-Path $PSScriptRoot 'BinanceKeys.TestSupport.psm1') -Force
#       Import-Module (Get-BinanceKeysManifest) -Force
#       $sandbox = New-TestSandboxSession          # a sandbox of its own, and Connect-BinanceAccount to it
#   }
#   AfterAll { $sandbox | Stop-TestSandbox }
Set-StrictMode -Version Latest

$repositoryRoot = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)

# The sandbox's demo master key (docs/sandbox.md): public on purpose, valid only against the sandbox.
$demoApiKey = 'SandboxDemoAdminApiKeyu8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzdoc'
$demoSecret = 'SandboxDemoAdminSecretJ2isAjIhKtJ0RlgLKOmxgJTeKdNnFRIBXuDL7DxtpY'

function Get-RepositoryRoot {
    <# .SYNOPSIS The repository these tests belong to. #>
    [CmdletBinding()] [OutputType([string])] param()
    $repositoryRoot
}

function Get-BinanceKeysManifest {
    <# .SYNOPSIS The repository's BinanceKeys.psd1 (laid out by `dotnet build`). #>
    [CmdletBinding()] [OutputType([string])] param()
    $manifest = Join-Path $repositoryRoot 'BinanceKeys.psd1'
    if (-not (Test-Path -Path (Join-Path $repositoryRoot 'bin/BinanceKeys.dll'))) { throw "The module is not built: run 'dotnet build' in $repositoryRoot." }
    $manifest
}

function Get-TestSandboxCredential {
    <# .SYNOPSIS The sandbox's demo master key: ApiKey, and Secret as a SecureString (or plain text with -AsPlainText, for environment variables). #>
    [CmdletBinding()] param([switch] $AsPlainText)
    [pscustomobject]@{
        ApiKey = $demoApiKey
        Secret = if ($AsPlainText) { $demoSecret } else { ConvertTo-SecureString -String $demoSecret -AsPlainText -Force }
    }
}

function Find-BuiltFile([string] $Folder, [string] $Name) {
    Get-ChildItem -Path (Join-Path $repositoryRoot $Folder) -Filter $Name -Recurse -File -ErrorAction SilentlyContinue |
        Sort-Object -Property LastWriteTime -Descending | Select-Object -First 1
}

function Start-TestSandbox {
    <#
    .SYNOPSIS
        Starts src/BinanceKeys.Sandbox as its own process on a free loopback port and waits until it listens.
    .OUTPUTS
        An object with Endpoint, and methods Reset(), State(), Requests(), AddFault() and ClearFaults() (the sandbox's admin API);
        stop it with Stop-TestSandbox.
    #>
    [CmdletBinding()]
    param(
        # A seed world (docs/sandbox.md) instead of the demo world.
        [string] $Seed,
        # Multiplies every rate-limit window: 0.01 makes a minute last 600 ms.
        [double] $TimeScale = 1
    )
    $dll = Find-BuiltFile 'src/BinanceKeys.Sandbox/bin' 'BinanceKeys.Sandbox.dll'
    if (-not $dll) { throw "The sandbox is not built: run 'dotnet build' in $repositoryRoot." }
    $log = Join-Path ([System.IO.Path]::GetTempPath()) "binancekeys-sandbox-$(New-Guid).log"
    $arguments = @($dll.FullName, '--urls', 'http://127.0.0.1:0', '--time-scale', $TimeScale.ToString([cultureinfo]::InvariantCulture))
    if ($Seed) { $arguments += '--seed', (Resolve-Path -Path $Seed).Path }
    $process = Start-Process -FilePath dotnet -ArgumentList $arguments -RedirectStandardOutput $log -RedirectStandardError "$log.err" -PassThru
    $deadline = (Get-Date).AddSeconds(60)
    while (-not ($line = Select-String -Path $log -Pattern 'listening on (http://\S+)' -ErrorAction SilentlyContinue | Select-Object -First 1)) {
        if ($process.HasExited -or (Get-Date) -gt $deadline) {
            if (-not $process.HasExited) { Stop-Process -Id $process.Id }
            throw "The sandbox did not start: $(Get-Content -Raw -Path "$log.err" -ErrorAction SilentlyContinue)"
        }
        Start-Sleep -Milliseconds 50
    }
    $sandbox = [pscustomobject]@{
        PSTypeName = 'BinanceKeys.TestSandbox'
        Endpoint   = $line.Matches[0].Groups[1].Value.TrimEnd('/')
        Process    = $process
        Log        = $log
    }
    $sandbox | Add-Member -MemberType ScriptMethod -Name Reset -Value { $null = Invoke-RestMethod -Method Post -Uri "$($this.Endpoint)/admin/reset" }
    $sandbox | Add-Member -MemberType ScriptMethod -Name State -Value { Invoke-RestMethod -Uri "$($this.Endpoint)/admin/state" }
    $sandbox | Add-Member -MemberType ScriptMethod -Name Requests -Value { Invoke-RestMethod -Uri "$($this.Endpoint)/admin/requests" }
    # A fault for the next matching requests (docs/sandbox.md, the admin API): @{ kind = 'errorBeforeChange'; method = 'POST'; path = '/sapi/...'; count = 1 }
    $sandbox | Add-Member -MemberType ScriptMethod -Name AddFault -Value {
        param([hashtable] $Fault)
        $null = Invoke-RestMethod -Method Post -Uri "$($this.Endpoint)/admin/faults" -ContentType 'application/json' -Body ($Fault | ConvertTo-Json -Compress)
    }
    $sandbox | Add-Member -MemberType ScriptMethod -Name ClearFaults -Value { $null = Invoke-RestMethod -Method Delete -Uri "$($this.Endpoint)/admin/faults" }
    $sandbox
}

function Stop-TestSandbox {
    <# .SYNOPSIS Stops a sandbox from Start-TestSandbox and removes its log. #>
    [CmdletBinding(SupportsShouldProcess)]
    param([Parameter(Mandatory, ValueFromPipeline)] [AllowNull()] [psobject] $Sandbox)
    process {
        if (-not $Sandbox -or -not $PSCmdlet.ShouldProcess($Sandbox.Endpoint, 'Stop the sandbox')) { return }
        if (-not $Sandbox.Process.HasExited) { Stop-Process -Id $Sandbox.Process.Id; $Sandbox.Process.WaitForExit() }
        Remove-Item -Path $Sandbox.Log, "$($Sandbox.Log).err" -ErrorAction SilentlyContinue
    }
}

function Connect-TestSandbox {
    <# .SYNOPSIS Connect-BinanceAccount to a sandbox with its demo master key; returns the connection. #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] [psobject] $Sandbox)
    process {
        $credential = Get-TestSandboxCredential
        Connect-BinanceAccount -Endpoint $Sandbox.Endpoint -ApiKey $credential.ApiKey -Secret $credential.Secret
    }
}

function New-TestSandboxSession {
    <# .SYNOPSIS A fresh sandbox, with this session connected to it: what a plan/apply/drift journey starts from. #>
    [CmdletBinding(SupportsShouldProcess)]
    param([string] $Seed, [double] $TimeScale = 1)
    if (-not $PSCmdlet.ShouldProcess('a new sandbox', 'Start and connect')) { return }
    $sandbox = Start-TestSandbox -Seed $Seed -TimeScale $TimeScale
    try { $null = $sandbox | Connect-TestSandbox }
    catch { $sandbox | Stop-TestSandbox; throw }
    $sandbox
}

function Get-PwshCommand {
    <#
    .SYNOPSIS
        How to start `pwsh`: $env:BINANCEKEYS_PWSH, else the pwsh running these tests, else the repository's
        shell (tools/BinanceKeys.Shell, pwsh 7.6 with BinanceKeys) through dotnet.
    .OUTPUTS
        The program and the arguments that come before pwsh's own.
    #>
    [CmdletBinding()] param()
    if ($env:BINANCEKEYS_PWSH) { return [pscustomobject]@{ FilePath = $env:BINANCEKEYS_PWSH; Prefix = @() } }
    $current = [System.Environment]::ProcessPath
    if ($current -and [System.IO.Path]::GetFileNameWithoutExtension($current) -eq 'pwsh') { return [pscustomobject]@{ FilePath = $current; Prefix = @() } }
    $shell = Find-BuiltFile 'tools/BinanceKeys.Shell/bin' 'BinanceKeys.Shell.dll'
    if (-not $shell) { throw "No pwsh: set BINANCEKEYS_PWSH, or run 'dotnet build' to build tools/BinanceKeys.Shell." }
    [pscustomobject]@{ FilePath = 'dotnet'; Prefix = @($shell.FullName) }
}

function Invoke-Pwsh {
    <#
    .SYNOPSIS
        Runs `pwsh -NoProfile -NonInteractive ARGUMENTS` as a CI step would: its own environment variables
        (only for that process), no standard input, plain-text output.
    .OUTPUTS
        ExitCode, Output (stdout) and Error (stderr).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string[]] $ArgumentList,
        [hashtable] $Environment = @{},
        [string] $WorkingDirectory = (Get-Location).Path,
        [int] $TimeoutSeconds = 180
    )
    $pwsh = Get-PwshCommand
    $start = [System.Diagnostics.ProcessStartInfo]::new($pwsh.FilePath)
    foreach ($argument in @($pwsh.Prefix) + @('-NoProfile', '-NonInteractive') + $ArgumentList) { $start.ArgumentList.Add($argument) }
    $start.WorkingDirectory = $WorkingDirectory
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $start.Environment['NO_COLOR'] = '1'
    foreach ($name in $Environment.Keys) { $start.Environment[$name] = [string] $Environment[$name] }
    $process = [System.Diagnostics.Process]::Start($start)
    try {
        $process.StandardInput.Close()
        $output = $process.StandardOutput.ReadToEndAsync()
        $errorText = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill($true)
            throw "pwsh $ArgumentList did not finish in $TimeoutSeconds s (did something prompt?)."
        }
        [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $output.Result; Error = $errorText.Result }
    }
    finally {
        $process.Dispose()
    }
}

Export-ModuleMember -Function Get-RepositoryRoot, Get-BinanceKeysManifest, Get-TestSandboxCredential, Start-TestSandbox,
    Stop-TestSandbox, Connect-TestSandbox, New-TestSandboxSession, Get-PwshCommand, Invoke-Pwsh
