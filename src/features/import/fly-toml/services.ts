/**
 * `[http_service]` and `[[services]]` as flystack services, each with the groups it routes to. Pure.
 * `[http_service]` means plain HTTP on 80 and HTTPS on 443, both to internal_port.
 */
import type { CheckConfig, ConcurrencyConfig, PortConfig, ServiceConfig } from "../../../config/types";
import { checkOf } from "./checks";
import { groupsFor, type ProcessGroups } from "./groups";
import type { Ledger } from "./ledger";
import type { FlyToml, Table } from "./parse";
import { port, wholeNumber } from "./values";

export interface RoutedService {
  readonly service: ServiceConfig;
  readonly groups: readonly string[];
}

const HANDLERS = ["http", "tls", "proxy_proto", "pg_tls"] as const;
type Handler = (typeof HANDLERS)[number];
/** Fly's default concurrency (fly.io/docs/reference/configuration, services.concurrency). */
const FLY_CONCURRENCY = { type: "connections", softLimit: 20, hardLimit: 25 } as const;
const FORCE_HTTPS_REASON = "provider ampbase-io/fly 0.2 cannot set force_https (docs/architecture.md), so port 80 serves plain HTTP without a redirect";
const FORCE_HTTPS_INSTEAD = "remove the port 80 entry to serve HTTPS only (as the httpService preset does), or redirect in the app (X-Forwarded-Proto) and suppress FLY009 with that reason";
const PROXY_OPTIONS = "provider ampbase-io/fly 0.2 has no per-port proxy options";
const PROXY_INSTEAD = "handle it in the app, or set it with flyctl after each deploy";

function autostop(value: unknown, path: string, ledger: Ledger): ServiceConfig["autostop"] {
  if (value === undefined) return undefined;
  const read = value === true ? "stop" : value === false ? "off" : value;
  if (read === "off" || read === "stop" || read === "suspend") {
    ledger.carry(path, `autostop "${read}"`);
    return read;
  }
  ledger.problem(path, `${JSON.stringify(value)} is not an auto_stop_machines value`, 'use "off", "stop", "suspend", true or false');
  return undefined;
}

/** A concurrency table, or flyctl's legacy `"soft,hard"` string (type requests). Nothing for an empty table: Fly's defaults. */
function concurrency(value: unknown, path: string, ledger: Ledger): ConcurrencyConfig | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string") {
    const match = /^\s*(\d+)\s*,\s*(\d+)\s*$/.exec(value);
    if (!match) {
      ledger.problem(path, `${JSON.stringify(value)} is not a concurrency ("soft,hard" or a table)`, "write [services.concurrency] with soft_limit and hard_limit");
      return undefined;
    }
    ledger.carry(path, "concurrency (requests, soft, hard)");
    return { type: "requests", softLimit: Math.min(Number(match[1]), Number(match[2])), hardLimit: Number(match[2]) };
  }
  const table = value as Table;
  if (Object.keys(table).length === 0) {
    ledger.carry(path, "(Fly's default concurrency)");
    return undefined;
  }
  const type = table.type === "requests" ? "requests" : FLY_CONCURRENCY.type;
  if (table.type !== undefined && table.type !== "requests" && table.type !== "connections") ledger.note(`${path}.type`, `${JSON.stringify(table.type)} is not a concurrency type`, 'written as "connections"; use "connections" or "requests"');
  else if (table.type !== undefined) ledger.carry(`${path}.type`, "concurrency.type");
  const hard = table.hard_limit === undefined ? FLY_CONCURRENCY.hardLimit : wholeNumber(table.hard_limit, `${path}.hard_limit`, ledger, "a limit");
  const soft = table.soft_limit === undefined ? FLY_CONCURRENCY.softLimit : wholeNumber(table.soft_limit, `${path}.soft_limit`, ledger, "a limit");
  if (hard === undefined || soft === undefined) return undefined;
  for (const key of ["soft_limit", "hard_limit"]) if (table[key] !== undefined) ledger.carry(`${path}.${key}`, `concurrency.${key === "soft_limit" ? "softLimit" : "hardLimit"}`);
  return { type, softLimit: Math.min(soft, hard), hardLimit: hard };
}

/** What `[http_service]` and `[[services]]` share: internal port, autostop, autostart, min running, concurrency. */
function common(service: Table, path: string, ledger: Ledger, stringPorts: boolean): Omit<ServiceConfig, "ports"> | undefined {
  const internal = port(service.internal_port, `${path}.internal_port`, ledger, stringPorts);
  if (internal === undefined) return undefined;
  ledger.carry(`${path}.internal_port`, "internalPort");
  const stop = autostop(service.auto_stop_machines, `${path}.auto_stop_machines`, ledger);
  let start: boolean | undefined;
  if (typeof service.auto_start_machines === "boolean") {
    start = service.auto_start_machines;
    ledger.carry(`${path}.auto_start_machines`, "autostart");
  } else if (service.auto_start_machines !== undefined) ledger.problem(`${path}.auto_start_machines`, `${JSON.stringify(service.auto_start_machines)} is not true or false`, "write true or false");
  let min: number | undefined;
  if (service.min_machines_running !== undefined) {
    min = wholeNumber(service.min_machines_running, `${path}.min_machines_running`, ledger, "a machine count");
    if (min !== undefined) ledger.carry(`${path}.min_machines_running`, "minMachinesRunning");
  }
  const limits = concurrency(service.concurrency, `${path}.concurrency`, ledger);
  if (service.machine_checks !== undefined) ledger.note(`${path}.machine_checks`, "deploy-time machine checks are a fly deploy feature the provider cannot run", "run the check in CI before the apply, or rely on the service's health checks");
  return {
    internalPort: internal,
    ...(stop !== undefined ? { autostop: stop } : {}),
    ...(start !== undefined ? { autostart: start } : {}),
    ...(min !== undefined ? { minMachinesRunning: min } : {}),
    ...(limits ? { concurrency: limits } : {}),
  };
}

function portOf(entry: Table, path: string, ledger: Ledger): PortConfig | undefined {
  if (entry.start_port !== undefined || entry.end_port !== undefined) {
    ledger.note(path, "a port range (start_port to end_port): flystack services list single ports", "the range is left out: list each port as its own [[services.ports]] entry");
    return undefined;
  }
  const number = port(entry.port, `${path}.port`, ledger, true);
  if (number === undefined) return undefined;
  ledger.carry(`${path}.port`, "port");
  const handlers: Handler[] = [];
  for (const handler of (Array.isArray(entry.handlers) ? entry.handlers : []).map(String)) {
    if ((HANDLERS as readonly string[]).includes(handler)) handlers.push(handler as Handler);
    else ledger.note(`${path}.handlers`, `handler ${JSON.stringify(handler)} is not one flystack can set`, `use ${HANDLERS.join(", ")}; the port was written without it`);
  }
  if (entry.handlers !== undefined && !ledger.accounts(`${path}.handlers`)) ledger.carry(`${path}.handlers`, "handlers");
  if (entry.force_https === true) ledger.note(`${path}.force_https`, FORCE_HTTPS_REASON, FORCE_HTTPS_INSTEAD);
  else if (entry.force_https === false) ledger.carry(`${path}.force_https`, "(false: no redirect)");
  for (const key of ["http_options", "tls_options", "proxy_proto_options"]) if (entry[key] !== undefined) ledger.note(`${path}.${key}`, PROXY_OPTIONS, PROXY_INSTEAD);
  return { port: number, ...(entry.handlers !== undefined ? { handlers } : {}) };
}

function checksOf(list: unknown, type: "http" | "tcp", path: string, ledger: Ledger, unit: "ms" | "ns"): CheckConfig[] {
  if (Array.isArray(list) && list.length === 0) ledger.carry(path, "(no checks)");
  return (Array.isArray(list) ? (list as Table[]) : []).flatMap((c, i) => checkOf(c, type, `${path}[${i}]`, ledger, "service", unit) ?? []);
}

/** Every service of the fly.toml, with the groups it routes to. */
export function servicesOf(toml: FlyToml, groups: ProcessGroups, ledger: Ledger): RoutedService[] {
  const out: RoutedService[] = [];
  const routed = (service: Table, path: string): string[] => {
    if (service.processes === undefined && groups.names.length > 1)
      ledger.note(`${path}`, `has no processes while [processes] defines ${groups.names.length} groups (flyctl refuses this); written for the default group ${groups.defaultGroup}`, "add processes = [...] naming the groups it serves");
    const targets = groupsFor(service.processes, groups, path, ledger);
    if (targets.length === 0) ledger.note(path, "routes to no group [processes] defines, so no machine serves it", "the service is left out: name the groups that serve it in processes");
    return targets;
  };
  const http = toml.http_service as Table | undefined;
  if (http !== undefined) {
    const shared = common(http, "http_service", ledger, false);
    if (http.force_https === true) ledger.note("http_service.force_https", FORCE_HTTPS_REASON, FORCE_HTTPS_INSTEAD);
    else if (http.force_https === false) ledger.carry("http_service.force_https", "(false: port 80 serves plain HTTP)");
    for (const key of ["http_options", "tls_options"]) if (http[key] !== undefined) ledger.note(`http_service.${key}`, PROXY_OPTIONS, PROXY_INSTEAD);
    // [[http_service.checks]] durations are fly-go Durations: a bare number counts nanoseconds.
    const checks = checksOf(http.checks, "http", "http_service.checks", ledger, "ns");
    if (shared) {
      const ports: PortConfig[] = [
        { port: 80, handlers: ["http"] },
        { port: 443, handlers: ["tls", "http"] },
      ];
      out.push({ service: { ...shared, ports, ...(checks.length > 0 ? { checks } : {}) }, groups: routed(http, "http_service") });
    }
  }
  (toml.services ?? []).forEach((service, s) => {
    const path = `services[${s}]`;
    const shared = common(service, path, ledger, true);
    const protocol = service.protocol ?? "tcp";
    if (protocol !== "tcp" && protocol !== "udp") ledger.problem(`${path}.protocol`, `${JSON.stringify(protocol)} is not a protocol flystack can route`, 'use "tcp" or "udp"');
    else if (service.protocol !== undefined) ledger.carry(`${path}.protocol`, protocol === "udp" ? "protocol udp" : "(tcp, the default)");
    const entries = Array.isArray(service.ports) ? (service.ports as Table[]) : [];
    const ports = entries.flatMap((p, i) => portOf(p, `${path}.ports[${i}]`, ledger) ?? []);
    // Service checks of [[services]] count bare numbers as milliseconds (flyctl's patch).
    const checks = [...checksOf(service.tcp_checks, "tcp", `${path}.tcp_checks`, ledger, "ms"), ...checksOf(service.http_checks, "http", `${path}.http_checks`, ledger, "ms")];
    if (service.script_checks !== undefined) {
      if (Array.isArray(service.script_checks) && service.script_checks.length === 0) ledger.carry(`${path}.script_checks`, "(none: an Apps V1 key)");
      else ledger.note(`${path}.script_checks`, "script checks are Apps V1; Fly's machines do not run them", "replace them with an http or tcp check");
    }
    if (entries.length === 0 || ports.length === 0) {
      if (entries.length === 0) ledger.note(`${path}.ports`, "the service lists no public port, so Fly Proxy routes nothing to it", "the service is left out; add a [[services.ports]] entry if it should be reachable");
      groupsFor(service.processes, groups, path, ledger);
      return;
    }
    if (shared) out.push({ service: { ...shared, ...(protocol === "udp" ? { protocol } : {}), ports, ...(checks.length > 0 ? { checks } : {}) }, groups: routed(service, path) });
  });
  return out;
}
