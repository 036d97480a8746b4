/**
 * A machine as Fly answers it, in one spelling: the forms Fly's sources document for the same value
 * are brought to one, so that readers compare meaning, not spelling.
 * - `services[].autostop`: a boolean (`false` off, `true` stop; what Fly answers for those two, per the
 *   OpenAPI document's fly.MachineService.autostop and fly-go's MachineAutostop.MarshalJSON) or a string
 *   ("off", "stop", "suspend"). Always a string here; a value flystack does not know stays as it is,
 *   for its readers to report.
 * - check `interval`, `timeout`, `grace_period` (service and machine checks) and `stop_config.timeout`:
 *   a Go duration string ("1m0s") or nanoseconds (a JSON number: fly-go's Duration.UnmarshalJSON, Fly's
 *   API reference). Numbers become strings; readers compare with durationMs.
 * - `restart.policy` "" (older answers) is left out, as an absent policy.
 * - `null` anywhere is an absent field.
 * Unknown fields are kept (import reports what it cannot carry); nothing is defaulted here (see
 * src/fly/defaults.ts for what an absent field means).
 */
import type { components } from "../../../../.gen/fly-api/machines";
import { formatDuration } from "../../duration";
import { asList, type Json, objectsIn, withoutNulls } from "./json";

export type FlyMachine = components["schemas"]["Machine"];
type Config = components["schemas"]["fly.MachineConfig"];

/** "off" | "stop" | "suspend", or the unknown value as a string. */
export function canonicalAutostop(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (value === true) return "stop";
  if (value === false) return "off";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function canonicalDuration(value: unknown): unknown {
  return typeof value === "number" ? formatDuration(value / 1_000_000) : value;
}

function canonicalCheck(check: Json): Json {
  const out = { ...check };
  for (const key of ["interval", "timeout", "grace_period"]) if (key in out) out[key] = canonicalDuration(out[key]);
  return out;
}

function canonicalConfig(raw: Json): Config {
  const config: Json = { ...raw };
  if (Array.isArray(config.services))
    config.services = (config.services as Json[]).map((s) => {
      const service: Json = { ...s };
      if ("autostop" in service) service.autostop = canonicalAutostop(service.autostop);
      if (Array.isArray(service.checks)) service.checks = (service.checks as Json[]).map(canonicalCheck);
      return service;
    });
  if (config.checks && typeof config.checks === "object" && !Array.isArray(config.checks))
    config.checks = Object.fromEntries(Object.entries(config.checks as Record<string, Json>).map(([name, c]) => [name, canonicalCheck(c)]));
  if (config.restart && typeof config.restart === "object" && (config.restart as Json).policy === "") {
    const { policy: _empty, ...rest } = config.restart as Json;
    config.restart = rest;
  }
  if (config.stop_config && typeof config.stop_config === "object" && "timeout" in (config.stop_config as Json))
    config.stop_config = { ...(config.stop_config as Json), timeout: canonicalDuration((config.stop_config as Json).timeout) };
  return config as Config;
}

/** One machine in canonical form. */
export function canonicalMachine(raw: Json): FlyMachine {
  const machine = withoutNulls(raw);
  const out: Json = { ...machine };
  // When the host is unreachable Fly answers `incomplete_config` instead of `config` (fly-go Machine.GetConfig).
  for (const key of ["config", "incomplete_config"])
    if (machine[key] && typeof machine[key] === "object") out[key] = canonicalConfig(machine[key] as Json);
  return out as FlyMachine;
}

/** GET /v1/apps/{app}/machines: a JSON array of machines (null: none). */
export function readMachines(body: unknown, endpoint: string): FlyMachine[] {
  return objectsIn(asList(body, endpoint, "a JSON array of machines"), endpoint, "machine").map(canonicalMachine);
}
