import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { flystack, projectCopy } from "./harness";
import { estimateEnvironment, toCostJson } from "../../src/cost";



describe("flystack diagram", () => {
  test("docs/diagrams holds the current diagram of every shipped environment (run `npx flystack diagram` after a change)", async () => {
    const copy = projectCopy();
    try {
      const result = await flystack(copy, ["diagram", "--check"]);
      expect(result.stderr).not.toContain("out of date");
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("diagrams up to date: production.md, staging.md");
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  test("--check fails and names the page when a diagram is stale; without --check the page is rewritten", async () => {
    const copy = projectCopy();
    try {
      fs.appendFileSync(path.join(copy, "docs", "diagrams", "staging.md"), "edited by hand\n");
      const stale = await flystack(copy, ["diagram", "--check"]);
      expect(stale.code).toBe(1);
      expect(stale.stderr).toContain("out of date: docs/diagrams/staging.md (run: npx flystack diagram)");
      expect((await flystack(copy, ["diagram"])).code).toBe(0);
      expect((await flystack(copy, ["diagram", "--check"])).code).toBe(0);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe("flystack cost", () => {
  test("--json is the documented contract and equals the estimate of the synthesized stacks", async () => {
    const copy = projectCopy();
    try {
      const result = await flystack(copy, ["cost", "--json"]);
      expect(result.code).toBe(0);
      const json = JSON.parse(result.stdout) as { currency: string; environments: { name: string; monthly: number; monthly_max: number; items: Record<string, unknown>[] }[] };
      expect(json.currency).toBe("USD");
      expect(json.environments.map((e) => e.name)).toEqual(["production", "staging"]);
      for (const env of json.environments) {
        expect(Object.keys(env)).toEqual(["name", "monthly", "monthly_max", "items"]);
        for (const item of env.items) expect(Object.keys(item)).toEqual(["address", "type", "monthly", "monthly_max"]);
      }
      // The same numbers as estimating the synthesized stacks directly.
      const out = path.join(copy, "cdktf.out");
      const direct = ["production", "staging"].map((name) => estimateEnvironment(name, JSON.parse(fs.readFileSync(path.join(out, "stacks", name, "cdk.tf.json"), "utf8"))));
      expect(json).toEqual(toCostJson(direct));
      expect(json.environments.find((e) => e.name === "staging")!.monthly).toBeLessThan(json.environments.find((e) => e.name === "staging")!.monthly_max);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  test("--base shows the change against a git revision, synthesized in a worktree", async () => {
    const repo = projectCopy();
    const git = (...args: string[]) => spawnSync("git", args, { cwd: repo, encoding: "utf8" });
    try {
      git("init", "-q");
      git("-c", "user.email=t@t", "-c", "user.name=t", "add", "-A");
      git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "base");
      // Head: staging's worker gets 1 GB instead of 256 MB.
      const file = path.join(repo, "environments", "staging.ts");
      fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace('guest: { cpuKind: "shared", cpus: 1, memoryMb: 256 }', 'guest: { cpuKind: "shared", cpus: 1, memoryMb: 1024 }'));
      const result = await flystack(repo, ["cost", "staging", "--base", "HEAD"]);
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
      // shared-cpu-1x 256 MB → 1 GB in iad: 1.945 → 5.695 a month at full precision, +3.75 (shown rounded: $1.94 → $5.70)
      expect(result.stdout).toContain("staging: $6.89 – $13.28 → $10.64 – $17.03 /month (+$3.75)");
      expect(result.stdout).toContain("fly_machine.worker_worker_iad_1");
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
