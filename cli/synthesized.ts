import * as fs from "node:fs";
import * as path from "node:path";
import { readManifest, selectStacks } from "./stacks";
import { isObject } from "../src/util/json-object";
import { environmentOfStack } from "../stacks/stack-names";

export interface SynthesizedStack {
  /** The stack's name: its environment's, or `<environment>_<app>` for a per-app stack. */
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

/**
 * One entry per environment, named after it: an environment's per-app stacks with their resources
 * merged (each app's addresses are its own), for what is judged per environment (cost, diagrams).
 */
export function byEnvironment(stacks: readonly SynthesizedStack[]): SynthesizedStack[] {
  const groups = new Map<string, SynthesizedStack[]>();
  for (const stack of stacks) groups.set(environmentOfStack(stack.name), [...(groups.get(environmentOfStack(stack.name)) ?? []), stack]);
  return [...groups].map(([name, group]) => ({ name, json: group.length === 1 ? group[0].json : mergeResources(group.map((s) => s.json)) }));
}

function mergeResources(jsons: readonly unknown[]): unknown {
  const resource: Record<string, Record<string, unknown>> = {};
  for (const json of jsons) {
    const own = isObject(json) && isObject(json.resource) ? json.resource : {};
    for (const [type, byName] of Object.entries(own)) if (isObject(byName)) Object.assign((resource[type] ??= {}), byName);
  }
  return { resource };
}
