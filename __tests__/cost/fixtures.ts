/**
 * Minimal stack JSON, shaped like a synthesized cdk.tf.json, for cost tests: only the fields the
 * estimator reads, so each test shows exactly what it prices.
 */
export type Json = Record<string, unknown>;

export interface Guest {
  readonly cpu_kind: string;
  readonly cpus: number;
  readonly memory_mb: number;
}

export const sharedCpu = (cpus: number, memoryMb: number): Guest => ({ cpu_kind: "shared", cpus, memory_mb: memoryMb });
export const performanceCpu = (cpus: number, memoryMb: number): Guest => ({ cpu_kind: "performance", cpus, memory_mb: memoryMb });

/** A fly_machine body; `autostop` adds one service with that autostop. */
export function machine(guest: Guest, region: string, options: { app?: string; autostop?: string | string[] } = {}): Json {
  const autostops = options.autostop === undefined ? [] : Array.isArray(options.autostop) ? options.autostop : [options.autostop];
  return {
    app: `\${fly_app.${options.app ?? "web"}.name}`,
    region,
    guest,
    ...(autostops.length === 0
      ? {}
      : { service: autostops.map((autostop, i) => ({ autostart: true, autostop, internal_port: 8080 + i, protocol: "tcp" })) }),
  };
}

export const volume = (sizeGb: number, app = "web"): Json => ({ app: `\${fly_app.${app}.name}`, region: "iad", size_gb: sizeGb, name: "data" });
export const ip = (type: string, app = "web"): Json => ({ app: `\${fly_app.${app}.name}`, type });
export const cert = (hostname: string, app = "web"): Json => ({ app: `\${fly_app.${app}.name}`, hostname });

/** A stack with the fly provider of `org` and one fly_app per key used. */
export function stack(resources: Record<string, Record<string, Json>>, options: { org?: string; apps?: Record<string, { org?: string }> } = {}): Json {
  const apps = options.apps ?? { web: {} };
  return {
    provider: { fly: [{ org_slug: options.org ?? "acme" }] },
    resource: {
      fly_app: Object.fromEntries(Object.entries(apps).map(([key, app]) => [key, { name: `acme-${key}`, ...(app.org ? { org: app.org } : {}) }])),
      ...resources,
    },
  };
}
