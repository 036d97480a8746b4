/**
 * The stateful-address lock: for each environment, the Terraform addresses of its stateful
 * resources, committed beside the environment files. Those addresses are the keys of Terraform
 * state: when one disappears (an app key, group, region or hostname renamed or removed), Terraform
 * destroys the resource and creates another, and the data on a volume is gone. The lock turns such a
 * change into a reviewed diff of `stateful-addresses.lock.json` instead of an accident.
 */
import { isObject } from "../../util/json-object";

/** Resources whose loss loses data or breaks what users reach: apps, volumes, certificates, DNS records, secrets. */
export const LOCKED_TYPES: readonly string[] = ["fly_app", "fly_volume", "fly_cert", "cloudflare_dns_record", "fly_secret"];

export const LOCK_FILE = "stateful-addresses.lock.json";

export interface StatefulLock {
  /** Environment name → its stateful addresses, sorted. */
  readonly environments: Readonly<Record<string, readonly string[]>>;
}

/** The stateful addresses of one synthesized stack (`cdk.tf.json`), sorted. */
export function statefulAddresses(stackJson: unknown): string[] {
  const resources = isObject(stackJson) && isObject(stackJson.resource) ? stackJson.resource : {};
  return LOCKED_TYPES.flatMap((type) => Object.keys(isObject(resources[type]) ? resources[type] : {}).map((name) => `${type}.${name}`)).sort();
}

export function lockOf(stacks: readonly { readonly name: string; readonly json: unknown }[]): StatefulLock {
  const environments: Record<string, string[]> = {};
  for (const stack of [...stacks].sort((a, b) => a.name.localeCompare(b.name))) environments[stack.name] = statefulAddresses(stack.json);
  return { environments };
}

export function renderLock(lock: StatefulLock): string {
  const comment =
    "Written by `bin/flystack generate`. The stateful Terraform addresses of each environment: a change here means resources are created or destroyed with their data. Review it like a migration.";
  return `${JSON.stringify({ $comment: comment, environments: lock.environments }, null, 2)}\n`;
}

/** Parses a lock file's text; undefined when it is not a lock. */
export function parseLock(text: string): StatefulLock | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(parsed) || !isObject(parsed.environments)) return undefined;
  const environments: Record<string, string[]> = {};
  for (const [name, addresses] of Object.entries(parsed.environments)) {
    if (!Array.isArray(addresses) || !addresses.every((a): a is string => typeof a === "string")) return undefined;
    environments[name] = addresses;
  }
  return { environments };
}

export interface LockDifference {
  readonly environment: string;
  /** In the stacks, not in the lock: resources that would be created. */
  readonly appeared: readonly string[];
  /** In the lock, not in the stacks: resources that would be destroyed. */
  readonly disappeared: readonly string[];
}

/** How the synthesized stacks differ from the committed lock, environment by environment. */
export function compareLock(committed: StatefulLock, current: StatefulLock): LockDifference[] {
  const names = [...new Set([...Object.keys(committed.environments), ...Object.keys(current.environments)])].sort();
  return names
    .map((environment) => {
      const before = new Set(committed.environments[environment] ?? []);
      const after = new Set(current.environments[environment] ?? []);
      return {
        environment,
        appeared: [...after].filter((a) => !before.has(a)),
        disappeared: [...before].filter((a) => !after.has(a)),
      };
    })
    .filter((d) => d.appeared.length > 0 || d.disappeared.length > 0);
}

/** One line per changed address, for the error that tells the user what to review and which command to run. */
export function describeDifferences(differences: readonly LockDifference[]): string[] {
  return differences.flatMap((d) => [
    ...d.disappeared.map((a) => `${d.environment}: ${a} is in ${LOCK_FILE} but no longer synthesized: Terraform would destroy it (and its data)`),
    ...d.appeared.map((a) => `${d.environment}: ${a} is new: Terraform would create it`),
  ]);
}
