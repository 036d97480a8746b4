/**
 * A live machine's services and checks as flystack's configuration, with a note for each part the
 * configuration (or the provider) cannot hold. Fly's answer is read by meaning: an absent field is
 * Fly's default (src/fly/defaults.ts), so a `fly launch` check without a port is carried without one
 * (flystack then probes the service's internal port, as Fly does), durations in any of Fly's spellings
 * become the one-unit form the configuration takes, and `autostop` as boolean or string. Pure.
 */
import type { CheckConfig, PortConfig, ServiceConfig } from "../../../config/types";
import { canonicalAutostop } from "../../../fly/api/answers/machines";
import { durationMs, formatDuration } from "../../../fly/duration";
import { AUTOSTOP, CHECK_METHOD, CHECK_PROTOCOL, CHECK_TYPE, SERVICE_PROTOCOL } from "../../../fly/defaults";
import { type FieldRule, isFalse, type Note, noteUncarried, providerCannot } from "./uncarried";

type Json = Record<string, unknown>;

const HANDLERS = new Set(["http", "tls", "proxy_proto", "pg_tls"]);
/** The methods the configuration takes (src/config/schema.ts). */
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

const CHECK_RULES: Readonly<Record<string, FieldRule>> = {
  protocol: providerCannot("a check's protocol (https)", undefined, (v) => v === CHECK_PROTOCOL),
  headers: providerCannot("a check's headers"),
  tls_server_name: providerCannot("a check's TLS server name"),
  tls_skip_verify: providerCannot("tls_skip_verify on a check", undefined, isFalse),
  kind: providerCannot("a check's kind (readiness)", undefined, (v) => v === "informational"),
};

/** A duration the configuration accepts ("15s"), from any of Fly's spellings; undefined (and a note) when unreadable. */
function duration(value: unknown, path: string, note: Note): string | undefined {
  if (value === undefined) return undefined;
  const ms = durationMs(value);
  if (ms === undefined) {
    note(path, `an unreadable duration (${JSON.stringify(value)})`, "the entry leaves it out (flystack's default applies at the first change); set it by hand");
    return undefined;
  }
  return formatDuration(ms);
}

/** One check. A service check's grace period cannot be sent by the provider: a note; a machine check carries it. */
export function checkConfig(c: Json, path: string, machineLevel: boolean, note: Note): CheckConfig | undefined {
  const type = c.type ?? CHECK_TYPE;
  if (type !== "http" && type !== "tcp") {
    note(`${path}.type`, `a check type flystack does not know (${JSON.stringify(type)}); flystack checks are http or tcp`, "the check is left out: add an equivalent http or tcp check by hand");
    return undefined;
  }
  const carried = new Set(["type", "port", "path", "method", "interval", "timeout", ...(machineLevel ? ["grace_period"] : [])]);
  const rules = machineLevel ? CHECK_RULES : { ...CHECK_RULES, grace_period: providerCannot("a service check's grace period", "make the app answer checks soon after start, or add a machine-level check (the group's checks) with a grace period") };
  noteUncarried(c, path, carried, rules, note);
  const interval = duration(c.interval, `${path}.interval`, note);
  const timeout = duration(c.timeout, `${path}.timeout`, note);
  const grace = machineLevel ? duration(c.grace_period, `${path}.grace_period`, note) : undefined;
  const port = num(c.port);
  const method = type === "http" && typeof c.method === "string" && c.method.toUpperCase() !== CHECK_METHOD ? c.method.toUpperCase() : undefined;
  if (method !== undefined && !HTTP_METHODS.includes(method)) note(`${path}.method`, `an HTTP method flystack does not write (${JSON.stringify(c.method)})`, "the check is written with GET; change the check or the app");
  return {
    type,
    // No port: Fly probes the service's internal port, and so does flystack's service check without one.
    ...(port !== undefined ? { port } : {}),
    ...(type === "http" && typeof c.path === "string" && c.path ? { path: c.path } : {}),
    ...(method !== undefined && HTTP_METHODS.includes(method) ? { method } : {}),
    ...(interval ? { interval } : {}),
    ...(timeout ? { timeout } : {}),
    ...(grace ? { gracePeriod: grace } : {}),
  };
}

const SERVICE_RULES: Readonly<Record<string, FieldRule>> = {
  force_instance_key: providerCannot("force_instance_key"),
  force_instance_description: providerCannot("force_instance_description"),
};

const PORT_RULES: Readonly<Record<string, FieldRule>> = {
  force_https: { reason: "force_https: the provider cannot send Fly's force_https flag", instead: "the first change to the group drops it: redirect to HTTPS in the app, or expose no plain http port (docs/architecture.md)", unset: isFalse },
  http_options: providerCannot("a port's http_options"),
  tls_options: providerCannot("a port's tls_options"),
  proxy_proto_options: providerCannot("a port's proxy_proto_options"),
  start_port: providerCannot("a port range (start_port/end_port)", "the range is left out: list the ports one by one in the entry"),
  end_port: providerCannot("a port range (start_port/end_port)", "the range is left out: list the ports one by one in the entry"),
};

/** One service; `autostartOff` is the machine-wide legacy `disable_machine_autostart`. */
export function serviceConfig(s: Json, path: string, autostartOff: boolean, note: Note): ServiceConfig {
  noteUncarried(s, path, new Set(["protocol", "internal_port", "ports", "autostop", "autostart", "concurrency", "checks", "min_machines_running"]), SERVICE_RULES, note);
  const protocol = s.protocol ?? SERVICE_PROTOCOL;
  if (protocol !== "tcp" && protocol !== "udp") note(`${path}.protocol`, `a protocol flystack does not know (${JSON.stringify(protocol)})`, "the entry says tcp; correct it by hand");
  const autostop = canonicalAutostop(s.autostop) ?? AUTOSTOP;
  if (autostop !== "off" && autostop !== "stop" && autostop !== "suspend") note(`${path}.autostop`, `an autostop value flystack does not know (${JSON.stringify(s.autostop)})`, 'the entry says "off" (machines keep running); choose stop or suspend by hand');
  const ports: PortConfig[] = [];
  for (const [i, p] of (Array.isArray(s.ports) ? (s.ports as Json[]) : []).entries()) {
    const portPath = `${path}.ports.${num(p.port) ?? i}`;
    noteUncarried(p, portPath, new Set(["port", "handlers"]), PORT_RULES, note);
    const handlers = Array.isArray(p.handlers) ? (p.handlers as unknown[]).map(String) : [];
    const unknown = handlers.filter((h) => !HANDLERS.has(h));
    if (unknown.length) note(`${portPath}.handlers`, `handlers flystack does not know (${unknown.join(", ")})`, "they are left out of the entry: check Fly's documentation and add them by hand");
    if (num(p.port) !== undefined) ports.push({ port: num(p.port) as number, ...(handlers.length - unknown.length > 0 ? { handlers: handlers.filter((h) => HANDLERS.has(h)) as ("http" | "tls" | "proxy_proto" | "pg_tls")[] } : {}) });
  }
  const concurrency = (s.concurrency ?? {}) as Json;
  const [type, soft, hard] = [concurrency.type, num(concurrency.soft_limit), num(concurrency.hard_limit)];
  const fullConcurrency = (type === "connections" || type === "requests") && soft !== undefined && hard !== undefined;
  if (Object.keys(concurrency).length > 0 && !fullConcurrency)
    note(`${path}.concurrency`, `a partial or unknown concurrency (${JSON.stringify(concurrency)}); flystack sets type, soft_limit and hard_limit together`, "the entry leaves concurrency out (Fly's defaults apply at the first change); set all three by hand");
  const checks = (Array.isArray(s.checks) ? (s.checks as Json[]) : []).flatMap((c, i) => checkConfig(c, `${path}.checks.${i}`, false, note) ?? []);
  const autostart = s.autostart === false || (s.autostart === undefined && autostartOff) ? false : undefined;
  return {
    internalPort: num(s.internal_port) ?? 0,
    ...(protocol === "udp" ? { protocol: "udp" as const } : {}),
    ports,
    ...(autostop === "stop" || autostop === "suspend" ? { autostop } : {}),
    ...(autostart === false ? { autostart: false } : {}),
    ...(fullConcurrency ? { concurrency: { type: type as "connections" | "requests", softLimit: soft as number, hardLimit: hard as number } } : {}),
    ...(checks.length > 0 ? { checks } : {}),
  };
}
