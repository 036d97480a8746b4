import * as fs from "node:fs";
import * as path from "node:path";
import { flystack, projectCopy } from "./harness";



const oneApiMachinePerRegion = (text: string) =>
  text
    .replace('regions: ["iad", "lhr"],\n          count: 2,', 'regions: ["iad", "lhr"],\n          count: 1,')
    .replace('healthPath: "/health", minMachinesRunning: 2 })', 'healthPath: "/health", minMachinesRunning: 1 })');

describe("flystack check", () => {
  test("the shipped environments have no findings: exit 0", async () => {
    const dir = projectCopy();
    try {
      const result = await flystack(dir, ["check", "--json"]);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ findings: [], suppressions: [] });
      expect(fs.existsSync(path.join(dir, "cdktf.out"))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("an error finding: listed with rule ID, stack and construct path, exit 1", async () => {
    const dir = projectCopy(oneApiMachinePerRegion);
    try {
      const json = await flystack(dir, ["check", "--json"]);
      expect(json.code).toBe(1);
      const { findings } = JSON.parse(json.stdout) as { findings: { stack: string; ruleId: string; level: string; path: string }[] };
      expect(findings).toEqual([expect.objectContaining({ stack: "production", ruleId: "FLY004", level: "error", path: expect.stringContaining("production/api/group-web") })]);
      const table = await flystack(dir, ["check"]);
      expect(table.stdout).toMatch(/error\s+FLY004\s+production/);
      // Only the named environments are reported.
      expect((await flystack(dir, ["check", "staging"])).code).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a suppression with a reason removes the finding and is listed", async () => {
    const dir = projectCopy((text) =>
      oneApiMachinePerRegion(text).replace(
        'release: { command: ["node", "dist/migrate.js"] },',
        'release: { command: ["node", "dist/migrate.js"] },\n          suppressions: [{ id: "FLY004", reason: "one machine per region while the API is in beta" }],',
      ),
    );
    try {
      const result = await flystack(dir, ["check", "--json"]);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({
        findings: [],
        suppressions: [expect.objectContaining({ stack: "production", ruleId: "FLY004", reason: "one machine per region while the API is in beta" })],
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("flystack preview", () => {
  test("per environment: resources by type, guardrails, monthly cost, diagram; no credentials, no terraform", async () => {
    const dir = projectCopy();
    try {
      const result = await flystack(dir, ["preview"], { env: { PATH: "/usr/bin:/bin", FLY_API_TOKEN: undefined, CLOUDFLARE_API_TOKEN: undefined, AWS_ACCESS_KEY_ID: undefined } });
      expect(result.code).toBe(0);
      for (const env of ["production", "staging"]) {
        expect(result.stdout).toContain(`## ${env}`);
        expect(result.stdout).toContain(`Diagram: docs/diagrams/${env}.md (current)`);
        expect(fs.existsSync(path.join(dir, "cdktf.out", "stacks", env, "cdk.tf.json"))).toBe(true);
      }
      expect(result.stdout).toMatch(/ {3}8 {2}fly_machine/);
      expect(result.stdout).toContain("Monthly cost: $112.68 (details: npx flystack cost production)");
      expect(result.stdout).toContain("Monthly cost: $6.89 – $13.28 (details: npx flystack cost staging)");
      expect(result.stdout).toContain("Guardrails: no findings");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a guardrail error: every finding listed, nothing synthesized, exit 1", async () => {
    const dir = projectCopy(oneApiMachinePerRegion);
    try {
      const result = await flystack(dir, ["preview"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("1 policy error in the synthesized stacks:");
      expect(result.stderr).toContain("Nothing was synthesized.");
      expect(result.stdout).toMatch(/error\s+FLY004/);
      expect(fs.existsSync(path.join(dir, "cdktf.out", "stacks", "production", "cdk.tf.json"))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
