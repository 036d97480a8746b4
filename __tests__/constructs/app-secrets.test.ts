import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { AppSecrets } from "../../constructs/app-secrets";
import { resource, synth } from "./helpers";

describe("AppSecrets", () => {
  const secrets = { DATABASE_URL: { version: "2026-11-01" }, SESSION_SECRET: { version: "7" } };

  test("each secret gets a sensitive, ephemeral, non-nullable variable named <app>_<NAME>", () => {
    const json = synth((scope) => new AppSecrets(scope, "s", { appName: "acme-api", appKey: "api", secrets }));
    expect(Object.keys(json.variable ?? {})).toEqual(["api_DATABASE_URL", "api_SESSION_SECRET"]);
    expect(json.variable?.api_DATABASE_URL).toMatchObject({ type: "string", sensitive: true, ephemeral: true, nullable: false });
  });

  test("fly_secret takes the value write-only from the variable and the rotation version from config", () => {
    const json = synth((scope) => new AppSecrets(scope, "s", { appName: "acme-api", appKey: "api", secrets }));
    expect(resource(json, "fly_secret", "api_DATABASE_URL")).toMatchObject({
      app: "acme-api",
      name: "DATABASE_URL",
      value_wo: "${var.api_DATABASE_URL}",
      value_wo_version: "2026-11-01",
    });
    expect(resource(json, "fly_secret", "api_DATABASE_URL")).not.toHaveProperty("value");
  });

  /** Resolves a token by synthesizing it into an output. */
  function resolved(build: (scope: Construct) => unknown): unknown {
    const json = synth((scope) => {
      new TerraformOutput(scope, "probe", { value: build(scope) }).overrideLogicalId("probe");
    });
    return json.output?.probe.value;
  }

  test("minSecretsVersion is the highest version of several secrets", () => {
    expect(resolved((scope) => new AppSecrets(scope, "s", { appName: "a", appKey: "api", secrets }).minSecretsVersion)).toBe(
      "${max(fly_secret.api_DATABASE_URL.version, fly_secret.api_SESSION_SECRET.version)}",
    );
  });

  test("minSecretsVersion of one secret is its version; of none, undefined", () => {
    expect(resolved((scope) => new AppSecrets(scope, "one", { appName: "a", appKey: "w", secrets: { TOKEN: { version: "1" } } }).minSecretsVersion)).toBe(
      "${fly_secret.w_TOKEN.version}",
    );
    const none = synth((scope) => {
      expect(new AppSecrets(scope, "none", { appName: "b", appKey: "x", secrets: {} }).minSecretsVersion).toBeUndefined();
    });
    expect(none.resource).toBeUndefined();
    expect(none.variable).toBeUndefined();
  });
});
