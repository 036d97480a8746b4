/**
 * Splits one stack's Terraform state (format 4, as `terraform state pull` prints it) into one state
 * per target stack, each taking the resources and outputs its configuration declares. Pure: no file,
 * no Terraform. Every resource of the source must land in exactly one target (a leftover would be
 * orphaned: forgotten by Terraform while it still runs on Fly), so leftovers are reported and the
 * caller writes nothing.
 */
import { randomUUID } from "node:crypto";
import { isObject } from "../../util/json-object";

export interface TerraformState {
  readonly version: number;
  readonly terraform_version?: string;
  readonly serial?: number;
  readonly lineage?: string;
  readonly outputs?: Record<string, unknown>;
  readonly resources?: readonly StateResource[];
  readonly check_results?: unknown;
}

export interface StateResource {
  readonly mode: string;
  readonly type: string;
  readonly name: string;
  readonly module?: string;
  readonly [key: string]: unknown;
}

export interface SplitTarget {
  readonly stack: string;
  /** `type.name` of every resource its cdk.tf.json declares. */
  readonly addresses: ReadonlySet<string>;
  readonly outputs: ReadonlySet<string>;
}

export interface SplitResult {
  readonly states: ReadonlyMap<string, TerraformState>;
  /** Addresses of the source no target declares. */
  readonly leftovers: readonly string[];
  /** Addresses two targets declare. */
  readonly claimedTwice: readonly string[];
}

export class StateFileError extends Error {}

/** Parses `terraform state pull` output, refusing what is not a format-4 state. */
export function parseState(text: string, where: string): TerraformState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new StateFileError(`${where} is not JSON: expected the output of "terraform state pull"`);
  }
  if (!isObject(parsed) || parsed.version !== 4 || !Array.isArray(parsed.resources))
    throw new StateFileError(`${where} is not a Terraform state of format version 4 (with a "resources" list)`);
  return parsed as unknown as TerraformState;
}

const addressOf = (r: StateResource) => `${r.module ? `${r.module}.` : ""}${r.mode === "data" ? "data." : ""}${r.type}.${r.name}`;

/** The addresses and outputs a synthesized stack declares (cdk.tf.json). */
export function targetOf(stack: string, json: unknown): SplitTarget {
  const resource = isObject(json) && isObject(json.resource) ? json.resource : {};
  const output = isObject(json) && isObject(json.output) ? json.output : {};
  const addresses = new Set(Object.entries(resource).flatMap(([type, byName]) => (isObject(byName) ? Object.keys(byName).map((name) => `${type}.${name}`) : [])));
  return { stack, addresses, outputs: new Set(Object.keys(output)) };
}

export function splitState(source: TerraformState, targets: readonly SplitTarget[]): SplitResult {
  const owner = new Map<string, string>();
  const claimedTwice: string[] = [];
  for (const t of targets)
    for (const a of t.addresses) {
      if (owner.has(a)) claimedTwice.push(a);
      owner.set(a, t.stack);
    }
  const byStack = new Map<string, StateResource[]>(targets.map((t) => [t.stack, []]));
  const leftovers: string[] = [];
  for (const r of source.resources ?? []) {
    const stack = r.mode === "managed" && !r.module ? owner.get(addressOf(r)) : undefined;
    if (stack) byStack.get(stack)!.push(r);
    else leftovers.push(addressOf(r));
  }
  const states = new Map<string, TerraformState>();
  for (const t of targets) {
    const outputs = Object.fromEntries(Object.entries(source.outputs ?? {}).filter(([name]) => t.outputs.has(name)));
    // A new lineage: each state starts its own history; serial 1 so any later write supersedes it.
    states.set(t.stack, { version: 4, terraform_version: source.terraform_version, serial: 1, lineage: randomUUID(), outputs, resources: byStack.get(t.stack)!, check_results: null });
  }
  return { states, leftovers, claimedTwice };
}
