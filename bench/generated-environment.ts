import type { EnvironmentConfig } from "../src/config/types";

/**
 * A synthetic environment of `apps` apps with `machinesPerApp` machines each (spread over
 * two regions, every app with a secret and a domain), for measuring how synthesis scales.
 */
export function generatedEnvironment(apps: number, machinesPerApp: number): EnvironmentConfig {
  const perRegion = Math.ceil(machinesPerApp / 2);
  return {
    name: "generated",
    project: "bench",
    protected: true,
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
          groups: {
            web: {
              image: `registry.fly.io/bench-app-${i}:v1.0.0`,
              guest: { cpuKind: "shared" as const, cpus: 1, memoryMb: 512 },
              regions: ["iad", "lhr"],
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
