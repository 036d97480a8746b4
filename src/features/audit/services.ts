/**
 * A machine's services and checks as comparable text, declared (Terraform attributes: `port`, `check`)
 * and live (Fly's answer: `ports`, `checks`) alike, compared by meaning: an absent field is Fly's
 * default (src/fly/defaults.ts), durations by length ("60s" = "1m0s" = 60000000000 ns), autostop
 * booleans as their strings, handlers as a set. Pure.
 */
import { canonicalAutostop } from "../../fly/api/answers/machines";
import { durationMs, formatDuration } from "../../fly/duration";
import { AUTOSTART, AUTOSTOP, CHECK_METHOD, CHECK_TYPE, SERVICE_PROTOCOL, serviceCheckPort } from "../../fly/defaults";

type Attrs = Record<string, unknown>;

const arr = (v: unknown): Attrs[] => (Array.isArray(v) ? (v as Attrs[]) : v && typeof v === "object" ? [v as Attrs] : []);
const num = (v: unknown): number | undefined => (v === undefined || v === null || v === "" ? undefined : Number(v));

/** A duration by its length; "" when absent (then Fly's own default applies, which flystack does not know). */
function span(value: unknown): string {
  const ms = durationMs(value);
  return ms === undefined ? (value === undefined ? "" : String(value)) : formatDuration(ms);
}

/** One check: type, port (a service check's absent port is the service's internal port), path, method, interval, timeout. */
function checkText(c: Attrs, internalPort: number | undefined): string {
  const type = String(c.type ?? CHECK_TYPE);
  const port = internalPort === undefined ? num(c.port) : serviceCheckPort({ port: num(c.port) }, { internal_port: internalPort });
  const method = type === "http" && c.method !== undefined && String(c.method).toUpperCase() !== CHECK_METHOD ? ` ${String(c.method).toUpperCase()}` : "";
  return [type, port ?? "", type === "http" ? (c.path ?? "") : "", span(c.interval), span(c.timeout)].join(":") + method;
}

/**
 * Services as comparable strings: protocol/internal port, autostop, autostart, ports with handlers, checks.
 * `live` compares a Fly answer, where an interval or timeout Fly leaves out is not a difference.
 */
export function normalizeServices(services: readonly Attrs[], portsKey: string, checksKey: string): string[] {
  return services
    .map((s) => {
      const internalPort = num(s.internal_port);
      const ports = arr(s[portsKey])
        .map((p) => {
          const handlers = Array.isArray(p.handlers) ? [...(p.handlers as string[])].sort() : [];
          const where = p.port !== undefined ? String(p.port) : `${String(p.start_port)}-${String(p.end_port)}`;
          return `${where}${handlers.length ? `[${handlers.join(",")}]` : ""}`;
        })
        .sort();
      const checks = arr(s[checksKey]).map((c) => checkText(c, internalPort)).sort();
      const autostop = canonicalAutostop(s.autostop) ?? AUTOSTOP;
      return `${String(s.protocol ?? SERVICE_PROTOCOL)}/${internalPort} autostop=${autostop} autostart=${String(s.autostart ?? AUTOSTART)} ports=${ports.join(" ")} checks=${checks.join(" ")}`;
    })
    .sort();
}

/** Machine-level checks as comparable strings (Fly keys them by name): name, type, port, path, interval, timeout, grace period. */
export function normalizeMachineChecks(checks: readonly [string | undefined, Attrs][]): string[] {
  return checks.map(([name, c]) => `${name ?? ""}:${checkText(c, undefined)}:${span(c.grace_period)}`).sort();
}

/**
 * Live services whose checks leave out an interval or timeout, with the declared value standing in:
 * Fly's own default for those is not documented, so no difference can be claimed. A live check is
 * matched to a declared one of the same service (internal port) by type, port and path.
 */
export function withUnstatedDurations(declared: readonly Attrs[], live: readonly Attrs[]): Attrs[] {
  const key = (c: Attrs, internalPort: number | undefined) => checkText({ type: c.type, port: c.port, path: c.path, method: c.method }, internalPort);
  return live.map((service) => {
    const internalPort = num(service.internal_port);
    const twin = declared.find((d) => num(d.internal_port) === internalPort);
    if (!twin || !Array.isArray(service.checks)) return service;
    const checks = (service.checks as Attrs[]).map((c) => {
      const match = arr(twin.check).find((d) => key(d, internalPort) === key(c, internalPort));
      if (!match) return c;
      return { ...c, interval: c.interval ?? match.interval, timeout: c.timeout ?? match.timeout };
    });
    return { ...service, checks };
  });
}

/** Whether a machine may be stopped by Fly Proxy: a service with autostop stop or suspend (in either spelling). */
export function allowsAutostop(services: readonly Attrs[]): boolean {
  return services.some((s) => {
    const autostop = canonicalAutostop(s.autostop);
    return autostop === "stop" || autostop === "suspend";
  });
}
