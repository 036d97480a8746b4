/**
 * synthesizeSources in batches (what main.ts and the CLI run when a run has more stacks than
 * STACKS_PER_BATCH): the same files as one App writes, one manifest listing every stack, and a
 * guardrail error in any batch still writes nothing and lists the findings of every batch.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { synthesizeSources } from "../../main";
import { loopEnvironment } from "../fixtures/environments";
import type { EnvironmentConfig } from "../../src/config/types";

const perApp = (): EnvironmentConfig => ({ ...loopEnvironment("batch"), stacks: "per-app" });

function synth(env: EnvironmentConfig, batchSize: number): { dir: string; report: ReturnType<typeof synthesizeSources>["report"] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-batches-"));
  const outdir = path.join(dir, "cdktf.out");
  const { report } = synthesizeSources([{ name: env.name, value: env }], { outdir, batchSize, state: { backend: "local" } });
  return { dir: outdir, report };
}

const files = (outdir: string) => new Map(fs.readdirSync(path.join(outdir, "stacks")).sort().map((n) => [n, fs.readFileSync(path.join(outdir, "stacks", n, "cdk.tf.json"), "utf8")]));

test("batches of one stack write the same stacks as one App, and one manifest listing them all", () => {
  const one = synth(perApp(), 100);
  const batched = synth(perApp(), 1);
  try {
    expect(files(batched.dir)).toEqual(files(one.dir));
    const manifest = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")) as { version: string; stacks: Record<string, unknown> };
    expect(manifest(batched.dir)).toEqual(manifest(one.dir));
    expect(Object.keys(manifest(batched.dir).stacks).sort()).toEqual(["batch_api", "batch_db", "batch_web"]);
    expect(fs.readdirSync(path.dirname(batched.dir)).filter((n) => n.startsWith(".flystack-synth-"))).toEqual([]);
  } finally {
    fs.rmSync(path.dirname(one.dir), { recursive: true, force: true });
    fs.rmSync(path.dirname(batched.dir), { recursive: true, force: true });
  }
});

test("a guardrail error in a later batch: nothing written, the findings of every batch reported", () => {
  const env = perApp();
  // In a protected environment a public group on one machine is a guardrail error (FLY004): only the last batch (web).
  const broken: EnvironmentConfig = { ...env, protected: true, apps: { ...env.apps, web: { ...env.apps.web, groups: { web: { ...env.apps.web.groups.web, regions: ["iad"], count: 1 } } } } };
  const clean = synth(perApp(), 1);
  const result = synth(broken, 1);
  try {
    expect(clean.report.findings.filter((f) => f.level === "error")).toEqual([]);
    const errors = result.report.findings.filter((f) => f.level === "error");
    expect(errors.map((f) => [f.stack, f.ruleId])).toEqual([["batch_web", "FLY004"]]);
    expect(fs.existsSync(path.join(result.dir, "stacks"))).toBe(false);
    expect(fs.existsSync(path.join(result.dir, "manifest.json"))).toBe(false);
    expect(new Set(result.report.findings.map((f) => f.stack))).toEqual(new Set(clean.report.findings.map((f) => f.stack).concat(errors.map((f) => f.stack))));
  } finally {
    fs.rmSync(path.dirname(clean.dir), { recursive: true, force: true });
    fs.rmSync(path.dirname(result.dir), { recursive: true, force: true });
  }
});
