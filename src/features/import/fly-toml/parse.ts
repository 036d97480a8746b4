/**
 * Reads a `fly.toml` (Fly Launch's app configuration, fly.io/docs/reference/configuration) into one
 * normalized view. Parsing is smol-toml's; this file folds the forms flyctl accepts for one thing into
 * one, as flyctl's own reader does (superfly/flyctl internal/appconfig/patches.go and serde.go):
 * - `[vm]`, `[[vm]]`, `[compute]`, `[[compute]]`, `[[computes]]` → `vm` (a list);
 * - `[mounts]`, `[[mounts]]`, `[mount]` → `mounts`; `[metrics]`, `[[metrics]]`, `[metric]` → `metrics`;
 * - `[env]` or `[[env]]` (tables merged) → `env`;
 * - `[processes]`, the V1 `processes = []`, and the legacy `[[processes]]` with `name`/`command` → a map;
 * - `[checks.<name>]`, or the legacy list of checks with `name` → a map; `services = []` → none.
 * It also knows every documented key (KNOWN), so the import can tell a key it forgot from one Fly
 * never documented (translate.ts reports both, never drops one silently).
 */
import { parse as parseToml, TomlError } from "smol-toml";

export type Table = Record<string, unknown>;

/** The normalized fly.toml: every list a list, every alias folded. Values stay as the file has them. */
export interface FlyToml extends Table {
  readonly vm?: Table[];
  readonly mounts?: Table[];
  readonly metrics?: Table[];
  readonly restart?: Table[];
  readonly statics?: Table[];
  readonly files?: Table[];
  readonly services?: Table[];
  readonly env?: Table;
  readonly processes?: Record<string, unknown>;
  readonly checks?: Record<string, Table>;
}

export interface ParsedFlyToml {
  readonly toml: FlyToml;
  /** Aliases folded (`mount` → `mounts`): the file's key, and where its value went. */
  readonly aliases: readonly { readonly from: string; readonly to: string }[];
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
 * The documented keys (Fly's fly.toml reference and flyctl's Config struct), as a tree: `true` a key
 * taken whole, an object a table with those keys, `{ "*": … }` a table of names the user chooses.
 * Lists of tables are walked element by element.
 */
export type Known = true | { readonly [key: string]: Known };
const keys = (...names: string[]): Known => Object.fromEntries(names.map((k) => [k, true]));
const CHECK = keys("type", "port", "path", "interval", "timeout", "grace_period", "method", "protocol", "tls_skip_verify", "tls_server_name", "headers", "restart_limit", "processes", "kind");
const MACHINE_CHECK = keys("image", "entrypoint", "command", "kill_signal", "kill_timeout");
const HTTP_OPTIONS: Known = { compress: true, h2_backend: true, idle_timeout: true, headers_read_timeout: true, replay_cache: true, response: { pristine: true, headers: true } };
const SERVICE_COMMON = { internal_port: true, processes: true, auto_stop_machines: true, auto_start_machines: true, min_machines_running: true, concurrency: keys("type", "soft_limit", "hard_limit"), machine_checks: MACHINE_CHECK } as const;
const VM = keys("size", "memory", "memory_mb", "cpus", "cpu_kind", "gpus", "gpu_kind", "kernel_args", "host_dedication_id", "persist_rootfs", "processes");
export const KNOWN: Known = {
  app: true,
  primary_region: true,
  kill_signal: true,
  kill_timeout: true,
  swap_size_mb: true,
  console_command: true,
  host_dedication_id: true,
  machine_config: true,
  container: true,
  machine_checks: MACHINE_CHECK,
  // Everything in [build] but `image` is a build setting: taken whole.
  build: true,
  deploy: { release_command: true, strategy: true, release_command_timeout: true, release_command_vm: VM, max_unavailable: true, wait_timeout: true, seed_command: true },
  env: true,
  processes: true,
  http_service: { ...SERVICE_COMMON, force_https: true, checks: CHECK, http_options: HTTP_OPTIONS, tls_options: keys("alpn", "versions", "default_self_signed") },
  services: {
    ...SERVICE_COMMON,
    protocol: true,
    ports: { port: true, start_port: true, end_port: true, handlers: true, force_https: true, http_options: HTTP_OPTIONS, tls_options: keys("alpn", "versions", "default_self_signed"), proxy_proto_options: keys("version") },
    tcp_checks: CHECK,
    http_checks: CHECK,
    script_checks: true,
  },
  checks: { "*": CHECK },
  vm: VM,
  mounts: keys("source", "destination", "initial_size", "processes", "snapshot_retention", "scheduled_snapshots", "auto_extend_size_threshold", "auto_extend_size_increment", "auto_extend_size_limit"),
  metrics: keys("port", "path", "https", "processes"),
  restart: keys("policy", "retries", "processes"),
  statics: keys("guest_path", "url_prefix", "tigris_bucket", "index_document"),
  files: keys("guest_path", "local_path", "raw_value", "secret_name", "processes"),
  experimental: keys("cmd", "entrypoint", "exec", "auto_rollback", "enable_consul", "enable_etcd", "lazy_load_images", "attached", "machine_config", "use_zstd", "kill_timeout", "metrics_port", "metrics_path", "allowed_public_ports", "private_network"),
};

export function isTable(value: unknown): value is Table {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** `[x]` and `[[x]]` both mean "one or more": always a list. */
function asList(value: unknown): Table[] | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value]) as Table[];
}

/**
 * Parses fly.toml text. Throws FlyTomlSyntaxError (with the line and column) when it is not TOML.
 */
export function parseFlyToml(text: string, file: string): ParsedFlyToml {
  let raw: Table;
  try {
    raw = parseToml(text) as Table;
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    // smol-toml's message is "Invalid TOML document: <reason>" followed by a code excerpt; the reason is the useful line.
    const reason = error.message.split("\n")[0].replace(/^Invalid TOML document: /, "");
    throw new FlyTomlSyntaxError(file, error.line, error.column, reason);
  }
  const aliases: { from: string; to: string }[] = [];
  const out: Table = { ...raw };
  /** Folds each alias present into `to`, as a list, in the order flyctl merges them. */
  const fold = (to: string, names: readonly string[]) => {
    const lists = names.filter((n) => raw[n] !== undefined).map((n) => {
      delete out[n];
      if (n !== to) aliases.push({ from: n, to });
      return asList(raw[n]) ?? [];
    });
    if (lists.length > 0) out[to] = lists.flat();
  };
  fold("vm", ["vm", "compute", "computes"]);
  fold("mounts", ["mounts", "mount"]);
  fold("metrics", ["metrics", "metric"]);
  for (const key of ["restart", "statics", "files"]) if (raw[key] !== undefined) out[key] = asList(raw[key]);
  // `services = []` (Apps V1) is no service.
  if (raw.services !== undefined) out.services = asList(raw.services);
  // [[env]]: tables merged, later keys winning.
  if (Array.isArray(raw.env)) out.env = Object.assign({}, ...(raw.env as unknown[]).filter(isTable));
  // The V1 `processes = []` is no process; `[[processes]]` with name/command is the legacy map.
  if (Array.isArray(raw.processes)) {
    out.processes = Object.fromEntries((raw.processes as unknown[]).filter(isTable).filter((p) => typeof p.name === "string").map((p) => [p.name as string, p.command ?? ""]));
  }
  // The legacy list of checks, each with a name.
  if (Array.isArray(raw.checks)) {
    out.checks = Object.fromEntries((raw.checks as unknown[]).filter(isTable).map((c, i) => [typeof c.name === "string" ? c.name : `check_${i}`, Object.fromEntries(Object.entries(c).filter(([k]) => k !== "name"))]));
  }
  return { toml: out as FlyToml, aliases };
}

/** Every leaf key of `value` (tables walked, lists of tables element by element), as `a.b[0].c` paths. */
export function leafPaths(value: unknown, at = ""): string[] {
  const join = (key: string) => (at === "" ? key : `${at}.${key}`);
  if (Array.isArray(value) && value.length > 0 && value.every(isTable)) return value.flatMap((v, i) => leafPaths(v, `${at}[${i}]`));
  if (!isTable(value) || Object.keys(value).length === 0) return at === "" ? [] : [at];
  return Object.entries(value).flatMap(([key, v]) => leafPaths(v, join(key)));
}

/** Whether the key at `path` (as leafPaths writes it) is in fly.toml's documented reference. */
export function isDocumented(path: string): boolean {
  let known: Known = KNOWN;
  for (const segment of path.replace(/\[\d+\]/g, "").split(".")) {
    if (known === true) return true;
    const next: Known | undefined = known["*"] ?? known[segment];
    if (next === undefined) return false;
    known = next;
  }
  return true;
}
