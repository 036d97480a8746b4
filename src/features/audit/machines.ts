/**
 * Machines: declared (fly_machine) against live, matched by name, compared by meaning (an absent field
 * is Fly's default: src/fly/defaults.ts; services and checks: ./services.ts). Pure.
 */
import { createHash } from "node:crypto";
import type { FlyMachine, FlyVolume } from "../../fly/api/client";
import { GUEST, METRICS_PATH, RESTART_POLICY } from "../../fly/defaults";
import type { Declared } from "./desired";
import { allowsAutostop, normalizeMachineChecks, normalizeServices, withUnstatedDurations } from "./services";
import type { Finding } from "./types";

export { allowsAutostop } from "./services";

type Attrs = Record<string, unknown>;
type Out = Omit<Finding, "app">;

const arr = (v: unknown): Attrs[] => (Array.isArray(v) ? (v as Attrs[]) : v && typeof v === "object" ? [v as Attrs] : []);
const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));

/** The digest of an image reference pinned with @sha256, else undefined. */
export const digestOf = (image: string | undefined): string | undefined => image?.match(/@(sha256:[0-9a-f]{64})$/)?.[1];

/** Env as declared: the machine's own `env` plus its containers' env. */
function declaredEnv(attrs: Attrs): Record<string, string> {
  return Object.assign({}, ...arr(attrs.container).map((c) => c.env ?? {}), attrs.env ?? {}) as Record<string, string>;
}

function liveEnv(m: FlyMachine): Record<string, string> {
  return Object.assign({}, ...(m.config?.containers ?? []).map((c) => c.env ?? {}), m.config?.env ?? {}) as Record<string, string>;
}

/** A machine's or container's files as comparable strings: path, mode, and a short digest of the content (never the content: it may be configuration a reviewer need not see whole). */
function normalizeFiles(files: readonly Attrs[]): string[] {
  const digest = (raw: unknown) => (raw === undefined ? "secret" : createHash("sha256").update(String(raw)).digest("hex").slice(0, 12));
  return files.map((f) => `${String(f.guest_path)} mode=${str(f.mode) ?? "default"} content=${f.secret_name !== undefined ? `secret ${String(f.secret_name)}` : digest(f.raw_value)}`).sort();
}

/** Containers, compared only in what a declaration sets: presence by name, image (by digest when pinned), cmd, entrypoint, secret names, files. */
function compareContainers(declared: readonly Attrs[], live: readonly Attrs[], push: (field: string, expected: unknown, actual: unknown) => void): void {
  if (declared.length === 0 && live.length === 0) return;
  const names = (list: readonly Attrs[]) => list.map((c) => String(c.name ?? "")).sort();
  if (JSON.stringify(names(declared)) !== JSON.stringify(names(live))) push("containers", names(declared).join(", ") || "(none)", names(live).join(", ") || "(none)");
  const byName = new Map(live.map((c) => [String(c.name ?? ""), c]));
  for (const d of declared) {
    const l = byName.get(String(d.name ?? ""));
    if (!l) continue;
    const field = (key: string) => `containers.${String(d.name)}.${key}`;
    const image = str(d.image);
    if (image && (digestOf(image) ? digestOf(image) !== digestOf(str(l.image)) : image !== str(l.image))) push(field("image"), image, l.image);
    for (const key of ["cmd", "entrypoint"] as const)
      if (d[key] !== undefined && JSON.stringify(d[key]) !== JSON.stringify(l[key] ?? [])) push(field(key), d[key], l[key] ?? []);
    const secretNames = (list: unknown) => arr(list).map((s) => `${s.env_var ?? s.name}=${s.name}`).sort();
    if (d.secret !== undefined && JSON.stringify(secretNames(d.secret)) !== JSON.stringify(secretNames(l.secrets))) push(field("secrets"), secretNames(d.secret).join(", "), secretNames(l.secrets).join(", ") || "(none)");
    // The monitoring app's rules and Alertmanager configuration live here: an edit with flyctl shows.
    if (d.file !== undefined) {
      const [want, have] = [normalizeFiles(arr(d.file)), normalizeFiles(arr(l.files))];
      if (JSON.stringify(want) !== JSON.stringify(have)) push(field("files"), want.join("; "), have.join("; ") || "(none)");
    }
  }
}

export function envDiff(expected: Record<string, string>, actual: Record<string, string>): { added: string[]; removed: string[]; changed: string[] } {
  const keys = (o: object) => Object.keys(o).sort();
  return {
    added: keys(actual).filter((k) => !(k in expected)),
    removed: keys(expected).filter((k) => !(k in actual)),
    changed: keys(expected).filter((k) => k in actual && expected[k] !== actual[k]),
  };
}

/**
 * Machine states in Fly's documentation (machines/machine-states): persistent, transient and terminal.
 * A state outside this list is reported by name, never ignored.
 */
const KNOWN_STATES = new Set(["created", "started", "stopped", "suspended", "failed", "creating", "starting", "stopping", "restarting", "suspending", "destroying", "launch_failed", "updating", "replacing", "destroyed", "replaced", "migrated"]);
/** States of a machine that is gone or going: not compared, not counted. */
export const GONE_STATES = new Set(["destroyed", "destroying", "replaced", "migrated"]);

/** Findings of one declared machine against its live counterpart. `volumes` names live volume ids for mounts. */
export function compareMachine(declared: Declared, live: FlyMachine, volumes: readonly FlyVolume[]): Out[] {
  const a = declared.attrs;
  const out: Out[] = [];
  const push = (field: string, expected: unknown, actual: unknown, severity: Finding["severity"] = "drift") => out.push({ resource: declared.address, field, expected, actual, severity });

  const declaredServices = arr(a.service);
  const state = live.state ?? "unknown";
  if (state === "failed" || state === "launch_failed") push("state", "started", state);
  else if ((state === "stopped" || state === "suspended") && !allowsAutostop(declaredServices)) push("state", "started", state);
  else if (!KNOWN_STATES.has(state)) push("state", "started", `${state} (a machine state flystack does not know)`, "warning");

  // A host Fly cannot reach answers `incomplete_config` instead of `config` (fly-go Machine.GetConfig): nothing to compare.
  if (!live.config) {
    push("config", "the machine's config", `not answered (host ${live.host_status ?? "status unknown"}); not compared`, "warning");
    if (a.region !== undefined && a.region !== live.region) push("region", a.region, live.region);
    return out;
  }
  const c = live.config;

  const image = str(a.image);
  if (image) {
    const wanted = digestOf(image);
    const liveDigest = live.image_ref?.digest ?? digestOf(c.image);
    if (wanted ? wanted !== liveDigest && wanted !== digestOf(c.image) : image !== c.image) push("image", image, c.image);
  }

  const g = (a.guest ?? {}) as Attrs;
  for (const key of ["cpu_kind", "cpus", "memory_mb"] as const)
    if (g[key] !== undefined && str(g[key]) !== str(c.guest?.[key] ?? GUEST[key])) push(`guest.${key}`, g[key], c.guest?.[key] ?? GUEST[key]);

  const env = envDiff(declaredEnv(a), liveEnv(live));
  const parts = [env.added.length ? `added ${env.added.join(", ")}` : "", env.removed.length ? `removed ${env.removed.join(", ")}` : "", env.changed.length ? `changed ${env.changed.join(", ")}` : ""].filter(Boolean);
  if (parts.length) push("env", `keys ${Object.keys(declaredEnv(a)).sort().join(", ") || "(none)"}`, parts.join("; "));

  const wantServices = normalizeServices(declaredServices, "port", "check");
  const haveServices = normalizeServices(withUnstatedDurations(declaredServices, (c.services ?? []) as Attrs[]), "ports", "checks");
  if (JSON.stringify(wantServices) !== JSON.stringify(haveServices)) push("services", wantServices.join("; "), haveServices.join("; "));

  const wantChecks = normalizeMachineChecks(arr(a.check).map((ch) => [str(ch.name), ch]));
  // An interval, timeout or grace period Fly leaves out: its default is not documented, so the declared value stands in.
  const declaredChecks = new Map(arr(a.check).map((ch) => [str(ch.name), ch]));
  const haveChecks = normalizeMachineChecks(
    Object.entries((c.checks ?? {}) as Record<string, Attrs>).map(([name, ch]) => {
      const twin = declaredChecks.get(name) ?? {};
      return [name, { ...ch, interval: ch.interval ?? twin.interval, timeout: ch.timeout ?? twin.timeout, grace_period: ch.grace_period ?? twin.grace_period }];
    }),
  );
  if (JSON.stringify(wantChecks) !== JSON.stringify(haveChecks)) push("checks", wantChecks.join("; ") || "(none)", haveChecks.join("; ") || "(none)");

  compareContainers(arr(a.container), (c.containers ?? []) as Attrs[], push);

  // Files Fly writes into the machine itself (a group's `files` without a command).
  if (a.file !== undefined || (c.files ?? []).length > 0) {
    const [want, have] = [normalizeFiles(arr(a.file)), normalizeFiles((c.files ?? []) as Attrs[])];
    if (JSON.stringify(want) !== JSON.stringify(have)) push("files", want.join("; ") || "(none)", have.join("; ") || "(none)");
  }

  // The endpoint Fly scrapes (a group's `metrics`); Fly's default path is /metrics.
  const metrics = a.metrics as Attrs | undefined;
  if (metrics !== undefined) {
    const endpoint = (m: Attrs | undefined) => (m?.port === undefined ? "(none)" : `:${str(m.port)}${str(m.path) ?? METRICS_PATH}${m.https === true ? " (https)" : ""}`);
    if (endpoint(metrics) !== endpoint(c.metrics as Attrs | undefined)) push("metrics", endpoint(metrics), endpoint(c.metrics as Attrs | undefined));
  }

  const restart = (a.restart ?? {}) as Attrs;
  if (restart.policy !== undefined && restart.policy !== (c.restart?.policy ?? RESTART_POLICY)) push("restart.policy", restart.policy, c.restart?.policy ?? RESTART_POLICY);
  if (restart.max_retries !== undefined && str(restart.max_retries) !== str(c.restart?.max_retries)) push("restart.max_retries", restart.max_retries, c.restart?.max_retries);

  // By the volume's id: a mount whose volume is gone names no live volume, whatever name it kept.
  const mountedName = (m: { volume?: string; name?: string }) => (m.volume === undefined ? m.name : (volumes.find((v) => v.id === m.volume)?.name ?? `missing volume ${m.volume}`));
  // A declared mount names a fly_volume (`volume:<name>`) or, for an adopted volume, its id.
  const wantMounts = arr(a.mount).map((m) => `${m.path}=${String(m.volume).startsWith("volume:") ? String(m.volume).slice("volume:".length) : (volumes.find((v) => v.id === m.volume)?.name ?? `missing volume ${String(m.volume)}`)}`).sort();
  const haveMounts = (c.mounts ?? []).map((m) => `${m.path}=${mountedName(m)}`).sort();
  if (JSON.stringify(wantMounts) !== JSON.stringify(haveMounts)) push("mounts", wantMounts.join(", ") || "(none)", haveMounts.join(", ") || "(none)");

  if (a.region !== undefined && a.region !== live.region) push("region", a.region, live.region);
  return out;
}

/** Every machine finding of an app: missing, unmanaged, and per-machine differences. */
export function auditMachines(declared: readonly Declared[], live: readonly FlyMachine[], volumes: readonly FlyVolume[]): Out[] {
  const out: Out[] = [];
  const alive = live.filter((m) => !GONE_STATES.has(m.state ?? ""));
  const byName = new Map(alive.map((m) => [m.name, m]));
  const names = new Set(declared.map((d) => String(d.attrs.name)));
  for (const d of declared) {
    const m = byName.get(String(d.attrs.name));
    if (!m) out.push({ resource: d.address, field: "machine", expected: String(d.attrs.name), actual: "missing", severity: "drift" });
    else out.push(...compareMachine(d, m, volumes));
  }
  for (const m of alive) {
    if (names.has(m.name ?? "")) continue;
    const managed = m.config?.metadata?.flystack_managed_by;
    out.push({ resource: m.id ?? m.name ?? "?", field: "machine", expected: "none", actual: `${m.name} (${m.state}${managed ? "" : ", no flystack metadata"})`, severity: "drift" });
  }
  return out;
}
