using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using NuGet.Packaging;
using NuGet.Versioning;

namespace BinanceKeys.Package
{
    /// <summary>
    /// Builds BinanceKeys.VERSION.nupkg as the PowerShell Gallery expects it: the manifest at the root, bin/ with the
    /// cmdlet and model assemblies and bin/dependencies/ with the isolated ones, en-US/ help and about topics,
    /// module/ formats and schema, LICENSE; the nuspec from the manifest (tags PSModule, PSCmdlet_*, PSCommand_*,
    /// editions; release notes; licence; a project URL only when the manifest has one).
    /// </summary>
    internal static class Program
    {
        private static int Main(string[] args)
        {
            try
            {
                string output = "out";
                string? root = null;
                for (int i = 0; i < args.Length; i++)
                {
                    switch (args[i])
                    {
                        case "-o": case "--output": output = args[++i]; break;
                        case "--repository": root = args[++i]; break;
                        default: throw new ArgumentException($"Unknown argument '{args[i]}'. Usage: BinanceKeys.Package [--output DIR] [--repository DIR]");
                    }
                }
                root ??= FindRepository(Directory.GetCurrentDirectory());
                string package = ModulePackage.Build(root, Path.GetFullPath(output));
                Console.WriteLine(package);
                return 0;
            }
            catch (Exception e) when (e is ArgumentException || e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
            {
                Console.Error.WriteLine("BinanceKeys.Package: " + e.Message);
                return 1;
            }
        }

        private static string FindRepository(string start)
        {
            for (var folder = new DirectoryInfo(start); folder != null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "BinanceKeys.psd1"))) return folder.FullName;
            }
            throw new ArgumentException("BinanceKeys.psd1 was not found above " + start + "; pass --repository.");
        }
    }

    /// <summary>The .nupkg of the module at a repository root.</summary>
    public static class ModulePackage
    {
        /// <summary>What ships, relative to the repository root (after `dotnet build`).</summary>
        private static readonly string[] Folders = { "bin", "en-US", "module/schema" };

        public static string Build(string root, string outputFolder)
        {
            string manifestPath = Path.Combine(root, "BinanceKeys.psd1");
            Hashtable manifest = ReadDataFile(manifestPath);
            var psData = (manifest["PrivateData"] as Hashtable)?["PSData"] as Hashtable ?? new Hashtable();
            string version = Required(manifest, "ModuleVersion");

            var files = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["BinanceKeys.psd1"] = manifestPath,
                ["LICENSE"] = Path.Combine(root, "LICENSE"),
                ["README.md"] = Path.Combine(root, "README.md"),
            };
            foreach (string format in Strings(manifest["FormatsToProcess"])) files[format.Replace('\\', '/')] = Path.Combine(root, format);
            foreach (string folder in Folders)
            {
                string full = Path.Combine(root, folder);
                if (!Directory.Exists(full)) throw new IOException($"{full} is missing: run 'dotnet build' first.");
                foreach (string file in Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories))
                {
                    // Symbols stay out of the release; the module runs without them.
                    if (file.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase)) continue;
                    files[Path.GetRelativePath(root, file).Replace('\\', '/')] = file;
                }
            }
            string rootModule = Required(manifest, "RootModule").Replace('\\', '/');
            foreach (var required in new[] { rootModule, "bin/dependencies/BinanceKeys.Core.dll" }.Concat(files.Keys.Where(k => k.EndsWith(".ps1xml", StringComparison.Ordinal))))
            {
                if (!files.TryGetValue(required, out string? source) || !File.Exists(source)) throw new IOException($"{required} is missing: run 'dotnet build' first.");
            }

            var builder = new PackageBuilder
            {
                Id = "BinanceKeys",
                Version = NuGetVersion.Parse(version),
                Description = Required(manifest, "Description"),
                Copyright = manifest["Copyright"] as string,
                ReleaseNotes = psData["ReleaseNotes"] as string,
                RequireLicenseAcceptance = false,
            };
            builder.Authors.Add(Required(manifest, "Author"));
            builder.Owners.Add((manifest["CompanyName"] as string) ?? Required(manifest, "Author"));
            if (psData["LicenseUri"] is string license) builder.LicenseUrl = new Uri(license);
            if (psData["ProjectUri"] is string project) builder.ProjectUrl = new Uri(project);
            if (psData["IconUri"] is string icon) builder.IconUrl = new Uri(icon);

            // The tags the Gallery derives from a manifest: PSGet's search finds a module by its commands this way.
            var tags = new List<string>(Strings(psData["Tags"])) { "PSModule" };
            tags.AddRange(Strings(manifest["CompatiblePSEditions"]).Select(edition => "PSEdition_" + edition));
            var commands = Strings(manifest["CmdletsToExport"]).Concat(Strings(manifest["AliasesToExport"])).ToList();
            if (Strings(manifest["CmdletsToExport"]).Any()) tags.Add("PSIncludes_Cmdlet");
            tags.AddRange(Strings(manifest["CmdletsToExport"]).Select(c => "PSCmdlet_" + c));
            tags.AddRange(commands.Select(c => "PSCommand_" + c));
            builder.Tags.AddRange(tags.Distinct(StringComparer.OrdinalIgnoreCase));

            foreach (var file in files) builder.Files.Add(new PhysicalPackageFile { SourcePath = file.Value, TargetPath = file.Key });

            Directory.CreateDirectory(outputFolder);
            string packagePath = Path.Combine(outputFolder, $"BinanceKeys.{builder.Version.ToNormalizedString()}.nupkg");
            using (var stream = File.Create(packagePath)) builder.Save(stream);
            return packagePath;
        }

        private static Hashtable ReadDataFile(string path)
        {
            var ast = Parser.ParseFile(path, out _, out ParseError[] errors);
            if (errors.Length > 0) throw new InvalidDataException($"{path}: {errors[0].Message} (line {errors[0].Extent.StartLineNumber})");
            var table = ast.Find(node => node is HashtableAst, false) as HashtableAst ?? throw new InvalidDataException(path + " holds no hashtable.");
            return (Hashtable)table.SafeGetValue();
        }

        private static string Required(Hashtable table, string key) =>
            table[key] as string is { Length: > 0 } value ? value : throw new InvalidDataException($"BinanceKeys.psd1 has no {key}.");

        private static IEnumerable<string> Strings(object? value) => value switch
        {
            null => Array.Empty<string>(),
            string single => new[] { single },
            IEnumerable many => many.Cast<object>().Select(o => o.ToString()!),
            _ => new[] { value.ToString()! },
        };
    }
}
