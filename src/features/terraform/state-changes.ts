/**
 * What an apply did, as Terraform's state records it: the state before and after, compared by
 * resource address. It is the truth after a failure or an interruption too, where the exit code only
 * says that something went wrong.
 */
import { isObject } from "../../util/json-object";

/** A resource instance in the state: its type and id (a new id at the same address is a replacement). */
export interface StateResource {
  readonly address: string;
  readonly id: string | undefined;
  /** Its values, compared to tell a change; never shown. */
  readonly fingerprint: string;
}

export interface StateChanges {
  readonly created: readonly string[];
  readonly changed: readonly string[];
  readonly replaced: readonly string[];
  readonly destroyed: readonly string[];
}

/** The managed resources of `terraform show -json` (state form), by address; an empty state has none. */
export function stateResources(showJson: string): Map<string, StateResource> {
  const out = new Map<string, StateResource>();
  const text = showJson.trim();
  if (text === "") return out;
  const root: unknown = JSON.parse(text);
  const values = isObject(root) ? root.values : undefined;
  const walk = (module: unknown, depth: number): void => {
    if (!isObject(module) || depth > 64) return;
    const resources = module.resources;
    if (Array.isArray(resources)) {
      for (const resource of resources) {
        if (!isObject(resource) || resource.mode !== "managed" || typeof resource.address !== "string") continue;
        const v = isObject(resource.values) ? resource.values : {};
        out.set(resource.address, { address: resource.address, id: typeof v.id === "string" ? v.id : undefined, fingerprint: JSON.stringify(v) });
      }
    }
    const children = module.child_modules;
    if (Array.isArray(children)) for (const child of children) walk(child, depth + 1);
  };
  if (isObject(values)) walk(values.root_module, 0);
  return out;
}

export function stateChanges(before: ReadonlyMap<string, StateResource>, after: ReadonlyMap<string, StateResource>): StateChanges {
  const created: string[] = [];
  const changed: string[] = [];
  const replaced: string[] = [];
  const destroyed: string[] = [];
  for (const [address, now] of after) {
    const was = before.get(address);
    if (!was) created.push(address);
    else if (was.id !== undefined && now.id !== undefined && was.id !== now.id) replaced.push(address);
    else if (was.fingerprint !== now.fingerprint) changed.push(address);
  }
  for (const address of before.keys()) if (!after.has(address)) destroyed.push(address);
  const sorted = (list: string[]) => list.sort();
  return { created: sorted(created), changed: sorted(changed), replaced: sorted(replaced), destroyed: sorted(destroyed) };
}

export function hasChanges(changes: StateChanges): boolean {
  return changes.created.length + changes.changed.length + changes.replaced.length + changes.destroyed.length > 0;
}
