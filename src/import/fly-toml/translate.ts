/**
 * fly.toml → one flystack app. Pure: no files, no network. Every key is either written into the
 * app, or listed in the report with why it cannot be expressed and what to do instead; a key that
 * cannot be carried over safely (no pushed image, a GPU, a command beside a volume, …) stops the
 * import with every such problem listed (FlyTomlImportError), so no half-right app is written.
 */
import type { AppConfig, CheckConfig, ConcurrencyConfig, GuestConfig, MetricsConfig, PortConfig, ProcessGroupConfig, RestartConfig, ServiceConfig, VolumeConfig } from "../../config/types";
import { CPU_KINDS, type CpuKind } from "../../fly/guest";
import { imagePinProblem } from "../../fly/image";
import { isFlyRegion } from "../../fly/regions";
import { ENV_VAR_NAME } from "../../config/rules/secret-names";
import { credentialWord } from "../../config/rules/no-credentials-in-env";
import { quote } from "../../config/issue";
import type { FlyCheck, FlyConcurrency, FlyPort, FlyServiceCommon, FlyToml, ParsedFlyToml } from "./parse";
import { shellWords } from "./shell-words";
import { cpuCountOffered, DEFAULT_GUEST, defaultMemory, GPU_PRESETS, memoryMb, roundMemoryUp, VM_PRESETS } from "./vm-size";

/** One fly.toml key the app does not carry as it was: where, why, and what to do instead. */
export interface ImportNote {
  /** Key path in fly.toml (`http_service.force_https`), or `(secrets)`/`(machines)` for what fly.toml does not hold. */
  readonly path: string;
  readonly reason: string;
  readonly instead: string;
}

export interface TranslateOptions {
  /** The key under `apps`. @default the Fly app name */
  readonly appKey?: string;
  /** `--image REF` for every group. */
  readonly image?: string;
  /** `--image GROUP=REF`, per process group; wins over `image`. */
  readonly groupImages?: Readonly<Record<string, string>>;
}

export interface Translation {
  readonly appKey: string;
  readonly app: AppConfig;
  readonly report: readonly ImportNote[];
}

/** The fly.toml cannot become a valid app without the user's help; `problems` says what to supply. */
export class FlyTomlImportError extends Error {
  constructor(readonly problems: readonly ImportNote[]) {
    super(problems.map((p) => `${p.path}: ${p.reason}; ${p.instead}`).join("\n"));
    this.name = "FlyTomlImportError";
  }
}

/** Fly's process group when fly.toml has no `[processes]`. */
export const DEFAULT_GROUP = "app";
const NAME = /^[a-z][a-z0-9-]*$/;
const APP_NAME = /^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$/;
const VOLUME_NAME = /^[a-z][a-z0-9_]*$/;
const HANDLERS = ["http", "tls", "proxy_proto", "pg_tls"] as const;
type Handler = (typeof HANDLERS)[number];
/** Fly's default concurrency (fly.io/docs/reference/configuration, services.concurrency). */
const FLY_CONCURRENCY = { type: "connections", softLimit: 20, hardLimit: 25 } as const;

const BUILD_INSTEAD = "build and push the image yourself (e.g. `fly deploy --build-only --push`, or docker build and push in CI) and import with --image REF, pinned";
const FORCE_HTTPS_REASON = "provider ampbase-io/fly 0.2 cannot set force_https (docs/architecture.md), so port 80 serves plain HTTP without a redirect";
const FORCE_HTTPS_INSTEAD = "remove the port 80 entry to serve HTTPS only (as the httpService preset does), or redirect in the app (X-Forwarded-Proto) and suppress FLY009 with that reason";

/** A Go-style or flystack duration (`"10s"`, `"1m0s"`, `"500ms"`) or milliseconds (`10000`), as flystack writes it. */
export function duration(value: unknown): string | undefined {
  let ms: number;
  if (typeof value === "number") {
    if (!Number.isInteger(value) || value < 0) return undefined;
    ms = value;
  } else if (typeof value === "string") {
    if (/^\d+(ms|s|m|h)$/.test(value)) return value;
    const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/g)];
    if (parts.length === 0 || parts.map((p) => p[0]).join("") !== value) return undefined;
    const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, "µs": 0.001, ns: 0.000001 };
    ms = parts.reduce((sum, p) => sum + Number(p[1]) * unit[p[2]], 0);
    if (!Number.isInteger(ms)) return undefined;
  } else return undefined;
  if (ms > 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms > 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** Collects notes and problems while an app is built; one per fly.toml key. */
class Report {
  readonly notes: ImportNote[] = [];
  readonly problems: ImportNote[] = [];
  note(path: string, reason: string, instead: string): void {
    this.notes.push({ path, reason, instead });
  }
  problem(path: string, reason: string, instead: string): void {
    this.problems.push({ path, reason, instead });
  }
}

/** The groups a `processes = [...]` list names (every group when absent); unknown names are noted. */
function groupsFor(processes: unknown, groups: readonly string[], path: string, report: Report): string[] {
  if (processes === undefined) return [...groups];
  const names = Array.isArray(processes) ? processes.map(String) : [String(processes)];
  for (const name of names.filter((n) => !groups.includes(n))) {
    report.note(`${path}.processes`, `names process group ${quote(name)}, which [processes] does not define`, `remove it, or add the process to [processes]`);
  }
  return groups.filter((g) => names.includes(g));
}

function command(line: unknown, path: string, report: Report): string[] | undefined {
  const words = Array.isArray(line) ? line.map(String) : typeof line === "string" ? shellWords(line) : undefined;
  if (words === undefined || words.length === 0) {
    report.problem(path, "is not a command line flystack can split into arguments (an empty value or an unclosed quote)", "fix the command in fly.toml");
    return undefined;
  }
  return words;
}

function checkOf(check: FlyCheck, type: "http" | "tcp", path: string, report: Report, level: "service" | "machine"): CheckConfig | undefined {
  const out: { -readonly [K in keyof CheckConfig]: CheckConfig[K] } = { type };
  if (check.port !== undefined) out.port = check.port;
  if (type === "http") {
    if (typeof check.path !== "string" || !check.path.startsWith("/")) {
      report.problem(`${path}.path`, "an http check needs a path starting with \"/\"", "add the path the app answers health checks on");
      return undefined;
    }
    out.path = check.path;
  }
  for (const key of ["interval", "timeout", "grace_period"] as const) {
    if (check[key] === undefined) continue;
    const value = duration(check[key]);
    if (value === undefined) {
      report.problem(`${path}.${key}`, `${quote(check[key])} is not a duration`, 'write a duration such as "10s"');
      continue;
    }
    if (key === "interval") out.interval = value;
    else if (key === "timeout") out.timeout = value;
    else if (level === "machine") out.gracePeriod = value;
    else report.note(`${path}.grace_period`, "service checks of provider ampbase-io/fly 0.2 take no grace period", "make the app answer checks soon after start, or add a machine-level check (top-level [checks]) with a grace period");
  }
  if (check.method !== undefined && String(check.method).toUpperCase() !== "GET") {
    report.note(`${path}.method`, "flystack's checks always use GET", "answer GET on the check path");
  }
  if (check.protocol !== undefined && check.protocol !== "http") {
    report.note(`${path}.protocol`, `flystack's http checks use plain http, not ${quote(check.protocol)}`, "answer plain http on the checked port");
  }
  if (check.tls_skip_verify === true) report.note(`${path}.tls_skip_verify`, "flystack's checks do not use TLS", "answer plain http on the checked port");
  if (check.tls_server_name !== undefined) report.note(`${path}.tls_server_name`, "flystack's checks do not use TLS", "answer plain http on the checked port");
  if (check.headers !== undefined && Object.keys(check.headers).length > 0) {
    report.note(`${path}.headers`, "flystack's checks send no custom headers", "make the check path answer without them");
  }
  if (check.restart_limit !== undefined && check.restart_limit !== 0) {
    report.note(`${path}.restart_limit`, "flystack does not restart machines on failing checks", "rely on the group's restart policy, or monitor the check");
  }
  if (check.type !== undefined && check.type !== type) report.problem(`${path}.type`, `${quote(check.type)} is not a check type flystack knows`, 'use "http" or "tcp"');
  return out;
}

function autostop(value: unknown, path: string, report: Report): ServiceConfig["autostop"] {
  if (value === undefined) return undefined;
  if (value === true) return "stop";
  if (value === false) return "off";
  if (value === "off" || value === "stop" || value === "suspend") return value;
  report.problem(path, `${quote(value)} is not an auto_stop_machines value`, 'use "off", "stop", "suspend", true or false');
  return undefined;
}

function concurrency(value: FlyConcurrency | undefined): ConcurrencyConfig | undefined {
  if (value === undefined) return undefined;
  const type = value.type === "requests" ? "requests" : FLY_CONCURRENCY.type;
  const hardLimit = value.hard_limit ?? FLY_CONCURRENCY.hardLimit;
  return { type, softLimit: Math.min(value.soft_limit ?? FLY_CONCURRENCY.softLimit, hardLimit), hardLimit };
}

/** What `[http_service]` and `[[services]]` share: port, autostop, autostart, min running, concurrency. */
function serviceCommon(service: FlyServiceCommon, path: string, report: Report): Omit<ServiceConfig, "ports"> | undefined {
  if (typeof service.internal_port !== "number") {
    report.problem(`${path}.internal_port`, "is missing", "add the port the app listens on");
    return undefined;
  }
  const stop = autostop(service.auto_stop_machines, `${path}.auto_stop_machines`, report);
  const limits = concurrency(service.concurrency);
  return {
    internalPort: service.internal_port,
    ...(stop !== undefined ? { autostop: stop } : {}),
    ...(typeof service.auto_start_machines === "boolean" ? { autostart: service.auto_start_machines } : {}),
    ...(typeof service.min_machines_running === "number" ? { minMachinesRunning: service.min_machines_running } : {}),
    ...(limits ? { concurrency: limits } : {}),
  };
}

function portOf(port: FlyPort, path: string, report: Report): PortConfig | undefined {
  if (port.start_port !== undefined || port.end_port !== undefined) {
    report.problem(`${path}.start_port`, "flystack services list single ports, not port ranges", "list each port of the range as its own [[services.ports]] entry");
    return undefined;
  }
  if (typeof port.port !== "number") {
    report.problem(`${path}.port`, "is missing", "add the public port");
    return undefined;
  }
  const handlers: Handler[] = [];
  for (const handler of port.handlers ?? []) {
    if ((HANDLERS as readonly string[]).includes(handler)) handlers.push(handler as Handler);
    else report.note(`${path}.handlers`, `handler ${quote(handler)} is not one flystack can set`, `use ${HANDLERS.join(", ")}; the port was written without it`);
  }
  if (port.force_https === true) report.note(`${path}.force_https`, FORCE_HTTPS_REASON, FORCE_HTTPS_INSTEAD);
  for (const key of ["http_options", "tls_options", "proxy_proto_options"] as const) {
    if (port[key] !== undefined) report.note(`${path}.${key}`, "provider ampbase-io/fly 0.2 has no per-port proxy options", "handle it in the app, or set it with flyctl after each deploy");
  }
  return { port: port.port, ...(port.handlers !== undefined ? { handlers } : {}) };
}

function withoutPort(common: Omit<ServiceConfig, "ports">): Omit<ServiceConfig, "ports" | "internalPort"> {
  const { internalPort: _port, ...rest } = common;
  return rest;
}

/** Every service of the fly.toml, with the groups it routes to. */
function servicesOf(toml: FlyToml, groups: readonly string[], report: Report): { service: ServiceConfig; groups: string[] }[] {
  const out: { service: ServiceConfig; groups: string[] }[] = [];
  const http = toml.http_service;
  if (http !== undefined) {
    const common = serviceCommon(http, "http_service", report);
    if (http.force_https === true) report.note("http_service.force_https", FORCE_HTTPS_REASON, FORCE_HTTPS_INSTEAD);
    for (const key of ["http_options", "tls_options"] as const) {
      if (http[key] !== undefined) report.note(`http_service.${key}`, "provider ampbase-io/fly 0.2 has no per-port proxy options", "handle it in the app, or set it with flyctl after each deploy");
    }
    const checks = (http.checks ?? []).map((c, i) => checkOf(c, "http", `http_service.checks[${i}]`, report, "service")).filter((c): c is CheckConfig => c !== undefined);
    if (common) {
      out.push({
        service: {
          internalPort: common.internalPort,
          // What [http_service] means on Fly: plain HTTP on 80, HTTPS on 443, both to internal_port.
          ports: [
            { port: 80, handlers: ["http"] },
            { port: 443, handlers: ["tls", "http"] },
          ],
          ...withoutPort(common),
          ...(checks.length > 0 ? { checks } : {}),
        },
        groups: groupsFor(http.processes, groups, "http_service", report),
      });
    }
  }
  (toml.services ?? []).forEach((service, s) => {
    const path = `services[${s}]`;
    const common = serviceCommon(service, path, report);
    const protocol = service.protocol ?? "tcp";
    if (protocol !== "tcp" && protocol !== "udp") report.problem(`${path}.protocol`, `${quote(protocol)} is not a protocol flystack can route`, 'use "tcp" or "udp"');
    const ports = (service.ports ?? []).map((p, i) => portOf(p, `${path}.ports[${i}]`, report)).filter((p): p is PortConfig => p !== undefined);
    if ((service.ports ?? []).length === 0) report.problem(`${path}.ports`, "lists no public port", "add a [[services.ports]] entry, or remove the service");
    const checks = [
      ...(service.tcp_checks ?? []).map((c, i) => checkOf(c, "tcp", `${path}.tcp_checks[${i}]`, report, "service")),
      ...(service.http_checks ?? []).map((c, i) => checkOf(c, "http", `${path}.http_checks[${i}]`, report, "service")),
    ].filter((c): c is CheckConfig => c !== undefined);
    if (common && ports.length > 0) {
      out.push({
        service: { internalPort: common.internalPort, ...(protocol === "udp" ? { protocol } : {}), ports, ...withoutPort(common), ...(checks.length > 0 ? { checks } : {}) },
        groups: groupsFor(service.processes, groups, path, report),
      });
    }
  });
  return out;
}

/** The group's guest: its `[[vm]]` (one naming it, else one naming no process), else Fly's default. */
function guestOf(toml: FlyToml, group: string, report: Report): GuestConfig | undefined {
  const index = (() => {
    const vms = toml.vm ?? [];
    const own = vms.findIndex((vm) => Array.isArray(vm.processes) && vm.processes.includes(group));
    return own !== -1 ? own : vms.findIndex((vm) => vm.processes === undefined || (Array.isArray(vm.processes) && vm.processes.length === 0));
  })();
  if (index === -1) return DEFAULT_GUEST;
  const vm = toml.vm![index];
  const path = `vm[${index}]`;
  if (vm.gpus !== undefined || vm.gpu_kind !== undefined || (vm.size !== undefined && GPU_PRESETS.includes(vm.size))) {
    report.problem(vm.size !== undefined && GPU_PRESETS.includes(vm.size) ? `${path}.size` : `${path}.gpu_kind`, "flystack's guests have no GPUs", "keep this app on fly deploy, or remove the GPU");
    return undefined;
  }
  let base: GuestConfig | undefined;
  if (vm.size !== undefined) {
    base = VM_PRESETS[vm.size];
    if (base === undefined) {
      report.problem(`${path}.size`, `${quote(vm.size)} is not a Fly size preset`, `use one of ${Object.keys(VM_PRESETS).join(", ")}, or set cpu_kind, cpus and memory`);
      return undefined;
    }
  }
  const kind = (vm.cpu_kind ?? base?.cpuKind ?? DEFAULT_GUEST.cpuKind) as CpuKind;
  if (!CPU_KINDS.includes(kind)) {
    report.problem(`${path}.cpu_kind`, `${quote(vm.cpu_kind)} is not a CPU kind`, 'use "shared" or "performance"');
    return undefined;
  }
  const cpus = vm.cpus ?? base?.cpus ?? 1;
  if (!cpuCountOffered(kind, cpus)) {
    report.problem(`${path}.cpus`, `${cpus} CPUs is not offered for ${kind} machines`, "use a CPU count Fly offers (see src/fly/guest.ts)");
    return undefined;
  }
  const memoryKey = vm.memory !== undefined ? "memory" : vm.memory_mb !== undefined ? "memory_mb" : undefined;
  let memory = base !== undefined && base.cpuKind === kind && base.cpus === cpus ? base.memoryMb : defaultMemory(kind, cpus);
  if (memoryKey !== undefined) {
    const mb = memoryMb(vm[memoryKey]);
    if (mb === undefined) {
      report.problem(`${path}.${memoryKey}`, `${quote(vm[memoryKey])} is not a memory size`, 'write it as "512mb", "1gb" or megabytes');
      return undefined;
    }
    memory = mb;
  }
  const rounded = roundMemoryUp(kind, cpus, memory);
  if (rounded === undefined) {
    report.problem(`${path}.${memoryKey ?? "size"}`, `${memory} MB is more than ${kind}-cpu-${cpus}x machines take`, "use more CPUs, or less memory");
    return undefined;
  }
  if (rounded !== memory) {
    report.note(`${path}.${memoryKey ?? "size"}`, `${memory} MB is not a size Fly accepts for ${kind}-cpu-${cpus}x; rounded up to ${rounded} MB`, "review memoryMb");
  }
  for (const key of ["kernel_args", "host_dedication_id"] as const) {
    if (vm[key] !== undefined) report.note(`${path}.${key}`, "flystack's guests have no such setting", "remove it, or keep this app on fly deploy");
  }
  return { cpuKind: kind, cpus, memoryMb: rounded };
}

/** `"10gb"`, `"500mb"` or a number of gigabytes, as whole gigabytes (rounded up). */
function sizeGb(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value > 0 ? Math.ceil(value) : undefined;
  if (typeof value !== "string") return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(gb|g|mb|m)?\s*$/i.exec(value);
  if (!match) return undefined;
  const gb = /^m/i.test(match[2] ?? "") ? Number(match[1]) / 1024 : Number(match[1]);
  return gb > 0 ? Math.ceil(gb) : undefined;
}

function volumesOf(toml: FlyToml, groups: readonly string[], report: Report): Map<string, VolumeConfig> {
  const volumes = new Map<string, VolumeConfig>();
  (toml.mounts ?? []).forEach((mount, m) => {
    const path = `mounts[${m}]`;
    const targets = groupsFor(mount.processes, groups, path, report);
    if (typeof mount.source !== "string" || !VOLUME_NAME.test(mount.source)) {
      report.problem(`${path}.source`, `${quote(mount.source)} is not a volume name flystack accepts`, "use lowercase letters, digits and underscores, starting with a letter");
      return;
    }
    if (typeof mount.destination !== "string" || !mount.destination.startsWith("/")) {
      report.problem(`${path}.destination`, "is not an absolute path", 'write the mount path, e.g. "/data"');
      return;
    }
    if (targets.length > 1) {
      report.problem(`${path}.processes`, `mounts one volume name into ${targets.length} process groups (${targets.join(", ")}); flystack gives each group volumes of its own name`, "name the one group that needs it in mounts.processes, or split the mount per group");
      return;
    }
    let size = 1;
    if (mount.initial_size === undefined) {
      report.note(`${path}.initial_size`, "is not set; Fly creates 1 GB volumes, and existing volumes may have been extended since", "set sizeGb to the live volumes' size (`fly volumes list`)");
    } else {
      const gb = sizeGb(mount.initial_size);
      if (gb === undefined) report.problem(`${path}.initial_size`, `${quote(mount.initial_size)} is not a size`, 'write it as "10gb"');
      else size = gb;
    }
    const volume: { -readonly [K in keyof VolumeConfig]: VolumeConfig[K] } = { name: mount.source, path: mount.destination, sizeGb: size };
    if (mount.snapshot_retention !== undefined) volume.snapshotRetentionDays = mount.snapshot_retention;
    if (typeof mount.scheduled_snapshots === "boolean") volume.autoBackup = mount.scheduled_snapshots;
    for (const key of ["auto_extend_size_threshold", "auto_extend_size_increment", "auto_extend_size_limit"] as const) {
      if (mount[key] !== undefined) report.note(`${path}.${key}`, "provider ampbase-io/fly 0.2 cannot extend volumes automatically", "watch the volume's usage and raise sizeGb");
    }
    for (const group of targets) {
      if (volumes.has(group)) report.problem(`${path}.processes`, `gives process group ${quote(group)} a second volume; flystack mounts one volume per group`, "keep one mount per group");
      else volumes.set(group, volume);
    }
  });
  return volumes;
}

function restartOf(toml: FlyToml, groups: readonly string[], report: Report): Map<string, RestartConfig> {
  const restarts = new Map<string, RestartConfig>();
  (toml.restart ?? []).forEach((restart, r) => {
    const path = `restart[${r}]`;
    const policy = restart.policy === "never" ? "no" : restart.policy === "always" || restart.policy === "on-failure" ? restart.policy : undefined;
    if (policy === undefined) {
      report.problem(`${path}.policy`, `${quote(restart.policy)} is not a restart policy`, 'use "always", "never" or "on-failure"');
      return;
    }
    if (restart.retries !== undefined && policy !== "on-failure") report.note(`${path}.retries`, `retries apply only to the "on-failure" policy, not ${quote(restart.policy)}`, "remove retries");
    const config: RestartConfig = policy === "on-failure" && restart.retries !== undefined ? { policy, maxRetries: restart.retries } : { policy };
    for (const group of groupsFor(restart.processes, groups, path, report)) restarts.set(group, config);
  });
  return restarts;
}

/** `[metrics]` (or `[[metrics]]` with `processes`): the endpoint Fly scrapes, per group. */
function metricsOf(toml: FlyToml, groups: readonly string[], report: Report): Map<string, MetricsConfig> {
  const metrics = new Map<string, MetricsConfig>();
  (toml.metrics ?? []).forEach((m, i) => {
    const path = `metrics[${i}]`;
    const port = m.port;
    if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) {
      report.problem(`${path}.port`, `${quote(port)} is not a port`, "set port to a number from 1 to 65535");
      return;
    }
    if (m.path !== undefined && (typeof m.path !== "string" || !m.path.startsWith("/"))) {
      report.problem(`${path}.path`, `${quote(m.path)} is not a path`, 'use a path starting with "/", such as "/metrics"');
      return;
    }
    if (m.https !== undefined) report.note(`${path}.https`, "flystack scrapes over http (the provider's https flag is not set)", "serve the metrics over http on the private network");
    const config: MetricsConfig = typeof m.path === "string" && m.path !== "/metrics" ? { port, path: m.path } : { port };
    for (const group of groupsFor(m.processes, groups, path, report)) {
      if (metrics.has(group)) report.note(`${path}.processes`, `process group ${quote(group)} already has a metrics endpoint; a machine has one`, "the first is kept");
      else metrics.set(group, config);
    }
  });
  return metrics;
}

/** Keys flystack has no setting for, reported with their reason and alternative. */
function unsupported(toml: FlyToml, report: Report): void {
  const experimental = toml.experimental ?? {};
  const simple: [string, unknown, string, string][] = [
    ["kill_signal", toml.kill_signal, "provider ampbase-io/fly 0.2 cannot set a machine's stop signal", "handle Fly's default SIGINT in the app"],
    ["kill_timeout", toml.kill_timeout, "provider ampbase-io/fly 0.2 cannot set a machine's stop timeout", "make the app shut down within Fly's default timeout"],
    ["swap_size_mb", toml.swap_size_mb, "provider ampbase-io/fly 0.2 cannot give machines swap", "choose a guest with enough memory"],
    ["console_command", toml.console_command, "a flyctl setting (`fly console`), not part of the machines", "run it with `fly ssh console -C …`"],
    ["host_dedication_id", toml.host_dedication_id, "flystack's machines have no host dedication setting", "keep this app on fly deploy if it needs dedicated hosts"],
  ];
  for (const [path, value, reason, instead] of simple) if (value !== undefined) report.note(path, reason, instead);
  for (const [key] of Object.entries(toml.build ?? {}).filter(([k]) => k !== "image")) report.note(`build.${key}`, "a build setting: flystack deploys an image that is already built", BUILD_INSTEAD);
  (toml.statics ?? []).forEach((_, i) => report.note(`statics[${i}]`, "Fly Proxy's static file serving is a fly deploy feature the provider cannot set", "serve the files from the app or a CDN (e.g. Tigris or Cloudflare)"));
  (toml.files ?? []).forEach((_, i) => report.note(`files[${i}]`, "provider ampbase-io/fly 0.2 cannot write files into machines", "bake the file into the image, or pass its content as a secret"));
  for (const key of Object.keys(experimental).filter((k) => k !== "cmd")) {
    report.note(`experimental.${key}`, "an experimental fly deploy setting flystack has no equivalent for", key === "entrypoint" || key === "exec" ? "bake it into the image's ENTRYPOINT/CMD" : "remove it");
  }
  const deploy = toml.deploy ?? {};
  for (const key of ["release_command_timeout", "release_command_vm", "max_unavailable", "wait_timeout"] as const) {
    if (deploy[key] !== undefined) report.note(`deploy.${key}`, "flystack's deploys have no such setting", "remove it; flystack's rolling deploy waits for each machine's checks");
  }
}

/** Translates one parsed fly.toml. Throws FlyTomlImportError listing everything that must be supplied. */
export function translateFlyToml(parsed: ParsedFlyToml, options: TranslateOptions = {}): Translation {
  const { toml } = parsed;
  const report = new Report();

  const name = typeof toml.app === "string" ? toml.app : "";
  if (!APP_NAME.test(name)) report.problem("app", toml.app === undefined ? "is missing" : `${quote(toml.app)} is not a Fly app name`, "set app to the Fly app's name");
  const appKey = options.appKey ?? name;
  if (!NAME.test(appKey) || appKey.length > 63) {
    report.problem("app", `${quote(appKey)} cannot be the app's key under apps (lowercase letters, digits and dashes, starting with a letter)`, "pass --app-key KEY");
  }
  const region = toml.primary_region;
  if (typeof region !== "string" || !isFlyRegion(region)) {
    report.problem("primary_region", region === undefined ? "is missing: flystack places machines by region" : `${quote(region)} is not a Fly region flystack knows`, "set primary_region to a region from `fly platform regions`");
  }

  // Process groups: one per [processes] entry, else Fly's default group "app".
  const processes = toml.processes ?? {};
  const groupNames = Object.keys(processes).length > 0 ? Object.keys(processes) : [DEFAULT_GROUP];
  for (const group of groupNames.filter((g) => !NAME.test(g) || g.length > 63)) {
    report.problem(`processes.${group}`, `${quote(group)} cannot name a flystack process group`, "rename the process: lowercase letters, digits and dashes, starting with a letter");
  }
  for (const group of Object.keys(options.groupImages ?? {}).filter((g) => !groupNames.includes(g))) {
    report.problem(`--image ${group}=…`, `names process group ${quote(group)}, which this fly.toml does not define`, `use one of ${groupNames.join(", ")}`);
  }
  const commands = new Map<string, string[]>();
  for (const [group, line] of Object.entries(processes)) {
    const words = command(line, `processes.${group}`, report);
    if (words) commands.set(group, words);
  }
  if (toml.experimental?.cmd !== undefined) {
    // [experimental] cmd overrides the image's CMD for the whole app; a [processes] command wins over it.
    const words = command(toml.experimental.cmd, "experimental.cmd", report);
    if (words) for (const group of groupNames.filter((g) => !commands.has(g))) commands.set(group, words);
  }

  // Plain env, except names that look like credentials: those become secrets (their value is not carried).
  const env: Record<string, string> = {};
  const secrets: Record<string, { version: string }> = {};
  for (const [key, value] of Object.entries(toml.env ?? {})) {
    if (!ENV_VAR_NAME.test(key)) {
      report.problem(`env.${key}`, `${quote(key)} is not an environment variable name flystack accepts`, "rename it: uppercase letters, digits and underscores");
    } else if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
      report.problem(`env.${key}`, "is not a string, number or boolean", "write the value as a string");
    } else if (credentialWord(key) !== undefined) {
      secrets[key] = { version: "1" };
      report.note(`env.${key}`, `looks like a credential (its name says ${credentialWord(key)}), and flystack keeps credentials out of plain env; declared under secrets instead, without its value`, `set its value as the secret's TF_VAR_ variable (\`flystack stacks --json\` lists it), and rotate it: it was readable in fly.toml`);
    } else env[key] = String(value);
  }

  const services = servicesOf(toml, groupNames, report);
  const volumes = volumesOf(toml, groupNames, report);
  const restarts = restartOf(toml, groupNames, report);
  const metrics = metricsOf(toml, groupNames, report);
  const machineChecks = new Map<string, CheckConfig[]>();
  for (const [checkName, check] of Object.entries(toml.checks ?? {})) {
    const path = `checks.${checkName}`;
    const type = check.type === "http" || check.type === "tcp" ? check.type : undefined;
    if (type === undefined) {
      report.problem(`${path}.type`, `${quote(check.type)} is not a check type`, 'use "http" or "tcp"');
      continue;
    }
    if (typeof check.port !== "number") {
      report.problem(`${path}.port`, "a machine-level check needs a port", "add the port to check");
      continue;
    }
    const config = checkOf(check, type, path, report, "machine");
    if (config) for (const group of groupsFor(check.processes, groupNames, path, report)) machineChecks.set(group, [...(machineChecks.get(group) ?? []), config]);
  }

  const strategy = toml.deploy?.strategy;
  let deployStrategy: "rolling" | "immediate" | undefined;
  if (strategy === "rolling" || strategy === "immediate") deployStrategy = strategy;
  else if (strategy === "canary" || strategy === "bluegreen") {
    deployStrategy = "rolling";
    report.note("deploy.strategy", `flystack has no ${strategy} deploy; written as "rolling" (one machine at a time, each waiting for its checks, the first acting as canary)`, "review deploy.strategy");
  } else if (strategy !== undefined) report.problem("deploy.strategy", `${quote(strategy)} is not a deploy strategy`, 'use "rolling" or "immediate"');
  const release = toml.deploy?.release_command === undefined ? undefined : command(toml.deploy.release_command, "deploy.release_command", report);
  unsupported(toml, report);
  for (const key of parsed.unknownKeys) report.note(key, "is not a key of fly.toml's documented reference", "check its spelling; nothing was written for it");

  const groups: Record<string, ProcessGroupConfig> = {};
  for (const [index, group] of groupNames.entries()) {
    const image = options.groupImages?.[group] ?? options.image ?? toml.build?.image;
    const imagePath = options.groupImages?.[group] !== undefined ? `--image ${group}=…` : options.image !== undefined ? "--image" : "build.image";
    if (image === undefined) {
      report.problem("build.image", `fly.toml builds the image of process group ${quote(group)} (fly deploy builds and pushes it); flystack deploys an image that is already pushed`, "push the image and pass --image REF (or --image GROUP=REF per process group), pinned by digest or by a tag other than latest");
    } else if (typeof image !== "string" || imagePinProblem(image) !== undefined) {
      report.problem(imagePath, typeof image === "string" ? imagePinProblem(image)! : "is not a string", "pass --image REF with a digest (@sha256:…) or a tag other than latest");
    }
    const guest = guestOf(toml, group, report);
    const own = services.filter((s) => s.groups.includes(group)).map((s) => s.service);
    // fly.toml sets no machine count (`fly scale count` does): one per region, or as many as must keep running.
    const count = Math.max(1, ...own.map((s) => s.minMachinesRunning ?? 0));
    if (commands.has(group) && volumes.has(group)) {
      report.problem(`processes.${group}`, "a group with a volume cannot set command in flystack (the provider's containers take no mounts)", "bake the command into the image's CMD and drop it from [processes], or move the volume to a group without a command");
    }
    if (typeof image !== "string" || guest === undefined || typeof region !== "string") continue;
    groups[group] = {
      image,
      ...(commands.has(group) ? { command: commands.get(group) } : {}),
      guest,
      regions: [region],
      ...(count > 1 ? { count } : {}),
      ...(Object.keys(env).length > 0 ? { env: { ...env } } : {}),
      ...(own.length > 0 ? { services: own } : {}),
      ...(machineChecks.has(group) ? { checks: machineChecks.get(group) } : {}),
      ...(restarts.has(group) ? { restart: restarts.get(group) } : {}),
      ...(volumes.has(group) ? { volume: volumes.get(group) } : {}),
      ...(metrics.has(group) ? { metrics: metrics.get(group) } : {}),
      ...(deployStrategy !== undefined ? { deploy: { strategy: deployStrategy } } : {}),
      // Fly runs release_command once per deploy; flystack runs it for one group: the first.
      ...(release !== undefined && index === 0 ? { release: { command: release } } : {}),
    };
  }
  if (report.problems.length > 0) throw new FlyTomlImportError(report.problems);

  const counts = Object.entries(groups).map(([g, c]) => `${g}: ${c.count ?? 1}`);
  report.note("(machines)", `fly.toml sets no machine count (\`fly scale count\` does); written ${counts.join(", ")} in ${region}, the primary region (more where min_machines_running needs them)`, "set count and regions to what `fly scale show` lists");
  report.note("(secrets)", "fly.toml holds no secrets: they are set on Fly (`fly secrets list`)", "declare each secret name under secrets with a version; `flystack import app` reads them from the live app");
  const hasServices = Object.values(groups).some((g) => (g.services ?? []).length > 0);
  const app: AppConfig = {
    name,
    // An app without services is reached by nobody through Fly Proxy: it needs no public address.
    ...(hasServices ? {} : { ips: { sharedIpv4: false, ipv6: false } }),
    ...(Object.keys(secrets).length > 0 ? { secrets } : {}),
    groups,
  };
  return { appKey, app, report: report.notes };
}
