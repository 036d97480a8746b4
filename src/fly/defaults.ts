/**
 * What Fly does with a machine, service, check or volume field that an answer leaves out. Fly's Go
 * types drop empty and unset fields from answers (`omitempty`), and machines made by flyctl never set
 * some of them (a service check's port, autostart), so every reader of live state fills them in from
 * here before comparing or importing. Each default names its source; where Fly's sources disagree,
 * the comment says which one is followed and why.
 */

/** A service's protocol: fly.toml reference (`[[services]] protocol`, default "tcp"); flyctl writes "tcp" for `[http_service]` (superfly/flyctl internal/appconfig/service.go). */
export const SERVICE_PROTOCOL = "tcp";

/** `autostop`: "off" (Fly's Machines API reference, services → autostop; fly-go MachineAutostop's zero value is off). */
export const AUTOSTOP = "off";

/**
 * `autostart`: true. fly.toml's reference documents `auto_start_machines` as true when unset, and
 * flyctl sends no autostart then (internal/appconfig/service.go), so Fly Proxy must read an absent
 * autostart as on. (The Machines API reference lists "false" as the Go zero value; flystack always
 * sends autostart explicitly, so this default only matters for machines flyctl made.)
 */
export const AUTOSTART = true;

/** A check's type when absent: "tcp" (the OpenAPI document's fly.MachineCheck.type: "tcp or http"; flyctl always sets it). */
export const CHECK_TYPE = "tcp";

/** An HTTP check's method when absent: GET (fly.toml reference, `[[http_service.checks]] method`). Compared case-insensitively. */
export const CHECK_METHOD = "GET";

/** An HTTP check's protocol when absent: "http" (fly.toml reference, `protocol`). */
export const CHECK_PROTOCOL = "http";

/** A restart policy when absent or "": "on-failure" (the OpenAPI document's fly.MachineRestart.policy; older answers carried `"policy": ""`). */
export const RESTART_POLICY = "on-failure";

/** A machine's guest when absent (Fly's Machines API reference, guest: cpus 1, memory_mb 256, cpu_kind "shared"). */
export const GUEST = { cpu_kind: "shared", cpus: 1, memory_mb: 256 } as const;

/** The path Fly scrapes when `metrics.path` is absent (Fly's metrics documentation). */
export const METRICS_PATH = "/metrics";

/** A volume's settings when an answer leaves them out (Fly's volumes reference; CreateVolumeRequest.auto_backup_enabled "Defaults to true"). */
export const VOLUME = { encrypted: true, snapshot_retention: 5, auto_backup_enabled: true } as const;

/** The port a service check probes: its own, else the service's internal port (flyctl never sets one on service checks). */
export function serviceCheckPort(check: { readonly port?: number }, service: { readonly internal_port?: number }): number | undefined {
  return check.port ?? service.internal_port;
}
