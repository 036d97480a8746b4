/**
 * Incremental synthesis (main.ts `unchangedSince`, src/features/synth/stack-inputs.ts): given a base
 * synthesis record, only the stacks whose inputs changed are written, and each of them is byte for
 * byte what a full synthesis writes; every stack left out is one a full synthesis writes exactly as
 * the base did. Checked over the kinds of change a per-app repository sees.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { synthesizeSources } from "../../main";
import { loopEnvironment } from "../fixtures/environments";
import type { EnvironmentConfig } from "../../src/config/types";
import { readRecord, type SynthesisRecord } from "../../src/features/synth/synthesis-record";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-incremental-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const monitoring = {
  name: "loop-monitoring",
  region: "iad",
  prometheusTokenVersion: "1",
  receivers: { page: { kind: "pagerduty", version: "1" } },
} as unknown as NonNullable<EnvironmentConfig["monitoring"]>;

function perApp(name = "inc"): EnvironmentConfig {
  return { ...loopEnvironment(name), stacks: "per-app", monitoring };
}

let count = 0;
function synth(environments: readonly EnvironmentConfig[], unchangedSince?: SynthesisRecord) {
  const outdir = path.join(work, `out-${count++}`);
  const result = synthesizeSources(
    environments.map((value) => ({ name: value.name, value })),
    { outdir, state: { backend: "local" }, unchangedSince },
  );
  expect(result.report.findings.filter((f) => f.level === "error")).toEqual([]);
  const record = readRecord(outdir);
  if (!record) throw new Error("no synthesis record written");
  return { outdir, record, unchanged: [...result.unchanged].sort() };
}

const manifestStacks = (outdir: string) => Object.keys((JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as { stacks: object }).stacks).sort();
const stackText = (outdir: string, stack: string) => fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8");

const base = perApp();
const withApps = (apps: EnvironmentConfig["apps"]): EnvironmentConfig => ({ ...base, apps });

const cases: [string, EnvironmentConfig[], string[]][] = [
  // [what changed, the head environments, the stacks an incremental synthesis must write]
  ["one app's image", [withApps({ ...base.apps, api: { ...base.apps.api, groups: { app: { ...base.apps.api.groups.app, image: `registry.fly.io/loop-api@sha256:${"9".repeat(64)}` } } } })], ["inc_api", "inc_monitoring"]],
  ["one app's secret version", [withApps({ ...base.apps, api: { ...base.apps.api, secrets: { ...base.apps.api.secrets, SESSION_SECRET: { version: "2026-12-01" } } } })], ["inc_api", "inc_monitoring"]],
  ["an app added", [withApps({ ...base.apps, extra: { ...base.apps.api, name: "loop-extra-inc" } })], ["inc_extra", "inc_monitoring"]],
  ["an app removed", [withApps(Object.fromEntries(Object.entries(base.apps).filter(([key]) => key !== "db")))], ["inc_monitoring"]],
  ["a setting of the environment", [{ ...base, fly: { org: "other-org" } }], ["inc_api", "inc_db", "inc_monitoring", "inc_web"]],
  ["the monitoring app", [{ ...base, monitoring: { ...monitoring, region: "lhr" } }], ["inc_api", "inc_db", "inc_monitoring", "inc_web"]],
  ["nothing", [perApp()], []],
  ["another environment added", [perApp(), { ...loopEnvironment("solo") }], ["solo"]],
];

const full = synth([base]);

test.each(cases)("%s: only the changed stacks are written, each as a full synthesis writes it", (_what, head, expected) => {
  const incremental = synth(head, full.record);
  const reference = synth(head);
  expect(manifestStacks(incremental.outdir)).toEqual(expected);
  for (const stack of expected) expect(stackText(incremental.outdir, stack)).toBe(stackText(reference.outdir, stack));
  // Every stack left out is written by a full synthesis exactly as by the base's.
  const all = manifestStacks(reference.outdir);
  expect(incremental.unchanged).toEqual(all.filter((s) => !expected.includes(s)));
  for (const stack of incremental.unchanged) expect(stackText(reference.outdir, stack)).toBe(stackText(full.outdir, stack));
  // The record lists every stack with its inputs, and an output digest for those written only.
  expect(Object.keys(incremental.record.stacks).sort()).toEqual(all);
  expect(Object.entries(incremental.record.stacks).filter(([, s]) => s.output !== undefined).map(([name]) => name).sort()).toEqual(expected);
  for (const [name, s] of Object.entries(incremental.record.stacks)) expect(s.inputs).toBe(reference.record.stacks[name].inputs);
});

test("a record made under other code reuses nothing", () => {
  const foreign: SynthesisRecord = { ...full.record, code: "0".repeat(64) };
  const again = synth([base], foreign);
  expect(again.unchanged).toEqual([]);
  expect(manifestStacks(again.outdir)).toEqual(manifestStacks(full.outdir));
});

test("a full synthesis records the sha256 of each cdk.tf.json it wrote, under one id", () => {
  const { createHash } = jest.requireActual<typeof import("node:crypto")>("node:crypto");
  for (const stack of manifestStacks(full.outdir)) {
    expect(full.record.stacks[stack].output).toBe(createHash("sha256").update(stackText(full.outdir, stack)).digest("hex"));
  }
  expect(full.record.id).toMatch(/^[0-9a-f]{64}$/);
  // The same synthesis twice: the same id.
  expect(synth([base]).record.id).toBe(full.record.id);
});
