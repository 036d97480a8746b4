import type { PolicyRule, SynthesizedResource } from "../rule";
import { addressOf, blocksOf, isResourceOf, showReference, stringMap } from "../values";

export const MIN_PRIMARY_MACHINES = 2;
/** The handlers that make a port public web traffic served by Fly Proxy. */
const PUBLIC_HANDLERS = ["http", "tls"];
/** Fly's process group for machines without the `fly_process_group` metadata key. */
const DEFAULT_GROUP = "app";

/**
 * FLY004 · What: in a protected environment, a public process group runs fewer than 2 machines in its primary region.
 * Why: with one machine, every deploy, restart or host failure takes the public service down.
 * The group is the machines sharing `app` and metadata `fly_process_group`; its primary region is
 * the region of its first machine (flystack creates the primary region's machines first). The
 * finding is reported once, on that first machine.
 */
export const fly004: PolicyRule = {
  id: "FLY004",
  level: "error",
  title: "public groups are redundant",
  what: `In a protected environment, a public process group runs fewer than ${MIN_PRIMARY_MACHINES} machines in its primary region.`,
  why: "With one machine, every deploy, restart or host failure takes the public service down.",
  appliesTo: (node) => isResourceOf(node, "fly_machine"),
  check: (node, context) => {
    if (!context.protected || !isResourceOf(node, "fly_machine")) return [];
    const config = context.config(node);
    if (!config) return [];
    const group = groupsOf(context.resources("fly_machine")).get(groupKey(config)) ?? [];
    if (group[0]?.config !== config || !group.some(isPublic)) return [];
    const primary = config.region;
    const inPrimary = group.filter((m) => m.config.region === primary).reduce((n, m) => n + instances(m), 0);
    if (inPrimary >= MIN_PRIMARY_MACHINES) return [];
    return [
      {
        message:
          `public process group "${groupName(config)}" of app ${showReference(config.app)} runs ${inPrimary} machine${inPrimary === 1 ? "" : "s"} ` +
          `in its primary region ${String(primary ?? "(unset)")} (first machine ${addressOf(node)}); run at least ${MIN_PRIMARY_MACHINES} there`,
      },
    ];
  },
};

/**
 * Machines by group, computed once per stack: the resource list is the context's read-only
 * snapshot, so memoizing on it keeps the rule a pure function and linear in the machines.
 */
const groupIndex = new WeakMap<readonly SynthesizedResource[], Map<string, SynthesizedResource[]>>();

function groupsOf(machines: readonly SynthesizedResource[]): Map<string, SynthesizedResource[]> {
  let index = groupIndex.get(machines);
  if (!index) {
    index = new Map();
    for (const machine of machines) {
      const key = groupKey(machine.config);
      const group = index.get(key);
      if (group) group.push(machine);
      else index.set(key, [machine]);
    }
    groupIndex.set(machines, index);
  }
  return index;
}

function groupName(config: SynthesizedResource["config"]): string {
  return stringMap(config.metadata).fly_process_group ?? DEFAULT_GROUP;
}

function groupKey(config: SynthesizedResource["config"]): string {
  return JSON.stringify([config.app, groupName(config)]);
}

function isPublic(machine: SynthesizedResource): boolean {
  return blocksOf(machine.config.service).some((service) =>
    blocksOf(service.port).some((port) => Array.isArray(port.handlers) && port.handlers.some((h) => PUBLIC_HANDLERS.includes(String(h)))),
  );
}

/** A resource with a numeric `count` stands for that many machines. */
function instances(machine: SynthesizedResource): number {
  return typeof machine.config.count === "number" ? machine.config.count : 1;
}
