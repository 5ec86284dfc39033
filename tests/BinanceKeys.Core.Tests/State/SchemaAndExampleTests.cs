using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BinanceKeys.Policy;
using BinanceKeys.State;
using Json.Schema;
using Xunit;
using static BinanceKeys.Tests.TestSupport;

namespace BinanceKeys.Tests.State
{
    /// <summary>The shipped JSON Schema against the examples and the invalid fixtures, and the examples against every rule.</summary>
    public sealed class SchemaAndExampleTests
    {
        private static readonly Lazy<JsonSchema> Schema = new Lazy<JsonSchema>(() =>
            JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schema", "binancekeys.schema.json"))));

        private static string ExamplesDirectory => Path.Combine(AppContext.BaseDirectory, "examples");

        public static IEnumerable<object[]> Examples() =>
            Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "examples"), "*.yaml").Select(f => new object[] { Path.GetFileName(f) });

        public static IEnumerable<object[]> InvalidFixtures() =>
            Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "desired-state", "invalid"), "*.yaml").Select(f => new object[] { Path.GetFileName(f) });

        /// <summary>YAML to JSON with the loader's own scalar typing (YAML 1.2 core schema), so both judge the same values.</summary>
        private static JsonNode? ToJson(YamlTreeNode? node) => node switch
        {
            null => null,
            YamlScalarNode s when s.IsNull => null,
            YamlScalarNode s when s.AsBoolean() is bool b => JsonValue.Create(b),
            YamlScalarNode s when s.AsInteger() is long l => JsonValue.Create(l),
            YamlScalarNode s when s.AsFloat() is double d => JsonValue.Create(double.IsFinite(d) ? d : 0.5),
            YamlScalarNode s => JsonValue.Create(s.Value),
            YamlSequenceNode q => new JsonArray(q.Items.Select(ToJson).ToArray()),
            YamlMappingNode m => new JsonObject(m.Entries.Select(e => new KeyValuePair<string, JsonNode?>(e.Key.Value, ToJson(e.Value)))),
            _ => throw new InvalidOperationException(),
        };

        private static EvaluationResults Validate(string path)
        {
            JsonNode? json = ToJson(DesiredStateLoader.ReadTree(File.ReadAllText(path), path));
            using JsonDocument document = JsonDocument.Parse(json?.ToJsonString() ?? "null");
            return Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        }

        [Theory]
        [MemberData(nameof(Examples))]
        public void Example_IsValidForTheSchema(string name)
        {
            var results = Validate(Path.Combine(ExamplesDirectory, name));
            Assert.True(results.IsValid, string.Join("\n", results.Details?.Where(d => d.Errors != null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")) ?? Array.Empty<string>()));
        }

        [Theory]
        [MemberData(nameof(Examples))]
        public void Example_LoadsAndPassesEveryRule(string name)
        {
            var report = PolicyService.TestFile(Path.Combine(ExamplesDirectory, name), Options(), () => Now);
            Assert.True(report.Passed, string.Join("\n", report.Findings.Where(f => f.Severity == FindingSeverity.Error)));
        }

        [Fact]
        public void Examples_AreRealistic()
        {
            var fund = DesiredStateLoader.LoadFile(Path.Combine(ExamplesDirectory, "fund-desks.yaml"), Options());
            Assert.True(fund.Accounts.Count >= 4);
            Assert.Contains(fund.Accounts, a => a.Kind == AccountKind.Own);
            var broker = DesiredStateLoader.LoadFile(Path.Combine(ExamplesDirectory, "broker-fleet.yaml"), Options());
            Assert.True(broker.Accounts.Count >= 24, "dozens of broker sub-accounts");
            Assert.All(broker.Accounts, a => Assert.Equal(AccountKind.BrokerSubAccount, a.Kind));
            Assert.All(broker.Accounts, a => Assert.Equal(3, a.Keys.Single().IpWhitelist.Count));
        }

        [Theory]
        [MemberData(nameof(InvalidFixtures))]
        public void InvalidFixture_FailsWithItsExactPosition_AndTheSchemaAgrees(string name)
        {
            string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "desired-state", "invalid", name);
            string[] lines = File.ReadAllLines(path);
            Match expect = Regex.Match(lines[0], @"^# expect: (?<line>\d+):(?<column>\d+) (?<path>\S+) \| (?<message>.+)$");
            Match schema = Regex.Match(lines[1], @"^# schema: (?<verdict>invalid|valid|unparsable)");
            Assert.True(expect.Success && schema.Success, "fixture header missing");

            var e = Assert.Throws<DesiredStateException>(() => DesiredStateLoader.LoadFile(path, Options()));
            DesiredStateError first = e.Errors[0];
            Assert.Equal(path, first.Location.File);
            Assert.Equal((int.Parse(expect.Groups["line"].Value), int.Parse(expect.Groups["column"].Value)), (first.Location.Line, first.Location.Column));
            Assert.Equal(expect.Groups["path"].Value, first.Location.YamlPath);
            Assert.Contains(expect.Groups["message"].Value, first.Message);

            switch (schema.Groups["verdict"].Value)
            {
                case "invalid":
                    Assert.False(Validate(path).IsValid, "the schema accepts what the loader rejects");
                    break;
                case "valid":
                    // Documented limits of JSON Schema: the loader checks these, editors cannot.
                    Assert.True(Validate(path).IsValid);
                    break;
                default:
                    Assert.Throws<DesiredStateException>(() => DesiredStateLoader.ReadTree(File.ReadAllText(path), path));
                    break;
            }
        }

        [Fact]
        public void Schema_NamesExactlyTheLoadersFields()
        {
            using JsonDocument schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schema", "binancekeys.schema.json")));
            JsonElement root = schema.RootElement;
            JsonElement defs = root.GetProperty("$defs");
            Assert.Equal(DesiredStateLoader.TopLevelFields.OrderBy(x => x), Names(root));
            Assert.Equal(DesiredStateLoader.PolicyFields.OrderBy(x => x), Names(defs.GetProperty("policy")));
            Assert.Equal(DesiredStateLoader.AccountFields.OrderBy(x => x), Names(defs.GetProperty("account")));
            Assert.Equal(DesiredStateLoader.KeyFields.OrderBy(x => x), Names(defs.GetProperty("key")));
            Assert.Equal(PermissionCatalog.Names, defs.GetProperty("permission").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
            Assert.Equal(ContractNames.KeyTypes, defs.GetProperty("keyType").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
            Assert.Equal(ContractNames.IpAccessModes, defs.GetProperty("key").GetProperty("properties").GetProperty("ipAccess").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
            Assert.Equal(BinanceLimits.MaxKeysPerAccount, defs.GetProperty("policy").GetProperty("properties").GetProperty("maxKeysPerAccount").GetProperty("maximum").GetInt32());
            JsonElement accountProperties = defs.GetProperty("account").GetProperty("properties");
            JsonElement keyProperties = defs.GetProperty("key").GetProperty("properties");
            Assert.Equal(DesiredStateLoader.EmailRegex, accountProperties.GetProperty("email").GetProperty("pattern").GetString());
            Assert.Equal(DesiredStateLoader.BrokerSubAccountIdRegex, accountProperties.GetProperty("brokerSubAccountId").GetProperty("oneOf")[0].GetProperty("pattern").GetString());
            Assert.Equal(DesiredStateLoader.SecretRegex, keyProperties.GetProperty("secret").GetProperty("pattern").GetString());
            Assert.Equal(DesiredStateLoader.SymbolRegex, keyProperties.GetProperty("symbolWhitelist").GetProperty("items").GetProperty("pattern").GetString());
            foreach (JsonElement objectSchema in new[] { root, defs.GetProperty("policy"), defs.GetProperty("account"), defs.GetProperty("key") })
                Assert.False(objectSchema.GetProperty("additionalProperties").GetBoolean());
        }

        private static IEnumerable<string> Names(JsonElement objectSchema) =>
            objectSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name).OrderBy(x => x);
    }
}
