/**
 * The synthesized output a workflow passes from the job that synthesizes to the jobs that plan:
 * DIR/cdktf.out with only the stacks listed (their folders, a manifest.json listing them, the
 * synthesis record cut down to them) and, when the stacks were compared with a base revision,
 * DIR/base.out with that revision's synthesis of the same stacks (for the cost change).
 *
 * Only what synthesis wrote goes in: cdk.tf.json and its folder, never .terraform/, a plan, a stamp
 * or state. Synthesis runs without credentials and the secrets are Terraform variables, so the
 * artifact holds nothing the repository does not.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { CliContext } from "./command";
import type { SynthesizedRevision } from "./base-revision";
import { onlyStacks, readRecord, SYNTHESIS_RECORD_FILE, writeRecord } from "../src/features/synth/synthesis-record";
import { readManifest } from "./stacks";
import { STAMP_FILE } from "./plan-file";
import { isObject } from "../src/util/json-object";

/** What never travels: Terraform's working data and flystack's plan stamp. */
const NOT_SYNTHESIS = new Set([".terraform", ".terraform.lock.hcl", STAMP_FILE]);

/** Writes DIR (emptied first) as above; returns DIR. */
export function writeSynthesizedArtifact(ctx: CliContext, dir: string, stacks: readonly string[], base?: SynthesizedRevision): string {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  copyStacks(path.join(ctx.cwd, "cdktf.out"), path.join(dir, "cdktf.out"), stacks);
  if (base) copyStacks(base.outdir, path.join(dir, "base.out"), stacks);
  return dir;
}

/** The stacks of `from` named in `names` (those it has) into `to`, with a manifest and record of them only. */
function copyStacks(from: string, to: string, names: readonly string[]): void {
  const wanted = new Set(names);
  const present = readManifest(from).filter((s) => wanted.has(s.name));
  fs.mkdirSync(path.join(to, "stacks"), { recursive: true });
  for (const stack of present) {
    fs.cpSync(stack.dir, path.join(to, "stacks", stack.name), { recursive: true, filter: (src) => !NOT_SYNTHESIS.has(path.basename(src)) });
  }
  const manifest: unknown = JSON.parse(fs.readFileSync(path.join(from, "manifest.json"), "utf8"));
  const entries = isObject(manifest) && isObject(manifest.stacks) ? manifest.stacks : {};
  const kept = Object.fromEntries(Object.entries(entries).filter(([name]) => wanted.has(name)));
  fs.writeFileSync(path.join(to, "manifest.json"), `${JSON.stringify({ ...(isObject(manifest) ? manifest : {}), stacks: kept }, null, 2)}\n`);
  const record = readRecord(from);
  if (record) writeRecord(to, onlyStacks(record, present.map((s) => s.name)));
  else fs.rmSync(path.join(to, SYNTHESIS_RECORD_FILE), { force: true });
}
