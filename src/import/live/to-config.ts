/**
 * A live Fly app (as read by ./read.ts) as an environment's app entry plus what it adopts: pure.
 * Machines are grouped by Fly process group (`fly_process_group` metadata, else "app"); each
 * group's machines are numbered per region by creation time, which gives the slots
 * (`web-iad-1`) that `adopt` maps to the live ids. Whatever the config cannot say exactly is a
 * note (path, reason, what to do), never silently dropped.
 */
import type { FlyMachine, FlyVolume, Schemas } from "../../fly-api/client";
import type { AdoptConfig, AppConfig, CheckConfig, ProcessGroupConfig, ServiceConfig } from "../../config/types";
import { ipType } from "../../audit/network";
import { adoptSlot, appFingerprint } from "../fingerprint";
import type { LiveAppSnapshot } from "./read";

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

type Config = Schemas["fly.MachineConfig"];

const groupOf = (m: FlyMachine): string => m.config?.metadata?.fly_process_group || "app";

/** `registry/repository@sha256:…` when Fly knows the digest and the configured image is not pinned by one. */
function pinnedImage(m: FlyMachine): string {
  const image = m.config?.image ?? "";
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return image;
  const ref = m.image_ref;
  if (ref?.digest && ref.repository) return `${ref.registry ? `${ref.registry}/` : ""}${ref.repository}@${ref.digest}`;
  return image;
}

function autostop(value: unknown): ServiceConfig["autostop"] {
  if (value === true) return "stop";
  if (value === false || value === undefined) return "off";
  return value === "stop" || value === "suspend" ? value : "off";
}

function check(c: Schemas["fly.MachineCheck"] | Schemas["fly.MachineServiceCheck"], machineLevel: boolean): CheckConfig {
  const grace = (c as Schemas["fly.MachineCheck"]).grace_period;
  return {
    type: c.type === "http" ? "http" : "tcp",
    ...(c.port !== undefined ? { port: c.port } : {}),
    ...(c.type === "http" && c.path ? { path: c.path } : {}),
    ...(c.interval ? { interval: String(c.interval) } : {}),
    ...(c.timeout ? { timeout: String(c.timeout) } : {}),
    ...(machineLevel && grace ? { gracePeriod: String(grace) } : {}),
  };
}

function service(s: Schemas["fly.MachineService"]): ServiceConfig {
  const concurrency = s.concurrency;
  return {
    internalPort: s.internal_port ?? 0,
    ...(s.protocol === "udp" ? { protocol: "udp" as const } : {}),
    ports: (s.ports ?? []).map((p) => ({ port: p.port ?? 0, ...(p.handlers && p.handlers.length > 0 ? { handlers: p.handlers as ("http" | "tls" | "proxy_proto" | "pg_tls")[] } : {}) })),
    ...(autostop(s.autostop) !== "off" ? { autostop: autostop(s.autostop) } : {}),
    ...(s.autostart === false ? { autostart: false } : {}),
    ...(concurrency?.type && concurrency.soft_limit && concurrency.hard_limit ? { concurrency: { type: concurrency.type === "requests" ? ("requests" as const) : ("connections" as const), softLimit: concurrency.soft_limit, hardLimit: concurrency.hard_limit } } : {}),
    ...(s.checks && s.checks.length > 0 ? { checks: s.checks.map((c) => check(c, false)) } : {}),
  };
}

/** The group's machines by region, each region's in creation order; regions in order of their first machine. */
function byRegion(machines: readonly FlyMachine[]): Map<string, FlyMachine[]> {
  const sorted = [...machines].sort((a, b) => String(a.created_at ?? "").localeCompare(String(b.created_at ?? "")) || String(a.id).localeCompare(String(b.id)));
  const regions = new Map<string, FlyMachine[]>();
  for (const m of sorted) regions.set(m.region ?? "", [...(regions.get(m.region ?? "") ?? []), m]);
  return regions;
}

export function liveAppToConfig(live: LiveAppSnapshot, options: LiveImportOptions): LiveImport {
  const notes: ImportNote[] = [];
  const note = (path: string, reason: string, instead: string) => notes.push({ path, reason, instead });
  const volumesById = new Map(live.volumes.map((v) => [v.id ?? "", v]));
  const adoptedMachines: Record<string, { id: string; name: string }> = {};
  const adoptedVolumes: Record<string, { id: string; name: string }> = {};
  const mountedVolumes = new Set<string>();
  const groups: Record<string, ProcessGroupConfig> = {};

  const machinesByGroup = new Map<string, FlyMachine[]>();
  for (const m of live.machines) machinesByGroup.set(groupOf(m), [...(machinesByGroup.get(groupOf(m)) ?? []), m]);
  if (machinesByGroup.size === 0) note("machines", "the app runs no machine", "add a group to the written entry by hand before planning (an app needs at least one)");

  for (const [groupName, machines] of machinesByGroup) {
    const path = `groups.${groupName}`;
    const regions = byRegion(machines);
    const counts = [...regions.values()].map((list) => list.length);
    const count = Math.max(...counts);
    if (new Set(counts).size > 1)
      note(`${path}.count`, `machines per region differ (${[...regions].map(([r, l]) => `${r}: ${l.length}`).join(", ")}); flystack runs the same count in every region`, `count is ${count}: the plan will create the missing machines; lower count or move machines first if that is not wanted`);
    const first = machines[0];
    const config: Config = first.config ?? {};
    for (const m of machines.slice(1)) {
      const differs = (["image", "guest", "env", "services", "checks", "restart"] as const).filter((k) => JSON.stringify(m.config?.[k]) !== JSON.stringify(config[k]));
      if (differs.length > 0) note(`machines.${m.id}`, `differs from ${first.id} in ${differs.join(", ")}; a group runs one configuration`, `the entry takes ${first.id}'s; the first change to the group updates ${m.id} to it`);
    }
    for (const key of ["init", "files", "processes", "statics", "schedule", "dns", "stop_config"] as const)
      if (config[key] !== undefined && JSON.stringify(config[key]) !== "{}" && JSON.stringify(config[key]) !== "[]")
        note(`machines.${first.id}.config.${key}`, `the provider cannot set a machine's ${key}`, key === "init" ? "bake the command into the image, or set the group's command (it then runs as a container)" : "keep it out of Terraform (it stays as Fly runs it until a change to the group replaces the machine config)");

    const mount = config.mounts?.[0];
    const mountedVolume = mount?.volume ? volumesById.get(mount.volume) : undefined;
    if ((config.mounts?.length ?? 0) > 1) note(`machines.${first.id}.config.mounts`, "more than one mount; flystack gives a machine one volume", "the first mount is taken; move the others' data or keep those machines out of flystack");
    const containers = config.containers ?? [];
    const command = containers.length === 1 && containers[0].cmd && containers[0].cmd.length > 0 ? containers[0].cmd : undefined;
    if (containers.length > 1) note(`machines.${first.id}.config.containers`, `${containers.length} containers; flystack runs one container per machine (for a command)`, "keep these machines out of flystack, or reduce them to one container");

    const services = (config.services ?? []).map(service);
    for (const [i, s] of (config.services ?? []).entries())
      for (const p of s.ports ?? [])
        if (p.force_https)
          note(`${path}.services.${i}.ports.${p.port}`, "force_https: the provider cannot send Fly's force_https flag", "the first change to the group drops it: redirect to HTTPS in the app, or expose no plain http port (docs/architecture.md)");
    for (const [i, s] of (config.services ?? []).entries())
      if ((s.min_machines_running ?? 0) > 0)
        note(`${path}.services.${i}.minMachinesRunning`, `Fly keeps ${s.min_machines_running} machine(s) running; the provider cannot send min_machines_running, so flystack keeps autostop off on the first ${s.min_machines_running} primary-region machine(s) instead`, "the first change to the group sets autostop off on those machines");
    services.forEach((s, i) => {
      const min = config.services?.[i]?.min_machines_running;
      if (min) (s as { minMachinesRunning?: number }).minMachinesRunning = min;
    });
    const checks = Object.values(config.checks ?? {}).map((c) => check(c, true));
    const restart = config.restart?.policy ? { policy: config.restart.policy as "no" | "always" | "on-failure", ...(config.restart.max_retries !== undefined && config.restart.policy === "on-failure" ? { maxRetries: config.restart.max_retries } : {}) } : undefined;
    const env = command ? containers[0].env : config.env;
    const volume = mount && mountedVolume
      ? {
          name: mountedVolume.name ?? "data",
          path: mount.path ?? "/data",
          sizeGb: Math.max(...machines.map((m) => volumesById.get(m.config?.mounts?.[0]?.volume ?? "")?.size_gb ?? mountedVolume.size_gb ?? 1)),
          ...(mountedVolume.encrypted === false ? { encrypted: false } : {}),
          ...(mountedVolume.snapshot_retention !== undefined && mountedVolume.snapshot_retention !== 7 ? { snapshotRetentionDays: mountedVolume.snapshot_retention } : {}),
          ...(mountedVolume.auto_backup_enabled === false ? { autoBackup: false } : {}),
        }
      : undefined;
    if (command && volume) note(`${path}.command`, "the machine runs a command in a container and mounts a volume; the provider's containers take no mounts", "bake the command into the image; the entry keeps the volume and drops the command");

    groups[groupName] = {
      image: pinnedImage(first),
      ...(command && !volume ? { command } : {}),
      guest: { cpuKind: config.guest?.cpu_kind === "performance" ? "performance" : "shared", cpus: config.guest?.cpus ?? 1, memoryMb: config.guest?.memory_mb ?? 256 },
      regions: [...regions.keys()],
      ...(count !== 1 ? { count } : {}),
      ...(env && Object.keys(env).length > 0 ? { env } : {}),
      ...(services.length > 0 ? { services } : {}),
      ...(checks.length > 0 ? { checks } : {}),
      ...(restart ? { restart } : {}),
      ...(volume ? { volume } : {}),
      // The endpoint Fly scrapes; Fly's default path is left out.
      ...(config.metrics?.port ? { metrics: { port: config.metrics.port, ...(config.metrics.path && config.metrics.path !== "/metrics" ? { path: config.metrics.path } : {}) } } : {}),
    } as ProcessGroupConfig;

    for (const [region, list] of regions) {
      list.forEach((m, i) => {
        const slot = adoptSlot(groupName, region, i + 1);
        adoptedMachines[slot] = { id: m.id ?? "", name: m.name ?? "" };
        const v = volumesById.get(m.config?.mounts?.[0]?.volume ?? "");
        if (v && volume) {
          adoptedVolumes[slot] = { id: v.id ?? "", name: v.name ?? "" };
          mountedVolumes.add(v.id ?? "");
        }
      });
    }
  }
  for (const v of live.volumes.filter((v: FlyVolume) => !mountedVolumes.has(v.id ?? "")))
    note(`volumes.${v.id}`, `volume ${v.name} (${v.region}, ${v.size_gb} GB) is attached to no imported machine`, "it is left out: flystack would report it as extra; attach it or destroy it once its data is safe");

  const types = live.ips.map((ip) => ({ ip, type: ipType(ip) }));
  const address = (type: string) => types.find((t) => t.type === type)?.ip.ip;
  const ips = { sharedIpv4: address("shared_v4"), ipv6: address("v6"), dedicatedIpv4: address("v4"), flycast: address("private_v6") };
  for (const extra of types.filter((t, i) => types.findIndex((u) => u.type === t.type) !== i))
    note(`ips.${extra.ip.ip}`, `a second ${extra.type} address; flystack declares one of each kind`, "it is left out: release it, or keep it and accept the audit's finding");

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
