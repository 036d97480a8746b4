import type { EnvironmentConfig } from "../src/config/types";

export interface GeneratedEnvironmentOptions {
  /** `stacks: "per-app"`: one stack per app. @default the environment's single stack */
  readonly perAppStacks?: boolean;
}

/**
 * A synthetic environment of `apps` apps with `machinesPerApp` machines each (spread over two
 * regions, or one when an app has a single machine; every app with a secret and a domain), for
 * measuring how synthesis scales. An app of one machine is the one-app-per-customer shape: it
 * suppresses FLY004 (a public group needs two machines in its primary region) with a reason, as
 * such a project would.
 */
export function generatedEnvironment(apps: number, machinesPerApp: number, options: GeneratedEnvironmentOptions = {}): EnvironmentConfig {
  const regions = machinesPerApp >= 2 ? ["iad", "lhr"] : ["iad"];
  const perRegion = Math.ceil(machinesPerApp / regions.length);
  return {
    name: "generated",
    project: "bench",
    protected: true,
    ...(options.perAppStacks ? { stacks: "per-app" as const } : {}),
    fly: { org: "bench" },
    dns: { zone: "example.com", cloudflareZoneId: "0123456789abcdef0123456789abcdef" },
    state: { backend: "s3", bucket: "bench-state", endpoint: "https://fly.storage.tigris.dev" },
    apps: Object.fromEntries(
      Array.from({ length: apps }, (_, i) => [
        `app${i}`,
        {
          name: `bench-app-${i}`,
          domains: [`app${i}.example.com`],
          secrets: { DATABASE_URL: { version: "1" } },
          ...(machinesPerApp < 2 ? { suppressions: [{ id: "FLY004", reason: "one small app per customer; a customer's outage is theirs alone" }] } : {}),
          groups: {
            web: {
              image: `registry.fly.io/bench-app-${i}:v1.0.0`,
              guest: { cpuKind: "shared" as const, cpus: 1, memoryMb: 512 },
              regions,
              count: perRegion,
              env: { NODE_ENV: "production" },
              services: [
                {
                  internalPort: 8080,
                  ports: [{ port: 443, handlers: ["tls" as const, "http" as const] }],
                  checks: [{ type: "http" as const, path: "/health" }],
                },
              ],
            },
          },
        },
      ]),
    ),
  };
}
