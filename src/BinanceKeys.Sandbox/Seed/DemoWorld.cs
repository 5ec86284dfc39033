namespace BinanceKeys.Sandbox.Seed;

/// <summary>The world the sandbox starts with when no <c>--seed</c> is given (documented in docs/sandbox.md).</summary>
public static class DemoWorld
{
    /// <summary>The demo master key: an HMAC key for sandbox use only, printed in docs/sandbox.md.</summary>
    public const string AdminApiKey = "SandboxDemoAdminApiKeyu8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzdoc";

    /// <summary>Secret of <see cref="AdminApiKey"/>; public on purpose, it unlocks nothing but the sandbox.</summary>
    public const string AdminSecretKey = "SandboxDemoAdminSecretJ2isAjIhKtJ0RlgLKOmxgJTeKdNnFRIBXuDL7DxtpY";

    // The demo is a seed file like any other, loaded by the same code.
    public const string Yaml = $$"""
        master:
          email: master@example.com
          defaultSecurityControls: true
          keys:
            - label: admin
              type: hmac
              apiKey: {{AdminApiKey}}
              secretKey: {{AdminSecretKey}}
              permissions: [spotAndMarginTrading]
              ipWhitelist: [127.0.0.1]
        subAccounts:
          - { email: desk-a@example.com, futuresEnabled: true, marginEnabled: false, keys: [] }
          - { email: desk-b@example.com, futuresEnabled: false, marginEnabled: true, keys: [] }
          - { email: desk-c@example.com, futuresEnabled: false, marginEnabled: false, keys: [] }
        brokerSubAccounts:
          - { subAccountId: "1001", email: broker-1001@example.com, tag: demo, futuresEnabled: true, marginEnabled: true, keys: [] }
        behaviour:
          thirdParties:
            ExamplePartner: [198.51.100.7]
        """;
}
