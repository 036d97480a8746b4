/**
 * Plans need no secret values. flystack's secrets are ephemeral variables feeding write-only
 * attributes: Terraform never stores their values in a plan file, and uses them only when applying.
 * So `flystack plan` and `drift` give every ephemeral variable a placeholder, whatever the environment
 * holds: a plan step never reads a real secret, and the GitHub environments that plan (reachable from
 * pull requests) hold none. `flystack apply` requires the real values and refuses the placeholder.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isObject } from "../src/util/json-object";

/** What an ephemeral secret variable holds while planning; never a value Fly should receive. */
export const PLAN_PLACEHOLDER = "flystack-plan-placeholder-not-a-secret";

/** The ephemeral variables (secrets) a synthesized stack declares, sorted. */
export function ephemeralVariables(stackDir: string): string[] {
  const file = path.join(stackDir, "cdk.tf.json");
  if (!fs.existsSync(file)) return [];
  const json: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
  const variables = isObject(json) && isObject(json.variable) ? json.variable : {};
  return Object.entries(variables)
    .filter(([, v]) => isObject(v) && v.ephemeral === true)
    .map(([name]) => name)
    .sort();
}

/** `env` with every ephemeral variable of the stacks set to the placeholder (real values dropped). */
export function planTimeEnvironment(stackDirs: readonly string[], env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const placeholders = Object.fromEntries(stackDirs.flatMap(ephemeralVariables).map((name) => [`TF_VAR_${name}`, PLAN_PLACEHOLDER]));
  return { ...env, ...placeholders };
}

/** The TF_VAR_* of a stack's ephemeral variables that hold the plan placeholder: applying them would blank a secret. */
export function placeholderSecrets(stackDir: string, env: Readonly<Record<string, string | undefined>>): string[] {
  return ephemeralVariables(stackDir)
    .map((name) => `TF_VAR_${name}`)
    .filter((variable) => env[variable] === PLAN_PLACEHOLDER);
}
