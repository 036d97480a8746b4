/**
 * flystack diagram and cost, on environments the tests own (never the shipped examples).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { flystack, projectWithEnvironments, writeEnvironmentFile } from "./harness";
import { loopEnvironment } from "../fixtures/environments";
import { estimateEnvironment, toCostJson } from "../../src/features/cost";

const fixtures = () => [loopEnvironment("qa"), loopEnvironment("prod", { protected: true })];

describe("flystack diagram", () => {
  test("writes every environment's page; --check passes, then fails naming a page edited by hand, until rewritten", async () => {
    const copy = projectWithEnvironments(fixtures());
    try {
      const written = await flystack(copy, ["diagram"]);
      expect(written.code).toBe(0);
      expect(written.stdout.trim().split("\n")).toEqual(["docs/diagrams/prod.md", "docs/diagrams/qa.md"]);
      const current = await flystack(copy, ["diagram", "--check"]);
      expect(current.code).toBe(0);
      expect(current.stdout).toContain("diagrams up to date: prod.md, qa.md");

      fs.appendFileSync(path.join(copy, "docs", "diagrams", "qa.md"), "edited by hand\n");
      const stale = await flystack(copy, ["diagram", "--check"]);
      expect(stale.code).toBe(1);
      expect(stale.stderr).toContain("out of date: docs/diagrams/qa.md (run: bin/flystack generate)");
      expect((await flystack(copy, ["diagram"])).code).toBe(0);
      expect((await flystack(copy, ["diagram", "--check"])).code).toBe(0);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe("flystack cost", () => {
  test("--json is the documented contract and equals the estimate of the synthesized stacks", async () => {
    const autostopping = loopEnvironment("qa");
    autostopping.apps.web.groups.web.services![0].autostop = "stop";
    const copy = projectWithEnvironments([autostopping, loopEnvironment("prod", { protected: true })]);
    try {
      const result = await flystack(copy, ["cost", "--json"]);
      expect(result.code).toBe(0);
      const json = JSON.parse(result.stdout) as { currency: string; environments: { name: string; monthly: number; monthly_max: number; items: Record<string, unknown>[] }[] };
      expect(json.currency).toBe("USD");
      expect(json.environments.map((e) => e.name)).toEqual(["prod", "qa"]);
      for (const env of json.environments) {
        expect(Object.keys(env)).toEqual(["name", "monthly", "monthly_max", "items"]);
        for (const item of env.items) expect(Object.keys(item)).toEqual(["address", "type", "monthly", "monthly_max"]);
      }
      // The same numbers as estimating the synthesized stacks directly.
      const out = path.join(copy, "cdktf.out");
      const direct = ["prod", "qa"].map((name) => estimateEnvironment(name, JSON.parse(fs.readFileSync(path.join(out, "stacks", name, "cdk.tf.json"), "utf8"))));
      expect(json).toEqual(toCostJson(direct));
      // Machines that stop when idle give a range; the others a single figure.
      const qa = json.environments.find((e) => e.name === "qa")!;
      expect(qa.monthly).toBeLessThan(qa.monthly_max);
      const prod = json.environments.find((e) => e.name === "prod")!;
      expect(prod.monthly).toBe(prod.monthly_max);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  test("--base shows the change against a git revision, synthesized in a worktree", async () => {
    const repo = projectWithEnvironments([loopEnvironment("qa")]);
    const git = (...args: string[]) => spawnSync("git", args, { cwd: repo, encoding: "utf8" });
    try {
      git("init", "-q");
      git("-c", "user.email=t@t", "-c", "user.name=t", "add", "-A");
      git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "base");
      // Head: the api machine gets 1 GB instead of 256 MB.
      const head = loopEnvironment("qa");
      head.apps.api.groups.app.guest.memoryMb = 1024;
      writeEnvironmentFile(repo, head);
      const result = await flystack(repo, ["cost", "qa", "--base", "HEAD"]);
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
      // shared-cpu-1x 256 MB → 1 GB in iad: 1.945 → 5.695 a month, +3.75 (13.89515 → 17.64515)
      expect(result.stdout).toContain("qa: $13.90 → $17.65 /month (+$3.75)");
      expect(result.stdout).toContain("fly_machine.api_app_iad_1");
      expect(git("worktree", "list").stdout.trim().split("\n")).toHaveLength(1);
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });

  test("a region without a known price is an error naming it, never a silent price", () => {
    const stack = { resource: { fly_machine: { m: { app: "a", region: "zzz", guest: { cpu_kind: "shared", cpus: 1, memory_mb: 256 } } } } };
    expect(() => estimateEnvironment("x", stack)).toThrow(/zzz/);
  });
});
