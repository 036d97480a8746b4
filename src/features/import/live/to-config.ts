/**
 * A live Fly app (as read by ./read.ts) as an environment's app entry plus what it adopts: pure.
 * Machines are grouped by Fly process group (`fly_process_group` metadata, else "app"); each
 * group's machines are numbered per region by creation time, which gives the slots
 * (`web-iad-1`) that `adopt` maps to the live ids. Fly's answer is read by meaning (absent fields are
 * Fly's defaults, any of Fly's spellings); every live field the entry does not hold is a note (path,
 * reason, what to do), never silently dropped (./uncarried.ts).
 */
import type { FlyMachine, FlyVolume } from "../../../fly/api/client";
import type { AdoptConfig, AppConfig, CheckConfig, FileConfig, GuestConfig, ProcessGroupConfig, RestartConfig, VolumeConfig } from "../../../config/types";
import { ipKind } from "../../../fly/api/answers/ips";
import { GUEST, METRICS_PATH, VOLUME } from "../../../fly/defaults";
import { adoptSlot, appFingerprint } from "../../../config/adoption";
import { VM_PRESETS } from "../fly-toml/vm-size";
import type { LiveAppSnapshot } from "./read";
import { checkConfig, serviceConfig } from "./services";
import { type FieldRule, isEmpty, isFalse, type Note, noteUncarried, providerCannot } from "./uncarried";

export interface ImportNote {
  /** Where in the live app (`machines.<id>.config.init.cmd`) or the written entry. */
  readonly path: string;
  readonly reason: string;
  readonly instead: string;
}

export interface LiveImport {
  readonly app: AppConfig;
  readonly notes: readonly ImportNote[];
}

export interface LiveImportOptions {
  /** The version each secret is declared with (a rotation marker; Fly never shows values). */
  readonly secretVersion: string;
  /** The environment's DNS zone: hostnames outside it cannot be domains of the app. */
  readonly zone?: string;
}

type Json = Record<string, unknown>;

const groupOf = (m: FlyMachine): string => m.config?.metadata?.fly_process_group || "app";
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
/** A machine-level check name the configuration accepts (src/config/schema.ts). */
const CHECK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** flystack's entry default for snapshot retention (VolumeConfig.snapshotRetentionDays). */
const ENTRY_SNAPSHOT_RETENTION = 7;

/** A machine config's fields, beyond those carried, with why they are not and what to do. */
const CONFIG_RULES: Readonly<Record<string, FieldRule>> = {
  init: providerCannot("a machine's init (cmd, entrypoint, exec)", "bake the command into the image, or set the group's command (it then runs as a container)", (v) => Object.values((v ?? {}) as Json).every((x) => isEmpty(x) || x === false)),
  processes: providerCannot("a machine's processes"),
  statics: providerCannot("a machine's statics"),
  schedule: providerCannot("a machine's schedule"),
  dns: providerCannot("a machine's dns settings"),
  stop_config: providerCannot("a machine's stop_config (kill signal and timeout)"),
  auto_destroy: providerCannot("auto_destroy", undefined, isFalse),
  rootfs: providerCannot("a machine's rootfs settings"),
  cache_drive: providerCannot("a cache drive"),
  spot: providerCannot("spot placement"),
  standbys: providerCannot("standby machines"),
};
const CONFIG_CARRIED = new Set(["image", "guest", "env", "services", "checks", "restart", "mounts", "metrics", "containers", "metadata", "disable_machine_autostart", "size", "files"]);

/** `registry/repository@sha256:…` when Fly knows the digest and the configured image is not pinned by one. */
function pinnedImage(m: FlyMachine): string {
  const image = m.config?.image ?? "";
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return image;
  const ref = m.image_ref;
  if (ref?.digest && ref.repository) return `${ref.registry ? `${ref.registry}/` : ""}${ref.repository}@${ref.digest}`;
  return image;
}

/** The guest: `guest` (absent fields are Fly's defaults), or the deprecated `size` preset older machines carry instead. */
function guestConfig(config: Json, path: string, note: Note): GuestConfig {
  const guest = config.guest as Json | undefined;
  const preset = typeof config.size === "string" ? VM_PRESETS[config.size] : undefined;
  if (!guest && config.size !== undefined && !preset) note(`${path}.size`, `a size flystack does not know (${JSON.stringify(config.size)})`, "the entry takes shared-cpu-1x; set the group's guest by hand");
  if (!guest) return preset ?? { cpuKind: "shared", cpus: GUEST.cpus, memoryMb: GUEST.memory_mb };
  noteUncarried(guest, `${path}.guest`, new Set(["cpu_kind", "cpus", "memory_mb"]), { persist_rootfs: providerCannot("persist_rootfs", undefined, (v) => v === "never" || v === 0 || v === "") }, note);
  const kind = guest.cpu_kind ?? GUEST.cpu_kind;
  if (kind !== "shared" && kind !== "performance") note(`${path}.guest.cpu_kind`, `a CPU kind flystack does not know (${JSON.stringify(kind)})`, "the entry says shared; set the group's guest by hand");
  return { cpuKind: kind === "performance" ? "performance" : "shared", cpus: num(guest.cpus) ?? GUEST.cpus, memoryMb: num(guest.memory_mb) ?? GUEST.memory_mb };
}

function restartConfig(config: Json, path: string, note: Note): RestartConfig | undefined {
  const restart = config.restart as Json | undefined;
  if (!restart) return undefined;
  noteUncarried(restart, `${path}.restart`, new Set(["policy", "max_retries"]), {}, note);
  const policy = restart.policy;
  if (policy === undefined) return undefined;
  if (policy !== "no" && policy !== "always" && policy !== "on-failure") {
    note(`${path}.restart.policy`, `a restart policy flystack does not know (${JSON.stringify(policy)})`, "the entry leaves restart out (Fly's default, on-failure, applies at the first change); set it by hand");
    return undefined;
  }
  return { policy, ...(num(restart.max_retries) !== undefined && policy === "on-failure" ? { maxRetries: num(restart.max_retries) } : {}) };
}

/** Machine-level checks keep their config and their names (tools look checks up by name). */
function machineChecks(config: Json, path: string, note: Note): CheckConfig[] {
  const out: CheckConfig[] = [];
  for (const [name, raw] of Object.entries((config.checks ?? {}) as Record<string, Json>)) {
    const check = checkConfig(raw, `${path}.checks.${name}`, true, note);
    if (!check) continue;
    if (check.port === undefined) {
      note(`${path}.checks.${name}.port`, "a machine-level check without a port; flystack's machine checks need one", "the check is left out: add it with its port by hand");
      continue;
    }
    const generated = `${check.type}_${check.port}_${out.length}`;
    if (name === generated) out.push(check);
    else if (CHECK_NAME.test(name) && name.length <= 63) out.push({ ...check, name });
    else {
      note(`${path}.checks.${name}`, `a check name flystack cannot write (${JSON.stringify(name)}): it becomes ${generated}`, "the first change to the group renames it; update anything that looks checks up by name");
      out.push(check);
    }
  }
  return out;
}

/** A machine's (or container's) files: path, base64 content or secret, mode. */
function fileConfigs(files: Json[] | undefined, path: string, note: Note): FileConfig[] {
  const out: FileConfig[] = [];
  (files ?? []).forEach((f, i) => {
    noteUncarried(f, `${path}.${i}`, new Set(["guest_path", "raw_value", "secret_name", "mode"]), {}, note);
    if (typeof f.guest_path !== "string" || (typeof f.raw_value !== "string") === (typeof f.secret_name !== "string")) {
      note(`${path}.${i}`, "a file without a path, or with neither (or both) content and secret", "it is left out: add it to the group's files by hand");
      return;
    }
    out.push({ guestPath: f.guest_path, ...(typeof f.raw_value === "string" ? { rawValue: f.raw_value } : { secretName: f.secret_name as string }), ...(num(f.mode) !== undefined ? { mode: num(f.mode) } : {}) });
  });
  return out;
}

/** The group's machines by region, each region's in creation order; regions in order of their first machine. */
function byRegion(machines: readonly FlyMachine[]): Map<string, FlyMachine[]> {
  const sorted = [...machines].sort((a, b) => String(a.created_at ?? "").localeCompare(String(b.created_at ?? "")) || String(a.id).localeCompare(String(b.id)));
  const regions = new Map<string, FlyMachine[]>();
  for (const m of sorted) regions.set(m.region ?? "", [...(regions.get(m.region ?? "") ?? []), m]);
  return regions;
}

/** The group entry for `machines` (one Fly process group), from its first machine; notes for what it cannot hold. */
function groupConfig(groupName: string, machines: readonly FlyMachine[], regions: Map<string, FlyMachine[]>, volumesById: ReadonlyMap<string, FlyVolume>, note: Note): ProcessGroupConfig {
  const path = `groups.${groupName}`;
  const counts = [...regions.values()].map((list) => list.length);
  const count = Math.max(...counts);
  if (new Set(counts).size > 1)
    note(`${path}.count`, `machines per region differ (${[...regions].map(([r, l]) => `${r}: ${l.length}`).join(", ")}); flystack runs the same count in every region`, `count is ${count}: the plan will create the missing machines; lower count or move machines first if that is not wanted`);
  const first = machines[0];
  const at = `machines.${first.id}.config`;
  if (!first.config) note(`machines.${first.id}`, `Fly answered no config for this machine (host ${first.host_status ?? "unknown"})`, "the group is written with defaults only: read the app again when the host is reachable");
  const config = (first.config ?? {}) as Json;
  for (const m of machines.slice(1)) {
    const differs = (["image", "guest", "env", "services", "checks", "restart"] as const).filter((k) => JSON.stringify(m.config?.[k]) !== JSON.stringify(config[k]));
    if (differs.length > 0) note(`machines.${m.id}`, `differs from ${first.id} in ${differs.join(", ")}; a group runs one configuration`, `the entry takes ${first.id}'s; the first change to the group updates ${m.id} to it`);
  }
  noteUncarried(config, at, CONFIG_CARRIED, CONFIG_RULES, note);

  const bookkeeping = Object.keys((config.metadata ?? {}) as Json).filter((k) => k !== "fly_process_group" && !k.startsWith("flystack_"));
  if (bookkeeping.length > 0) note(`${at}.metadata`, `metadata keys ${bookkeeping.join(", ")} (flyctl's release bookkeeping or your own)`, "the first change to the group replaces the metadata with flystack's (process group and flystack's keys)");

  const mounts = (Array.isArray(config.mounts) ? config.mounts : []) as Json[];
  const mount = mounts[0];
  const mountedVolume = typeof mount?.volume === "string" ? volumesById.get(mount.volume) : undefined;
  if (mounts.length > 1) note(`${at}.mounts`, "more than one mount; flystack gives a machine one volume", "the first mount is taken; move the others' data or keep those machines out of flystack");
  if (mount) noteUncarried(mount, `${at}.mounts.0`, new Set(["volume", "path", "name"]), {}, note);

  const containers = (Array.isArray(config.containers) ? config.containers : []) as Json[];
  const container = containers.length === 1 ? containers[0] : undefined;
  const command = Array.isArray(container?.cmd) && (container.cmd as unknown[]).length > 0 ? (container.cmd as unknown[]).map(String) : undefined;
  if (containers.length > 1) note(`${at}.containers`, `${containers.length} containers; flystack runs one container per machine (for a command)`, "keep these machines out of flystack, or reduce them to one container");
  if (container) noteUncarried(container, `${at}.containers.0`, new Set(["name", "image", "cmd", "env", "secrets", "files"]), {}, note);
  // Files live on the machine, or in its one container when it runs a command.
  const files = fileConfigs((command ? container?.files : config.files) as Json[] | undefined, command ? `${at}.containers.0.files` : `${at}.files`, note);

  const autostartOff = config.disable_machine_autostart === true;
  const services = ((Array.isArray(config.services) ? config.services : []) as Json[]).map((s, i) => {
    const service = serviceConfig(s, `${path}.services.${i}`, autostartOff, note);
    const min = num(s.min_machines_running) ?? 0;
    if (min <= 0) return service;
    note(`${path}.services.${i}.minMachinesRunning`, `Fly keeps ${min} machine(s) running; the provider cannot send min_machines_running, so flystack keeps autostop off on the first ${min} primary-region machine(s) instead`, "the first change to the group sets autostop off on those machines");
    return { ...service, minMachinesRunning: min };
  });
  const checks = machineChecks(config, at, note);
  const restart = restartConfig(config, at, note);
  const env = (command ? container?.env : config.env) as Record<string, string> | undefined;
  const volume = mount && mountedVolume ? volumeConfig(mount, mountedVolume, machines, volumesById) : undefined;
  if (command && volume) note(`${path}.command`, "the machine runs a command in a container and mounts a volume; the provider's containers take no mounts", "bake the command into the image; the entry keeps the volume and drops the command");
  const metrics = config.metrics as Json | undefined;
  if (metrics) noteUncarried(metrics, `${at}.metrics`, new Set(["port", "path", "https"]), {}, note);

  return {
    image: pinnedImage(first),
    ...(command && !volume ? { command } : {}),
    guest: guestConfig(config, at, note),
    regions: [...regions.keys()],
    ...(count !== 1 ? { count } : {}),
    ...(env && Object.keys(env).length > 0 ? { env } : {}),
    ...(services.length > 0 ? { services } : {}),
    ...(checks.length > 0 ? { checks } : {}),
    ...(restart ? { restart } : {}),
    ...(volume ? { volume } : {}),
    ...(files.length > 0 ? { files } : {}),
    // The endpoint Fly scrapes; Fly's default path is left out.
    ...(num(metrics?.port) ? { metrics: { port: num(metrics?.port) as number, ...(typeof metrics?.path === "string" && metrics.path !== METRICS_PATH ? { path: metrics.path } : {}), ...(metrics?.https === true ? { https: true } : {}) } } : {}),
  } as ProcessGroupConfig;
}

/** The group's volume: the first machine's mount, sized to the largest of the group's volumes; settings Fly leaves out are its defaults. */
function volumeConfig(mount: Json, volume: FlyVolume, machines: readonly FlyMachine[], volumesById: ReadonlyMap<string, FlyVolume>): VolumeConfig {
  const retention = volume.snapshot_retention ?? VOLUME.snapshot_retention;
  return {
    name: volume.name ?? "data",
    path: typeof mount.path === "string" ? mount.path : "/data",
    sizeGb: Math.max(...machines.map((m) => volumesById.get(m.config?.mounts?.[0]?.volume ?? "")?.size_gb ?? volume.size_gb ?? 1)),
    ...((volume.encrypted ?? VOLUME.encrypted) === false ? { encrypted: false } : {}),
    ...(retention !== ENTRY_SNAPSHOT_RETENTION ? { snapshotRetentionDays: retention } : {}),
    ...((volume.auto_backup_enabled ?? VOLUME.auto_backup_enabled) === false ? { autoBackup: false } : {}),
  };
}

export function liveAppToConfig(live: LiveAppSnapshot, options: LiveImportOptions): LiveImport {
  const notes: ImportNote[] = [];
  const note: Note = (path, reason, instead) => notes.push({ path, reason, instead });
  const volumesById = new Map(live.volumes.map((v) => [v.id ?? "", v]));
  const adoptedMachines: Record<string, { id: string; name: string }> = {};
  const adoptedVolumes: Record<string, { id: string; name: string }> = {};
  const mountedVolumes = new Set<string>();
  const groups: Record<string, ProcessGroupConfig> = {};

  const machinesByGroup = new Map<string, FlyMachine[]>();
  for (const m of live.machines) machinesByGroup.set(groupOf(m), [...(machinesByGroup.get(groupOf(m)) ?? []), m]);
  if (machinesByGroup.size === 0) note("machines", "the app runs no machine", "add a group to the written entry by hand before planning (an app needs at least one)");

  for (const [groupName, machines] of machinesByGroup) {
    const regions = byRegion(machines);
    const group = groupConfig(groupName, machines, regions, volumesById, note);
    groups[groupName] = group;
    for (const [region, list] of regions) {
      list.forEach((m, i) => {
        const slot = adoptSlot(groupName, region, i + 1);
        adoptedMachines[slot] = { id: m.id ?? "", name: m.name ?? "" };
        const v = volumesById.get(m.config?.mounts?.[0]?.volume ?? "");
        if (v && group.volume) {
          adoptedVolumes[slot] = { id: v.id ?? "", name: v.name ?? "" };
          mountedVolumes.add(v.id ?? "");
        }
      });
    }
  }
  for (const v of live.volumes.filter((v: FlyVolume) => !mountedVolumes.has(v.id ?? "")))
    note(`volumes.${v.id}`, `volume ${v.name} (${v.region}, ${v.size_gb} GB) is attached to no imported machine`, "it is left out: flystack would report it as extra; attach it or destroy it once its data is safe");

  const kinds = live.ips.map((ip) => ({ ip, kind: ipKind(ip) }));
  const address = (kind: string) => kinds.find((t) => t.kind === kind)?.ip.ip;
  const ips = { sharedIpv4: address("shared_v4"), ipv6: address("v6"), dedicatedIpv4: address("v4"), flycast: address("private_v6") };
  for (const egress of kinds.filter((t) => t.kind === "egress_v4" || t.kind === "egress_v6"))
    note(`ips.${egress.ip.ip}`, `an egress (outbound) ${egress.kind === "egress_v4" ? "IPv4" : "IPv6"} address; the provider cannot allocate egress addresses`, "it is left out and keeps working; the audit lists it as information");
  for (const extra of kinds.filter((t, i) => !t.kind.startsWith("egress") && kinds.findIndex((u) => u.kind === t.kind) !== i))
    note(`ips.${extra.ip.ip}`, `a second ${extra.kind} address; flystack declares one of each kind`, "it is left out: release it, or keep it and accept the audit's finding");

  const hostnames = live.certificates.map((c) => c.hostname ?? "").filter(Boolean);
  const inZone = (h: string) => options.zone !== undefined && (h === options.zone || h.endsWith(`.${options.zone}`));
  for (const h of hostnames.filter((h) => !inZone(h))) note(`certificates.${h}`, `outside the environment's DNS zone ${options.zone ?? "(none)"}`, "it is left out: flystack manages hostnames of its zone only; keep managing this certificate with flyctl");
  const domains = hostnames.filter(inZone);

  const secrets = Object.fromEntries(live.secrets.map((s) => [s.name, { version: options.secretVersion }]));
  if (live.secrets.length > 0)
    note("secrets", `${live.secrets.length} secret(s) on Fly (${live.secrets.map((s) => s.name).join(", ")}); Fly never returns values and the provider cannot import a secret`, `set TF_VAR_<app key>_<NAME> for each to its current value before the first apply: the apply writes that value (a wrong one replaces the live value)`);

  const base: AppConfig = {
    name: live.name,
    ips: { sharedIpv4: ips.sharedIpv4 !== undefined, ipv6: ips.ipv6 !== undefined, ...(ips.dedicatedIpv4 ? { dedicatedIpv4: true } : {}), ...(ips.flycast ? { flycast: true } : {}) },
    ...(Object.keys(secrets).length > 0 ? { secrets } : {}),
    ...(domains.length > 0 ? { domains } : {}),
    groups,
  };
  const adopt: AdoptConfig = {
    fingerprint: appFingerprint(base),
    ...(Object.keys(adoptedMachines).length > 0 ? { machines: adoptedMachines } : {}),
    ...(Object.keys(adoptedVolumes).length > 0 ? { volumes: adoptedVolumes } : {}),
    ips: Object.fromEntries(Object.entries(ips).filter(([, v]) => v !== undefined)) as AdoptConfig["ips"],
    ...(domains.length > 0 ? { certificates: domains } : {}),
  };
  return { app: { ...base, adopt }, notes };
}
