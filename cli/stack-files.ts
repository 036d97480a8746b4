import * as fs from "node:fs";
import * as path from "node:path";
import { type FlystackStackMetadata, readStackMetadata } from "../src/config/stack-metadata";
import { isObject } from "../src/util/json-object";

export interface StackFile {
  /** flystack's record of the stack's environment; undefined for stacks flystack did not make. */
  readonly metadata?: FlystackStackMetadata;
  /** Variables without a default, which must come from TF_VAR_<name>. */
  readonly requiredVariables: readonly string[];
}

/** Reads what the tooling needs from a synthesized stack (`<dir>/cdk.tf.json`). */
export function readStackFile(dir: string): StackFile {
  const file = path.join(dir, "cdk.tf.json");
  if (!fs.existsSync(file)) return { requiredVariables: [] };
  const json: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
  const variables = isObject(json) ? json.variable : undefined;
  const required = isObject(variables)
    ? Object.entries(variables)
        .filter(([, v]) => !isObject(v) || !("default" in v))
        .map(([name]) => name)
        .sort()
    : [];
  return { metadata: readStackMetadata(json), requiredVariables: required };
}

/**
 * The TF_VAR_* variables a stack needs that the environment does not set. Empty counts as unset:
 * a CI secret that does not exist arrives as "", and applying it would blank a live Fly secret.
 */
export function missingVariables(stack: StackFile, env: Readonly<Record<string, string | undefined>>): string[] {
  return stack.requiredVariables.filter((name) => !env[`TF_VAR_${name}`]).map((name) => `TF_VAR_${name}`);
}
