/**
 * Reads a `fly.toml` (Fly Launch's app configuration, fly.io/docs/reference/configuration) into a
 * typed view. Parsing is smol-toml's; this file only names the documented keys, folds the forms Fly
 * accepts for one thing into one (`[mounts]` or `[[mounts]]`, `[vm]` or `[[vm]]`), and lists every
 * key it does not know, so the import can report it instead of dropping it silently.
 */
import { parse as parseToml, TomlError } from "smol-toml";

/** A TOML value as the typed view leaves it: checked where it is used (translate.ts). */
export type TomlValue = unknown;

export interface FlyCheck {
  readonly type?: string;
  readonly port?: number;
  readonly path?: string;
  readonly interval?: string | number;
  readonly timeout?: string | number;
  readonly grace_period?: string | number;
  readonly method?: string;
  readonly protocol?: string;
  readonly tls_skip_verify?: boolean;
  readonly tls_server_name?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly restart_limit?: number;
  readonly processes?: readonly string[];
}

export interface FlyPort {
  readonly port?: number;
  readonly start_port?: number;
  readonly end_port?: number;
  readonly handlers?: readonly string[];
  readonly force_https?: boolean;
  readonly http_options?: TomlValue;
  readonly tls_options?: TomlValue;
  readonly proxy_proto_options?: TomlValue;
}

export interface FlyConcurrency {
  readonly type?: string;
  readonly soft_limit?: number;
  readonly hard_limit?: number;
}

/** What `[http_service]` and each `[[services]]` share. */
export interface FlyServiceCommon {
  readonly internal_port?: number;
  readonly processes?: readonly string[];
  readonly auto_stop_machines?: boolean | string;
  readonly auto_start_machines?: boolean;
  readonly min_machines_running?: number;
  readonly concurrency?: FlyConcurrency;
}

export interface FlyHttpService extends FlyServiceCommon {
  readonly force_https?: boolean;
  readonly checks?: readonly FlyCheck[];
  readonly http_options?: TomlValue;
  readonly tls_options?: TomlValue;
}

export interface FlyService extends FlyServiceCommon {
  readonly protocol?: string;
  readonly ports?: readonly FlyPort[];
  readonly tcp_checks?: readonly FlyCheck[];
  readonly http_checks?: readonly FlyCheck[];
}

export interface FlyVm {
  readonly size?: string;
  readonly memory?: string | number;
  readonly memory_mb?: number;
  readonly cpus?: number;
  readonly cpu_kind?: string;
  readonly gpus?: number;
  readonly gpu_kind?: string;
  readonly kernel_args?: TomlValue;
  readonly host_dedication_id?: string;
  readonly processes?: readonly string[];
}

export interface FlyMount {
  readonly source?: string;
  readonly destination?: string;
  readonly initial_size?: string | number;
  readonly processes?: readonly string[];
  readonly snapshot_retention?: number;
  readonly scheduled_snapshots?: boolean;
  readonly auto_extend_size_threshold?: number;
  readonly auto_extend_size_increment?: string;
  readonly auto_extend_size_limit?: string;
}

export interface FlyRestart {
  readonly policy?: string;
  readonly retries?: number;
  readonly processes?: readonly string[];
}

export interface FlyDeploy {
  readonly release_command?: string;
  readonly strategy?: string;
  readonly release_command_timeout?: string;
  readonly release_command_vm?: TomlValue;
  readonly max_unavailable?: number;
  readonly wait_timeout?: string;
}

export interface FlyToml {
  readonly app?: string;
  readonly primary_region?: string;
  readonly kill_signal?: string;
  readonly kill_timeout?: string | number;
  readonly swap_size_mb?: number;
  readonly console_command?: string;
  readonly host_dedication_id?: string;
  readonly build?: { readonly image?: string } & Readonly<Record<string, TomlValue>>;
  readonly deploy?: FlyDeploy;
  readonly env?: Readonly<Record<string, TomlValue>>;
  /** Process name → command line. */
  readonly processes?: Readonly<Record<string, string | readonly string[]>>;
  readonly http_service?: FlyHttpService;
  readonly services?: readonly FlyService[];
  /** Top-level (machine) checks by name. */
  readonly checks?: Readonly<Record<string, FlyCheck>>;
  readonly vm?: readonly FlyVm[];
  readonly mounts?: readonly FlyMount[];
  readonly metrics?: readonly Readonly<Record<string, TomlValue>>[];
  readonly restart?: readonly FlyRestart[];
  readonly statics?: readonly Readonly<Record<string, TomlValue>>[];
  readonly files?: readonly Readonly<Record<string, TomlValue>>[];
  readonly experimental?: Readonly<Record<string, TomlValue>>;
}

export interface ParsedFlyToml {
  readonly toml: FlyToml;
  /** Paths (`services[0].foo`) of keys fly.toml's reference does not document, in file order. */
  readonly unknownKeys: readonly string[];
}

/** A fly.toml that is not TOML: where, and the parser's reason (never a stack trace). */
export class FlyTomlSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${column}: ${reason}`);
    this.name = "FlyTomlSyntaxError";
  }
}

/**
 * The documented keys, as a tree: `true` a key whose value is taken whole (or reported whole),
 * an object a table with those keys, `{ "*": … }` a table of names chosen by the user. Arrays of
 * tables are walked element by element.
 */
type Known = true | { readonly [key: string]: Known };
const CHECK: Known = Object.fromEntries(
  ["type", "port", "path", "interval", "timeout", "grace_period", "method", "protocol", "tls_skip_verify", "tls_server_name", "headers", "restart_limit", "processes"].map((k) => [k, true]),
);
const SERVICE_COMMON = { internal_port: true, processes: true, auto_stop_machines: true, auto_start_machines: true, min_machines_running: true, concurrency: { type: true, soft_limit: true, hard_limit: true } } as const;
const KNOWN: Known = {
  app: true,
  primary_region: true,
  kill_signal: true,
  kill_timeout: true,
  swap_size_mb: true,
  console_command: true,
  host_dedication_id: true,
  // Everything in [build] but `image` is reported as a build setting, so its keys are not judged.
  build: true,
  deploy: { release_command: true, strategy: true, release_command_timeout: true, release_command_vm: true, max_unavailable: true, wait_timeout: true },
  env: true,
  processes: true,
  http_service: { ...SERVICE_COMMON, force_https: true, checks: CHECK, http_options: true, tls_options: true },
  services: {
    ...SERVICE_COMMON,
    protocol: true,
    ports: { port: true, start_port: true, end_port: true, handlers: true, force_https: true, http_options: true, tls_options: true, proxy_proto_options: true },
    tcp_checks: CHECK,
    http_checks: CHECK,
  },
  checks: { "*": CHECK },
  vm: Object.fromEntries(["size", "memory", "memory_mb", "cpus", "cpu_kind", "gpus", "gpu_kind", "kernel_args", "host_dedication_id", "processes"].map((k) => [k, true])),
  mounts: Object.fromEntries(
    ["source", "destination", "initial_size", "processes", "snapshot_retention", "scheduled_snapshots", "auto_extend_size_threshold", "auto_extend_size_increment", "auto_extend_size_limit"].map((k) => [k, true]),
  ),
  metrics: true,
  restart: { policy: true, retries: true, processes: true },
  statics: true,
  files: true,
  experimental: true,
};

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function unknownKeysOf(value: unknown, known: Known, at: string): string[] {
  if (known === true) return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => unknownKeysOf(v, known, `${at}[${i}]`));
  if (!isTable(value)) return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const path = at === "" ? key : `${at}.${key}`;
    const sub = known["*"] ?? known[key];
    return sub === undefined ? [path] : unknownKeysOf(v, sub, path);
  });
}

/** `[x]` and `[[x]]` both mean "one or more": always an array. */
function asList<T>(value: unknown): T[] | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value]) as T[];
}

/**
 * Parses fly.toml text. Throws FlyTomlSyntaxError (with the line and column) when it is not TOML,
 * or when its top level is not the table fly.toml is.
 */
export function parseFlyToml(text: string, file: string): ParsedFlyToml {
  let raw: Record<string, unknown>;
  try {
    raw = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    // smol-toml's message is "Invalid TOML document: <reason>" followed by a code excerpt; the reason is the useful line.
    const reason = error.message.split("\n")[0].replace(/^Invalid TOML document: /, "");
    throw new FlyTomlSyntaxError(file, error.line, error.column, reason);
  }
  const toml: FlyToml = {
    ...(raw as FlyToml),
    vm: asList<FlyVm>(raw.vm),
    mounts: asList<FlyMount>(raw.mounts),
    metrics: asList<Record<string, unknown>>(raw.metrics),
    restart: asList<FlyRestart>(raw.restart),
    statics: asList<Record<string, unknown>>(raw.statics),
    files: asList<Record<string, unknown>>(raw.files),
    services: asList<FlyService>(raw.services),
  };
  return { toml, unknownKeys: unknownKeysOf(raw, KNOWN, "") };
}
