/**
 * Rows of the plan comment: resources that change the same attributes the same way share one row.
 * A rolling group of ten machines rolling a new image is one row, `api/web: 10 machines`, with the
 * change once and the first machine (the canary) named, in the order the group rolls.
 */
import type { MachineGroup } from "../../config/stack-metadata";
import type { AttributeChange } from "./attribute-changes";
import type { ResourceSummary } from "./summarize";

export interface ChangeRow {
  /** The resources, in the order they change (a group's deploy order, else plan order). */
  readonly addresses: readonly string[];
  readonly type: string;
  readonly actions: readonly string[];
  readonly changes: readonly AttributeChange[];
  readonly hidden_computed: number;
  readonly replace_paths: ResourceSummary["replace_paths"];
  readonly action_reason: string | null;
  /** The process group every resource of the row belongs to, when there is one. */
  readonly group?: MachineGroup;
}

/** Identical changes: the same type, actions, attribute changes, reason and forcing paths. */
function key(resource: ResourceSummary): string {
  return JSON.stringify([resource.type, resource.actions, resource.changes, resource.hidden_computed, resource.replace_paths, resource.action_reason]);
}

/**
 * One row per set of identical changes, at the position of its first resource. Resources without
 * attribute changes (creates, deletes) keep a row each: there is nothing shared to show once.
 */
export function changeRows(resources: readonly ResourceSummary[], groups: readonly MachineGroup[] = []): ChangeRow[] {
  const rows = new Map<string, ResourceSummary[]>();
  let single = 0;
  for (const resource of resources) {
    const k = resource.changes.length === 0 && resource.hidden_computed === 0 ? `single:${(single += 1)}` : key(resource);
    rows.set(k, [...(rows.get(k) ?? []), resource]);
  }
  const groupOf = new Map<string, MachineGroup>();
  for (const group of groups) for (const machine of group.machines) groupOf.set(machine, group);
  return [...rows.values()].map((members) => {
    const first = members[0];
    const group = groupOf.get(first.address);
    const sameGroup = group !== undefined && members.every((m) => groupOf.get(m.address) === group);
    const order = sameGroup ? new Map(group.machines.map((m, i) => [m, i])) : undefined;
    const addresses = members.map((m) => m.address);
    if (order) addresses.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
    return {
      addresses,
      type: first.type,
      actions: first.actions,
      changes: first.changes,
      hidden_computed: first.hidden_computed,
      replace_paths: first.replace_paths,
      action_reason: first.action_reason,
      ...(sameGroup && members.length > 1 ? { group } : {}),
    };
  });
}
