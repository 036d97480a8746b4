import * as fs from "node:fs";
import * as path from "node:path";
import { readManifest, selectStacks } from "./stacks";

export interface SynthesizedStack {
  /** The stack's name, which is its environment's name. */
  readonly name: string;
  /** The parsed cdk.tf.json. */
  readonly json: unknown;
}

/** The synthesized stacks of `outdir` named by `patterns` (all when empty), parsed. */
export function readSynthesizedStacks(outdir: string, patterns: readonly string[]): SynthesizedStack[] {
  return selectStacks(readManifest(outdir), patterns).map((stack) => ({
    name: stack.name,
    json: JSON.parse(fs.readFileSync(path.join(stack.dir, "cdk.tf.json"), "utf8")) as unknown,
  }));
}
