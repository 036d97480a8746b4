/**
 * The forms Fly's answers come in. The fake keeps one canonical state and, at the HTTP boundary,
 * writes each answer in the forms a variant names, so every reader of Fly's answers (flystack's client,
 * audit, import, drift; and the provider double) is tested against each documented spelling of the
 * same state. Each variant's source is in __tests__/fakes/README.md. Pure functions of their input.
 */
import { durationMs, goDuration } from "../../../src/fly/duration";
import type { IPAssignment, Machine, Schemas, Volume } from "./model";

/** How one variant writes answers. */
export interface AnswerForms {
  /** `services[].autostop`: as stored ("off"/"stop"/"suspend"), or booleans for off and stop. */
  readonly autostop: "string" | "boolean";
  /** Check durations: as sent, Go's spelling ("1m0s"), or nanoseconds (a JSON number). */
  readonly durations: "as-sent" | "go" | "nanoseconds";
  /** Fields a flyctl-made machine leaves unset, left out where they hold Fly's default. */
  readonly omitDefaults: boolean;
  /** `null` for empty lists and maps and for unset optional fields, as older answers wrote them. */
  readonly nulls: boolean;
  /** A Flycast address's `network` object left out (answers before `network` existed). */
  readonly flycastWithoutNetwork: boolean;
  /** List endpoints asked with `limit` answer pages this long, with one empty page in between. @default whole lists */
  readonly pageSize?: number;
  /** Fields flystack does not read (documented but unused, and unknown), on every object. */
  readonly unknownFields: boolean;
}

const CANONICAL: AnswerForms = { autostop: "string", durations: "as-sent", omitDefaults: false, nulls: false, flycastWithoutNetwork: false, unknownFields: false };

export const ANSWER_VARIANTS = {
  canonical: CANONICAL,
  "autostop-booleans": { ...CANONICAL, autostop: "boolean" },
  "go-durations": { ...CANONICAL, durations: "go" },
  "nanosecond-durations": { ...CANONICAL, durations: "nanoseconds" },
  "omitted-defaults": { ...CANONICAL, omitDefaults: true },
  nulls: { ...CANONICAL, nulls: true },
  "flycast-without-network": { ...CANONICAL, flycastWithoutNetwork: true },
  "paged-1": { ...CANONICAL, pageSize: 1 },
  "paged-2": { ...CANONICAL, pageSize: 2 },
  "unknown-fields": { ...CANONICAL, unknownFields: true },
  everything: { autostop: "boolean", durations: "go", omitDefaults: true, nulls: true, flycastWithoutNetwork: true, pageSize: 1, unknownFields: true },
} as const satisfies Record<string, AnswerForms>;

export type AnswerVariant = keyof typeof ANSWER_VARIANTS;
export const VARIANT_NAMES = Object.keys(ANSWER_VARIANTS) as AnswerVariant[];

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));
/** A field no version of Fly's document has: readers must ignore it. */
const UNKNOWN = { fake_future_field: { added_in: "a later API version", flag: true } };

function duration(value: unknown, forms: AnswerForms): unknown {
  const ms = durationMs(value);
  if (ms === undefined || forms.durations === "as-sent") return value;
  return forms.durations === "go" ? goDuration(ms) : ms * 1_000_000;
}

function check(raw: Json, forms: AnswerForms, internalPort: number | undefined): Json {
  const c: Json = { ...raw };
  for (const key of ["interval", "timeout", "grace_period"]) if (key in c) c[key] = duration(c[key], forms);
  // flyctl never sets a service check's port: Fly probes the service's internal port.
  if (forms.omitDefaults && internalPort !== undefined && c.port === internalPort) delete c.port;
  if (forms.unknownFields) Object.assign(c, UNKNOWN);
  return c;
}

function service(raw: Json, forms: AnswerForms): Json {
  const s: Json = { ...raw };
  if (forms.autostop === "boolean" && (s.autostop === "off" || s.autostop === "stop")) s.autostop = s.autostop === "stop";
  if (forms.omitDefaults) {
    if (s.autostop === "off" || s.autostop === false) delete s.autostop;
    if (s.autostart === true) delete s.autostart;
  }
  s.checks = Array.isArray(s.checks) ? (s.checks as Json[]).map((c) => check(c, forms, s.internal_port as number | undefined)) : s.checks;
  s.ports = Array.isArray(s.ports)
    ? (s.ports as Json[]).map((p) => {
        const port: Json = { ...p };
        if (forms.omitDefaults && Array.isArray(port.handlers) && port.handlers.length === 0) delete port.handlers;
        if (forms.nulls && port.handlers === undefined) port.handlers = null;
        if (forms.unknownFields) Object.assign(port, UNKNOWN);
        return port;
      })
    : s.ports;
  if (forms.nulls) {
    s.force_instance_key = null;
    if (Array.isArray(s.checks) && s.checks.length === 0) s.checks = null;
  }
  if (forms.unknownFields) Object.assign(s, UNKNOWN, { force_instance_description: "" });
  return s;
}

/** Lists and maps of a machine config that Go leaves out when empty (omitempty), or writes as null. */
const CONFIG_COLLECTIONS = ["env", "metadata", "mounts", "services", "checks", "containers", "files", "processes", "statics"];

function config(raw: Json, forms: AnswerForms): Json {
  const c: Json = clone(raw);
  if (Array.isArray(c.services)) c.services = (c.services as Json[]).map((s) => service(s, forms));
  if (isObject(c.checks)) c.checks = Object.fromEntries(Object.entries(c.checks).map(([name, k]) => [name, check(k as Json, forms, undefined)]));
  if (forms.omitDefaults) {
    for (const key of CONFIG_COLLECTIONS) {
      const v = c[key];
      if ((Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0)) delete c[key];
    }
    const restart = c.restart as Json | undefined;
    if (restart && restart.policy === "on-failure" && restart.max_retries === undefined) delete c.restart;
    const metrics = c.metrics as Json | undefined;
    if (metrics && metrics.path === "/metrics") c.metrics = { ...metrics, path: undefined };
  }
  if (forms.nulls) {
    for (const key of CONFIG_COLLECTIONS) {
      const v = c[key];
      if (v === undefined || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0)) c[key] = null;
    }
    // Older answers: `init` with null fields, `restart` with an empty policy (GO-types-old: a struct, not a pointer).
    c.init ??= { exec: null, entrypoint: null, cmd: null, tty: false };
    c.restart ??= { policy: "" };
  }
  if (forms.unknownFields) Object.assign(c, UNKNOWN, { standbys: null });
  return JSON.parse(JSON.stringify(c)) as Json;
}

export function machineAs(machine: Machine, forms: AnswerForms): Machine {
  const m: Json = clone(machine as Json);
  if (isObject(m.config)) m.config = config(m.config, forms);
  if (forms.omitDefaults && isObject(m.image_ref)) delete (m.image_ref as Json).tag;
  if (forms.nulls) Object.assign(m, { nonce: null, lease: null, incomplete_config: null }, Array.isArray(m.events) && m.events.length === 0 ? { events: null } : {});
  if (forms.unknownFields) Object.assign(m, UNKNOWN, { cordoned: false, host_features: ["fake"] });
  return m as Machine;
}

export function volumeAs(volume: Volume, forms: AnswerForms): Volume {
  const v: Json = { ...volume };
  if (forms.nulls) Object.assign(v, { attached_machine_id: v.attached_machine_id ?? null, attached_alloc_id: v.attached_alloc_id ?? null });
  if (forms.unknownFields) Object.assign(v, UNKNOWN, { host_dedication_key: "" });
  return v as Volume;
}

export function ipAs(ip: IPAssignment, forms: AnswerForms): IPAssignment {
  const i: Json = { ...ip };
  if (forms.flycastWithoutNetwork) delete i.network;
  else if (forms.nulls && i.network === undefined) i.network = null;
  if (forms.unknownFields) Object.assign(i, UNKNOWN, { egress: false });
  return i as IPAssignment;
}

export function certificateAs<T extends object>(cert: T, forms: AnswerForms): T {
  const c: Json = { ...(cert as Json) };
  if (forms.nulls) {
    c.rate_limited_until ??= null;
    for (const key of ["validation_errors", "certificates"]) if (Array.isArray(c[key]) && (c[key] as unknown[]).length === 0) c[key] = null;
  }
  if (forms.unknownFields) Object.assign(c, UNKNOWN);
  return c as T;
}

export function appAs(app: Schemas["App"], forms: AnswerForms): Schemas["App"] {
  return (forms.unknownFields ? { ...app, ...UNKNOWN } : app) as Schemas["App"];
}

/** A list's wire form: an empty list is `null` under `nulls` (Go's nil slice). */
export function listAs<T>(list: T[], forms: AnswerForms): T[] | null {
  return forms.nulls && list.length === 0 ? null : list;
}

/**
 * One page of a list asked with `limit` (Fly's cursor pagination: a `fly-next-cursor` header or a
 * `next_cursor` field; "responses may be shorter, or even empty, even when more remain"). Without a
 * page size the variant answers everything at once, as Fly does without `limit`. The cursor is the
 * next offset, opaque to clients.
 */
export function pageOf<T>(items: readonly T[], cursor: string | null, limit: number | undefined, forms: AnswerForms, defaultLimit?: number): { items: T[]; next?: string } | { error: string } {
  let offset = 0;
  if (cursor !== null) {
    const decoded = /^c(\d+)(e?)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!decoded) return { error: `invalid cursor ${cursor}` };
    offset = Number(decoded[1]);
    // The empty page Fly's document allows: once per list, right after the first page.
    if (decoded[2] === "e") return { items: [], next: Buffer.from(`c${offset}`).toString("base64url") };
  }
  const size = Math.min(limit ?? defaultLimit ?? Infinity, forms.pageSize ?? Infinity);
  if (!Number.isFinite(size)) return { items: items.slice(offset) };
  const page = items.slice(offset, offset + size);
  const end = offset + page.length;
  if (end >= items.length) return { items: page };
  const emptyNext = forms.pageSize !== undefined && offset === 0;
  return { items: page, next: Buffer.from(`c${end}${emptyNext ? "e" : ""}`).toString("base64url") };
}
