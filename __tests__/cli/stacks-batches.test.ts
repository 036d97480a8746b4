/**
 * `flystack stacks` as the workflows run it, on a git repository holding a copy of this project with
 * test-owned environments: --json batches, --changed-since REF with --base-cache (REF synthesized
 * once and kept; then only the stacks whose inputs changed are synthesized), --artifact (exactly the
 * listed stacks' synthesized output, and REF's), and --save-cache.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { flystack, projectWithEnvironments, writeEnvironmentFile } from "./harness";
import { loopEnvironment, type LoopEnvironment } from "../fixtures/environments";
import { readRecord } from "../../src/features/synth/synthesis-record";
import type { StackBatch } from "../../cli/batches";

jest.setTimeout(180_000);

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync("git", ["-c", "user.name=flystack test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout.trim();
}

/** A per-app environment of three apps, and a one-stack protected one. */
function environments(apiImage = `registry.fly.io/loop-api@sha256:${"4".repeat(64)}`): LoopEnvironment[] {
  const customers = { ...loopEnvironment("customers"), stacks: "per-app" } as LoopEnvironment;
  customers.apps.api.groups.app.image = apiImage;
  return [customers, loopEnvironment("vault", { protected: true })];
}

let project = "";
let base = "";
const run = (args: string[]) => flystack(project, args, { env: { FLYSTACK_ENVIRONMENTS_DIR: undefined, FLYSTACK_LOCAL_STATE_DIR: "/tmp/flystack-unused-state" } });
const read = (file: string) => fs.readFileSync(path.join(project, file), "utf8");

beforeAll(() => {
  project = projectWithEnvironments(environments());
  git(project, "init", "--quiet", "--initial-branch=main");
  git(project, "add", "--all");
  git(project, "commit", "--quiet", "-m", "base");
  base = git(project, "rev-parse", "HEAD");
  // The pull request: one app's image.
  for (const env of environments(`registry.fly.io/loop-api@sha256:${"9".repeat(64)}`)) writeEnvironmentFile(project, env);
});
afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

test("--json: batches in deploy order, the unprotected environment's first, each with its stacks and secrets", async () => {
  const { code, stdout, stderr } = await run(["stacks", "--json", "--max-jobs", "3"]);
  expect(stderr).not.toMatch(/Error|at .*\.ts:\d+/);
  expect(code).toBe(0);
  const batches = JSON.parse(stdout) as StackBatch[];
  expect(batches.map((b) => [b.batch, b.protected, b.stacks])).toEqual([
    ["customers-1", false, ["customers_api", "customers_db"]],
    ["customers-2", false, ["customers_web"]],
    ["vault-1", true, ["vault"]],
  ]);
  const table = await run(["stacks", "--skip-synth", "--max-jobs", "3"]);
  expect(table.stdout).toMatch(/^customers_web\s+customers\s+no\s+customers-2\s+\(none\)$/m);
  const tooFew = await run(["stacks", "--skip-synth", "--json", "--max-jobs", "1"]);
  expect(tooFew.code).toBe(1);
  expect(tooFew.stderr).toContain("the stacks are in 2 environments (customers, vault)");
});

test("--changed-since with --base-cache: REF synthesized once and kept; then only the changed app's stack is synthesized", async () => {
  const first = await run(["stacks", "--json", "--changed-since", base, "--base-cache", ".cache/synth"]);
  expect(first.code).toBe(0);
  expect(first.stderr).toContain("is not in .cache/synth: synthesizing it, and keeping it there");
  expect((JSON.parse(first.stdout) as StackBatch[]).flatMap((b) => b.stacks)).toEqual(["customers_api"]);
  const kept = path.join(project, ".cache", "synth", base, "cdktf.out");
  expect(readRecord(kept)?.commit).toBe(base);

  const second = await run(["stacks", "--json", "--changed-since", base, "--base-cache", ".cache/synth", "--summary-out", "plans"]);
  expect(second.code).toBe(0);
  expect(second.stderr).toContain(`its synthesis from .cache/synth/${base}`);
  expect(second.stderr).not.toContain("synthesizing the base revision");
  // Only customers_api's inputs changed: the other stacks are not even synthesized.
  expect(second.stderr).toContain("3 stack(s) left out, their inputs unchanged since the base revision");
  expect(Object.keys(JSON.parse(read("cdktf.out/manifest.json")).stacks)).toEqual(["customers_api"]);
  expect((JSON.parse(second.stdout) as StackBatch[]).flatMap((b) => b.stacks)).toEqual(["customers_api"]);
  const summary = JSON.parse(read("plans/summary.json")) as { skipped: { stack: string }[] };
  expect(summary.skipped.map((s) => s.stack).sort()).toEqual(["customers_db", "customers_web", "vault"]);
});

test("--artifact: the listed stacks' synthesis and REF's, nothing else", async () => {
  const { code, stderr } = await run(["stacks", "--json", "--changed-since", base, "--base-cache", ".cache/synth", "--artifact", "synthesized"]);
  expect(code).toBe(0);
  expect(stderr).toContain("wrote the synthesized output of 1 stack(s) to synthesized/");
  const files = (dir: string): string[] => {
    const found: string[] = [];
    const walk = (rel: string) => {
      for (const e of fs.readdirSync(path.join(project, dir, rel), { withFileTypes: true })) (e.isDirectory() ? walk(path.join(rel, e.name)) : found.push(path.join(rel, e.name)));
    };
    walk("");
    return found.sort();
  };
  expect(files("synthesized")).toEqual([
    "base.out/flystack-synthesis.json",
    "base.out/manifest.json",
    "base.out/stacks/customers_api/cdk.tf.json",
    "cdktf.out/flystack-synthesis.json",
    "cdktf.out/manifest.json",
    "cdktf.out/stacks/customers_api/cdk.tf.json",
  ]);
  expect(read("synthesized/cdktf.out/stacks/customers_api/cdk.tf.json")).toBe(read("cdktf.out/stacks/customers_api/cdk.tf.json"));
  expect(read("synthesized/cdktf.out/stacks/customers_api/cdk.tf.json")).toContain("9".repeat(64));
  expect(read("synthesized/base.out/stacks/customers_api/cdk.tf.json")).toContain("4".repeat(64));
  const record = readRecord(path.join(project, "synthesized", "cdktf.out"))!;
  expect(Object.keys(record.stacks)).toEqual(["customers_api"]);
  expect(record.id).toBe(readRecord(path.join(project, "cdktf.out"))!.id);
  expect(readRecord(path.join(project, "synthesized", "base.out"))!.commit).toBe(base);
});

test("--save-cache keeps a full synthesis by its commit; a partial one or another commit's is refused", async () => {
  const refused = await run(["stacks", "--changed-since", base, "--save-cache", "keep"]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain("--save-cache keeps a full synthesis: not with --changed-since");
  git(project, "add", "--all");
  git(project, "commit", "--quiet", "-m", "head");
  const head = git(project, "rev-parse", "HEAD");
  const saved = await run(["stacks", "--save-cache", "keep"]);
  expect(saved.code).toBe(0);
  expect(saved.stderr).toContain(`kept this synthesis in keep/${head}/`);
  expect(fs.readdirSync(path.join(project, "keep"))).toEqual([head]);
  expect(Object.keys(JSON.parse(read(`keep/${head}/cdktf.out/manifest.json`)).stacks).sort()).toEqual(["customers_api", "customers_db", "customers_web", "vault"]);
  // The kept synthesis serves a later --changed-since of that commit: nothing is synthesized again.
  const later = await run(["stacks", "--json", "--changed-since", head, "--base-cache", "keep"]);
  expect(later.code).toBe(0);
  expect(later.stdout.trim()).toBe("[]");
  expect(later.stderr).toContain("4 stack(s) left out");
  expect(later.stderr).toContain("0 of 4 stacks changed");
});
