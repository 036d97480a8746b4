/**
 * cdktf.out/flystack-synthesis.json: what a synthesis was. Written beside manifest.json by every
 * synthesis (main.ts), it names the code that ran (./code-fingerprint.ts), each stack's inputs
 * (./stack-inputs.ts) and, for each stack written, the sha256 of its cdk.tf.json. The CLI adds the
 * git commit synthesized.
 *
 * It serves three purposes. A later synthesis compares its inputs with a base revision's record and
 * synthesizes only the stacks whose inputs differ. `flystack plan --skip-synth` checks that each
 * stack's cdk.tf.json is still the one synthesized (and at the commit checked out) and stamps the
 * plan with the synthesis it came from, which `flystack apply` checks again.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { isObject } from "../../util/json-object";
import { canonicalJson } from "./stack-inputs";

export const SYNTHESIS_RECORD_FILE = "flystack-synthesis.json";

export interface StackRecord {
  /** Digest of what the stack's synthesis reads (stackInputDigest). */
  readonly inputs: string;
  /** sha256 of its cdk.tf.json as written; absent for a stack this synthesis did not write (its inputs were unchanged). */
  readonly output?: string;
}

export interface SynthesisRecord {
  readonly format: 1;
  /** This synthesis: a digest of its code, commit and every stack's inputs; kept when the record is cut down to some stacks. */
  readonly id: string;
  /** The code fingerprint. */
  readonly code: string;
  /** The git commit synthesized, when the CLI knew it. */
  readonly commit?: string;
  /** Every stack of the synthesized environments, by name. */
  readonly stacks: Readonly<Record<string, StackRecord>>;
}

export class SynthesisRecordError extends Error {}

/** sha256 (hex) of a file's bytes. */
export function fileDigest(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file, "latin1"), "latin1").digest("hex");
}

/** The record's id: its code, commit and each stack's inputs (not which stacks were written). */
export function recordId(code: string, commit: string | undefined, stacks: Readonly<Record<string, StackRecord>>): string {
  return createHash("sha256")
    .update(canonicalJson({ code, commit: commit ?? null, inputs: Object.fromEntries(Object.entries(stacks).map(([name, s]) => [name, s.inputs])) }))
    .digest("hex");
}

export function buildRecord(code: string, stacks: Readonly<Record<string, StackRecord>>, commit?: string): SynthesisRecord {
  return { format: 1, id: recordId(code, commit, stacks), code, ...(commit === undefined ? {} : { commit }), stacks };
}

export function writeRecord(outdir: string, record: SynthesisRecord): void {
  fs.writeFileSync(path.join(outdir, SYNTHESIS_RECORD_FILE), `${JSON.stringify(record, null, 1)}\n`);
}

/** The record in `outdir`, or undefined when it has none (synthesized by an older flystack, or not by flystack). */
export function readRecord(outdir: string): SynthesisRecord | undefined {
  const file = path.join(outdir, SYNTHESIS_RECORD_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new SynthesisRecordError(`${file} is not readable JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isObject(raw) || raw.format !== 1 || typeof raw.id !== "string" || typeof raw.code !== "string" || !isObject(raw.stacks) || (raw.commit !== undefined && typeof raw.commit !== "string")) {
    throw new SynthesisRecordError(`${file} is not a flystack synthesis record (format 1): synthesize again`);
  }
  const stacks: Record<string, StackRecord> = {};
  for (const [name, value] of Object.entries(raw.stacks)) {
    if (!isObject(value) || typeof value.inputs !== "string" || (value.output !== undefined && typeof value.output !== "string")) {
      throw new SynthesisRecordError(`${file}: stack "${name}" has no inputs digest: synthesize again`);
    }
    stacks[name] = { inputs: value.inputs, ...(value.output === undefined ? {} : { output: value.output }) };
  }
  return { format: 1, id: raw.id, code: raw.code, ...(raw.commit === undefined ? {} : { commit: raw.commit as string }), stacks };
}

/** Whether every stack of the record was written (a full synthesis, fit to serve as a base). */
export function isComplete(record: SynthesisRecord): boolean {
  return Object.values(record.stacks).every((s) => s.output !== undefined);
}

/** The record with the commit set (the id changes with it). */
export function withCommit(record: SynthesisRecord, commit: string): SynthesisRecord {
  return buildRecord(record.code, record.stacks, commit);
}

/** The record cut down to `names` (the id stays: it is the same synthesis). */
export function onlyStacks(record: SynthesisRecord, names: Iterable<string>): SynthesisRecord {
  const keep = new Set(names);
  return { ...record, stacks: Object.fromEntries(Object.entries(record.stacks).filter(([name]) => keep.has(name))) };
}
