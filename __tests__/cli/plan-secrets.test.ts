/**
 * Plans and drift checks need no secret values: every ephemeral (secret) variable gets a placeholder
 * that Terraform never stores in a plan, so the environments that plan hold no secret.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ephemeralVariables, PLAN_PLACEHOLDER, placeholderSecrets, planTimeEnvironment } from "../../cli/plan-secrets";
import { describeEachBinary, flystack, realBinaries, TestProject } from "./harness";

describe("plan-time secrets", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-plan-secrets-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(
    path.join(dir, "cdk.tf.json"),
    JSON.stringify({ variable: { api_TOKEN: { type: "string", sensitive: true, ephemeral: true }, region: { type: "string" }, db_PASSWORD: { ephemeral: true } } }),
  );

  test("the ephemeral variables are the secrets; others are not touched", () => {
    expect(ephemeralVariables(dir)).toEqual(["api_TOKEN", "db_PASSWORD"]);
    expect(ephemeralVariables(path.join(dir, "nowhere"))).toEqual([]);
  });

  test("at plan time every secret holds the placeholder, even when the real value is set", () => {
    const env = planTimeEnvironment([dir], { TF_VAR_api_TOKEN: "real-token", TF_VAR_region: "iad", PATH: "/bin" });
    expect(env).toEqual({ TF_VAR_api_TOKEN: PLAN_PLACEHOLDER, TF_VAR_db_PASSWORD: PLAN_PLACEHOLDER, TF_VAR_region: "iad", PATH: "/bin" });
  });

  test("a placeholder where a real value must be is named", () => {
    expect(placeholderSecrets(dir, { TF_VAR_api_TOKEN: PLAN_PLACEHOLDER, TF_VAR_db_PASSWORD: "x" })).toEqual(["TF_VAR_api_TOKEN"]);
    expect(placeholderSecrets(dir, { TF_VAR_api_TOKEN: "a", TF_VAR_db_PASSWORD: "b" })).toEqual([]);
  });
});

describeEachBinary(realBinaries(), "flystack drift against real $name with no secret set", ({ binary }) => {
  test("drift runs without any TF_VAR_* (the secrets' variables get the placeholder)", async () => {
    const project = new TestProject([{ name: "staging", data: { a: "1" }, variables: ["api_DATABASE_URL"] }]);
    try {
      const env = { TERRAFORM_BINARY_NAME: binary, TF_VAR_api_DATABASE_URL: undefined };
      const drift = await flystack(project.dir, ["drift", "--skip-synth", "--json"], { env });
      const result = JSON.parse(drift.stdout) as { stacks: { stack: string; status: string; error?: string }[] };
      // Nothing applied yet: the stack's resource is pending code, and no error about secrets.
      expect(result.stacks).toEqual([expect.objectContaining({ stack: "staging", status: "drift" })]);
      expect(result.stacks[0].error).toBeUndefined();
      expect(drift.code).toBe(2);
    } finally {
      project.cleanup();
    }
  });
});
