/**
 * Apps, their process groups and volumes, from `fly_app`, `fly_machine`, `fly_volume`, `fly_ip`
 * and the release hooks (`null_resource`) machines wait for.
 */
import { appResolver } from "./app-refs";
import type { App, AppIp, GuestSize, MachinePlacement, ProcessGroup, VolumeSet } from "./types";
import {
  blockAt,
  blocksAt,
  compareText,
  dependsOnKeys,
  numberAt,
  referencedKey,
  resourcesOfType,
  stringAt,
  type JsonObject,
} from "./stack-json";

/** Fly puts machines without `metadata.fly_process_group` in the group named "app". */
export const DEFAULT_PROCESS_GROUP = "app";
/** Shown for a machine or volume without a `region`: Fly then uses the app's primary region. */
export const UNSPECIFIED_REGION = "(primary region)";

interface GroupBuilder {
  machineCount: number;
  readonly placements: Map<string, { region: string; guest: GuestSize | undefined; count: number }>;
  readonly volumes: Map<string, VolumeBuilder>;
  readonly releaseCommands: Set<string>;
}

type VolumeBuilder = { -readonly [K in keyof VolumeSet]: VolumeSet[K] };

export function readApps(stack: JsonObject, notes: string[]): App[] {
  const resolveApp = appResolver(stack);
  const volumes = resourcesOfType(stack, "fly_volume");
  const releases = resourcesOfType(stack, "null_resource");
  const groupsByApp = new Map<string, Map<string, GroupBuilder>>();
  const mounted = new Set<string>();

  for (const [key, machine] of resourcesOfType(stack, "fly_machine")) {
    const address = `fly_machine.${key}`;
    const appKey = resolveApp(stringAt(machine, "app"));
    if (appKey === undefined) {
      notes.push(`${address}: its app ${describe(stringAt(machine, "app"))} is no fly_app of this stack, so it is left out`);
      continue;
    }
    const count = machineCount(address, machine, notes);
    if (count === 0) continue;
    const groupName = stringAt(blockAt(machine, "metadata") ?? {}, "fly_process_group") ?? DEFAULT_PROCESS_GROUP;
    const group = groupOf(groupsByApp, appKey, groupName);
    const region = stringAt(machine, "region") ?? UNSPECIFIED_REGION;
    const guest = guestOf(machine);

    group.machineCount += count;
    const placementKey = `${region}\u0000${guestKey(guest)}`;
    const placement = group.placements.get(placementKey) ?? { region, guest, count: 0 };
    placement.count += count;
    group.placements.set(placementKey, placement);

    for (const command of releaseCommandsOf(machine, releases)) group.releaseCommands.add(command);

    for (const mount of blocksAt(machine, "mount")) {
      const volumeValue = stringAt(mount, "volume");
      const volumeKey = referencedKey(volumeValue, "fly_volume");
      const volume = volumeKey === undefined ? undefined : volumes.get(volumeKey);
      if (volumeKey === undefined || volume === undefined) {
        notes.push(`${address}: mounts ${describe(volumeValue)}, which is no fly_volume of this stack, so that mount is left out`);
        continue;
      }
      // A volume attaches to one machine at a time; a second mount of it must not count it twice.
      if (mounted.has(volumeKey)) {
        notes.push(`${address}: mounts fly_volume.${volumeKey}, which another machine already mounts; it is counted once`);
        continue;
      }
      mounted.add(volumeKey);
      addVolume(group.volumes, volumeKey, volume, stringAt(volume, "region") ?? region, stringAt(mount, "path"));
    }
  }

  const unmountedByApp = new Map<string, Map<string, VolumeBuilder>>();
  for (const [key, volume] of volumes) {
    if (mounted.has(key)) continue;
    const appKey = resolveApp(stringAt(volume, "app"));
    if (appKey === undefined) {
      notes.push(`fly_volume.${key}: its app ${describe(stringAt(volume, "app"))} is no fly_app of this stack, so it is left out`);
      continue;
    }
    const sets = unmountedByApp.get(appKey) ?? new Map<string, VolumeBuilder>();
    unmountedByApp.set(appKey, sets);
    addVolume(sets, key, volume, stringAt(volume, "region") ?? UNSPECIFIED_REGION, undefined);
  }

  const ipsByApp = new Map<string, AppIp[]>();
  for (const [key, ip] of resourcesOfType(stack, "fly_ip")) {
    const appKey = resolveApp(stringAt(ip, "app"));
    if (appKey === undefined) {
      notes.push(`fly_ip.${key}: its app ${describe(stringAt(ip, "app"))} is no fly_app of this stack, so it is left out`);
      continue;
    }
    const list = ipsByApp.get(appKey) ?? [];
    list.push({ key, type: stringAt(ip, "type") ?? "unknown" });
    ipsByApp.set(appKey, list);
  }

  return [...resourcesOfType(stack, "fly_app").entries()]
    .map(([key, app]): App => ({
      key,
      name: stringAt(app, "name"),
      ips: (ipsByApp.get(key) ?? []).sort((a, b) => compareText(a.type, b.type) || compareText(a.key, b.key)),
      groups: [...(groupsByApp.get(key) ?? new Map<string, GroupBuilder>()).entries()]
        .map(([name, group]) => finishGroup(name, group))
        .sort((a, b) => compareText(a.name, b.name)),
      unmountedVolumes: sortVolumes([...(unmountedByApp.get(key) ?? new Map<string, VolumeBuilder>()).values()]),
    }))
    .sort((a, b) => compareText(a.key, b.key));
}

function groupOf(groupsByApp: Map<string, Map<string, GroupBuilder>>, appKey: string, name: string): GroupBuilder {
  const groups = groupsByApp.get(appKey) ?? new Map<string, GroupBuilder>();
  groupsByApp.set(appKey, groups);
  const group = groups.get(name) ?? { machineCount: 0, placements: new Map(), volumes: new Map(), releaseCommands: new Set<string>() };
  groups.set(name, group);
  return group;
}

/**
 * CDKTF writes `count` only when a construct asks for it (flystack never does: one resource per
 * machine keeps logical IDs stable). A literal count is honoured; anything known only at plan
 * time is counted as one machine, with a note.
 */
function machineCount(address: string, machine: JsonObject, notes: string[]): number {
  if (machine["for_each"] !== undefined) {
    notes.push(`${address}: uses for_each, whose instances are known only at plan time; shown as one machine`);
    return 1;
  }
  const count = machine["count"];
  if (count === undefined) return 1;
  if (typeof count === "number" && Number.isInteger(count) && count >= 0) return count;
  notes.push(`${address}: its count ${describe(count)} is known only at plan time; shown as one machine`);
  return 1;
}

function guestOf(machine: JsonObject): GuestSize | undefined {
  const guest = blockAt(machine, "guest");
  if (guest === undefined) return undefined;
  const cpuKind = stringAt(guest, "cpu_kind");
  const cpus = numberAt(guest, "cpus");
  const memoryMb = numberAt(guest, "memory_mb");
  return cpuKind === undefined || cpus === undefined || memoryMb === undefined ? undefined : { cpuKind, cpus, memoryMb };
}

function guestKey(guest: GuestSize | undefined): string {
  return guest === undefined ? "" : `${guest.cpuKind}/${guest.cpus}/${guest.memoryMb}`;
}

/** `depends_on: ["null_resource.<key>"]` with a `triggers.command`: the group's release command. */
function releaseCommandsOf(machine: JsonObject, releases: ReadonlyMap<string, JsonObject>): string[] {
  return dependsOnKeys(machine, "null_resource").flatMap((key) => {
    const release = releases.get(key);
    const command = release === undefined ? undefined : stringAt(blockAt(release, "triggers") ?? {}, "command");
    return command === undefined ? [] : [command];
  });
}

function addVolume(sets: Map<string, VolumeBuilder>, key: string, volume: JsonObject, region: string, mountPath: string | undefined): void {
  const name = baseVolumeName(stringAt(volume, "name") ?? key, region);
  const sizeGb = numberAt(volume, "size_gb");
  const setKey = [name, region, String(sizeGb), mountPath ?? ""].join("\u0000");
  const set = sets.get(setKey) ?? { name, region, sizeGb, mountPath, count: 0 };
  set.count += 1;
  sets.set(setKey, set);
}

/**
 * flystack names each machine's volume `<name>_<region>_<n>` (`pg_data_iad_1`) because Fly needs
 * distinct names per app; the diagram shows the name the environment file gave (`pg_data`).
 */
export function baseVolumeName(name: string, region: string): string {
  const index = /_\d+$/.exec(name);
  if (index === null) return name;
  const withoutIndex = name.slice(0, index.index);
  const suffix = `_${region}`;
  if (!withoutIndex.endsWith(suffix) || withoutIndex.length === suffix.length) return name;
  return withoutIndex.slice(0, -suffix.length);
}

function finishGroup(name: string, group: GroupBuilder): ProcessGroup {
  const placements: MachinePlacement[] = [...group.placements.values()].sort(
    (a, b) => compareText(a.region, b.region) || compareGuests(a.guest, b.guest),
  );
  return {
    name,
    machineCount: group.machineCount,
    placements,
    volumes: sortVolumes([...group.volumes.values()]),
    releaseCommands: [...group.releaseCommands].sort(compareText),
  };
}

function compareGuests(a: GuestSize | undefined, b: GuestSize | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  return compareText(a.cpuKind, b.cpuKind) || a.cpus - b.cpus || a.memoryMb - b.memoryMb;
}

function sortVolumes(sets: VolumeSet[]): VolumeSet[] {
  return sets.sort(
    (a, b) =>
      compareText(a.name, b.name) ||
      compareText(a.region, b.region) ||
      (a.sizeGb ?? -1) - (b.sizeGb ?? -1) ||
      compareText(a.mountPath ?? "", b.mountPath ?? ""),
  );
}

function describe(value: unknown): string {
  return value === undefined ? "(none)" : JSON.stringify(value);
}
