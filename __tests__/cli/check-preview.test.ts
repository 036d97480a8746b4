/**
 * flystack check and preview, on environments the tests own (never the shipped examples).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { flystack, projectWithEnvironments } from "./harness";
import { type LoopEnvironment, loopEnvironment } from "../fixtures/environments";

/** A protected environment whose public group runs one machine per region: guardrail FLY004 (an error) fires. */
function oneWebMachinePerRegion(name: string, suppress?: string): LoopEnvironment {
  const env = loopEnvironment(name, { protected: true });
  env.apps.web.groups.web.count = 1;
  if (suppress) env.apps.web.groups.web.suppressions = [{ id: "FLY004", reason: suppress }];
  return env;
}

async function inProject<T>(environments: LoopEnvironment[], body: (dir: string) => Promise<T>): Promise<T> {
  const dir = projectWithEnvironments(environments);
  try {
    return await body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("flystack check", () => {
  test("environments without findings: exit 0, nothing written", () =>
    inProject([loopEnvironment("qa"), loopEnvironment("prod", { protected: true })], async (dir) => {
      const result = await flystack(dir, ["check", "--json"]);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ findings: [], suppressions: [] });
      expect(fs.existsSync(path.join(dir, "cdktf.out"))).toBe(false);
    }));

  test("an error finding: listed with rule ID, stack and construct path, exit 1; only named environments are reported", () =>
    inProject([oneWebMachinePerRegion("prod"), loopEnvironment("qa")], async (dir) => {
      const json = await flystack(dir, ["check", "--json"]);
      expect(json.code).toBe(1);
      const { findings } = JSON.parse(json.stdout) as { findings: { stack: string; ruleId: string; level: string; path: string }[] };
      expect(findings).toEqual([expect.objectContaining({ stack: "prod", ruleId: "FLY004", level: "error", path: expect.stringContaining("prod/web/group-web") })]);
      const table = await flystack(dir, ["check"]);
      expect(table.stdout).toMatch(/error\s+FLY004\s+prod/);
      expect((await flystack(dir, ["check", "qa"])).code).toBe(0);
    }));

  test("a suppression with a reason removes the finding and is listed", () =>
    inProject([oneWebMachinePerRegion("prod", "one machine per region while the API is in beta")], async (dir) => {
      const result = await flystack(dir, ["check", "--json"]);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({
        findings: [],
        suppressions: [expect.objectContaining({ stack: "prod", ruleId: "FLY004", reason: "one machine per region while the API is in beta" })],
      });
    }));
});

describe("flystack preview", () => {
  test("per environment: resources by type, guardrails, monthly cost, diagram; no credentials, no terraform", () =>
    inProject([loopEnvironment("qa"), loopEnvironment("prod", { protected: true })], async (dir) => {
      const result = await flystack(dir, ["preview"], { env: { PATH: "/usr/bin:/bin", FLY_API_TOKEN: undefined, CLOUDFLARE_API_TOKEN: undefined, AWS_ACCESS_KEY_ID: undefined } });
      expect(result.code).toBe(0);
      for (const env of ["prod", "qa"]) {
        expect(result.stdout).toContain(`## ${env}`);
        // The fixture project has no diagrams yet: preview says which command writes them.
        expect(result.stdout).toContain(`Diagram: docs/diagrams/${env}.md (out of date: run bin/flystack generate)`);
        expect(fs.existsSync(path.join(dir, "cdktf.out", "stacks", env, "cdk.tf.json"))).toBe(true);
        // 4 web + 1 db + 1 api machines; the cost worked out in __tests__/cost/shipped-environments.test.ts.
        expect(result.stdout).toContain(`Monthly cost: $13.90 (details: bin/flystack cost ${env})`);
      }
      expect(result.stdout).toMatch(/ {4}6 {2}fly_machine/);
      expect(result.stdout).toContain("Guardrails: no findings");
      expect((await flystack(dir, ["generate"])).code).toBe(0);
      expect((await flystack(dir, ["preview"])).stdout).toContain("Diagram: docs/diagrams/qa.md (current)");
    }));

  test("a guardrail error: every finding listed, nothing synthesized, exit 1", () =>
    inProject([oneWebMachinePerRegion("prod")], async (dir) => {
      const result = await flystack(dir, ["preview"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("1 policy error in the synthesized stacks:");
      expect(result.stderr).toContain("Nothing was synthesized.");
      expect(result.stdout).toMatch(/error\s+FLY004/);
      expect(fs.existsSync(path.join(dir, "cdktf.out", "stacks", "prod", "cdk.tf.json"))).toBe(false);
    }));
});
