/**
 * Health checks: a service's (`[[services.tcp_checks]]`, `[[services.http_checks]]`,
 * `[[http_service.checks]]`) and the machine's own (`[checks.<name>]`, with its name kept: tools look
 * checks up by name, as flyctl's Postgres commands find the primary by `role`). Pure.
 */
import type { CheckConfig } from "../../../config/types";
import type { Ledger } from "./ledger";
import type { Table } from "./parse";
import { duration, type NumberUnit, port } from "./values";

/** The methods the configuration takes (src/config/schema.ts). */
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
/** A check name flystack writes (src/config/schema.ts). */
const CHECK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * One check of `type`. `level` says whose: a service check's grace period cannot be sent by the
 * provider (a note); a machine check carries it. `unit` is what a bare number means for its durations.
 */
export function checkOf(check: Table, type: "http" | "tcp", path: string, ledger: Ledger, level: "service" | "machine", unit: NumberUnit): CheckConfig | undefined {
  const out: { -readonly [K in keyof CheckConfig]: CheckConfig[K] } = { type };
  ledger.carry(`${path}.type`, "type");
  if (check.port !== undefined) {
    const p = port(check.port, `${path}.port`, ledger, false);
    if (p === undefined) return undefined;
    out.port = p;
    ledger.carry(`${path}.port`, "port");
  }
  if (type === "http") {
    if (typeof check.path !== "string" || !check.path.startsWith("/")) {
      if (check.path === undefined) ledger.note(`${path}.path`, 'an http check without a path; Fly checks "/"', "the check is written with path \"/\"; set the path the app answers checks on");
      else ledger.note(`${path}.path`, `${JSON.stringify(check.path)} is not a path`, 'the check is written with path "/"; fix the path');
      out.path = "/";
    } else {
      out.path = check.path;
      ledger.carry(`${path}.path`, "path");
    }
  } else if (check.path !== undefined) ledger.note(`${path}.path`, "a tcp check has no path", "remove it");
  for (const key of ["interval", "timeout", "grace_period"] as const) {
    if (check[key] === undefined) continue;
    const value = duration(check[key], unit, `${path}.${key}`, ledger);
    if (value === undefined) continue;
    if (key === "interval") out.interval = value;
    else if (key === "timeout") out.timeout = value;
    else if (level === "machine") out.gracePeriod = value;
    if (key !== "grace_period" || level === "machine") ledger.carry(`${path}.${key}`, key === "grace_period" ? "gracePeriod" : key);
    else ledger.note(`${path}.grace_period`, "service checks of provider ampbase-io/fly 0.2 take no grace period", "make the app answer checks soon after start, or add a machine-level check (top-level [checks]) with a grace period");
  }
  if (check.method !== undefined) {
    // flyctl upper-cases a top-level check's method; Fly takes either case. GET is the default.
    const method = String(check.method).toUpperCase();
    if (type !== "http") ledger.note(`${path}.method`, "a tcp check has no method", "remove it");
    else if (method === "GET") ledger.carry(`${path}.method`, "(GET, the default)");
    else if (HTTP_METHODS.includes(method)) {
      out.method = method;
      ledger.carry(`${path}.method`, "method");
    } else ledger.note(`${path}.method`, `${JSON.stringify(check.method)} is not an HTTP method flystack writes`, "the check is written with GET; answer GET on the check path");
  }
  if (check.protocol !== undefined) {
    if (check.protocol === "http") ledger.carry(`${path}.protocol`, "(http, flystack's checks' protocol)");
    else ledger.note(`${path}.protocol`, `flystack's http checks use plain http, not ${JSON.stringify(check.protocol)}`, "answer plain http on the checked port");
  }
  if (check.tls_skip_verify !== undefined) {
    if (check.tls_skip_verify === false) ledger.carry(`${path}.tls_skip_verify`, "(false: no TLS to verify)");
    else ledger.note(`${path}.tls_skip_verify`, "flystack's checks do not use TLS", "answer plain http on the checked port");
  }
  if (check.tls_server_name !== undefined) ledger.note(`${path}.tls_server_name`, "flystack's checks do not use TLS", "answer plain http on the checked port");
  if (check.headers !== undefined) {
    if (typeof check.headers === "object" && check.headers !== null && Object.keys(check.headers).length === 0) ledger.carry(`${path}.headers`, "(no headers)");
    else ledger.note(`${path}.headers`, "flystack's checks send no custom headers", "make the check path answer without them");
  }
  if (check.restart_limit !== undefined) ledger.note(`${path}.restart_limit`, "an Apps V1 setting Fly's machines ignore: a failing check restarts nothing", "rely on the group's restart policy, or monitor the check");
  if (check.kind !== undefined) {
    if (check.kind === "informational") ledger.carry(`${path}.kind`, "(informational, Fly's default)");
    else ledger.note(`${path}.kind`, `provider ampbase-io/fly 0.2 cannot set a check's kind (${JSON.stringify(check.kind)})`, "the check is written as an informational check");
  }
  return out;
}

/**
 * A top-level `[checks.<name>]`: type http or tcp (Fly refuses others, such as V1's script checks);
 * without a port, the `[http_service]` internal port (as flyctl does); its name kept when flystack
 * can write it. Undefined when it cannot be carried (noted).
 */
export function machineCheckOf(name: string, check: Table, httpServicePort: number | undefined, ledger: Ledger): CheckConfig | undefined {
  const path = `checks.${name}`;
  const type = check.type;
  if (type !== "http" && type !== "tcp") {
    ledger.note(path, `a check of type ${JSON.stringify(type)}: Fly's machines run http and tcp checks only (a script check is Apps V1)`, "the check is left out: replace it with an http or tcp check the app answers");
    return undefined;
  }
  const config = checkOf(check, type, path, ledger, "machine", "ms");
  if (!config) return undefined;
  let withPort = config;
  if (config.port === undefined) {
    if (httpServicePort === undefined) {
      ledger.note(`${path}.port`, "no port, and no [http_service] whose internal port flyctl would use", "the check is left out: add its port");
      return undefined;
    }
    withPort = { ...config, port: httpServicePort };
    ledger.carry(`${path}.port`, `port (the [http_service] internal port, ${httpServicePort}, as flyctl takes it)`);
  }
  if (CHECK_NAME.test(name) && name.length <= 63) {
    ledger.carry(path, `checks[].name ${JSON.stringify(name)}`);
    return { ...withPort, name };
  }
  ledger.note(path, `a check name flystack cannot write (${JSON.stringify(name)})`, "the check gets flystack's name <type>_<port>_<n>; rename it in fly.toml to letters, digits, '_', '.' or '-'");
  return withPort;
}
