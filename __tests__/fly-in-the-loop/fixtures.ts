/**
 * Environments these tests own (never the shipped examples): small, valid, and each shaped for the
 * behaviour under test. Every call returns a fresh object a test may edit.
 */
import type { DeepMutable } from "../config/fixtures";
import type { EnvironmentConfig } from "../../src/config/types";

export type LoopEnvironment = DeepMutable<EnvironmentConfig>;

export const IMAGE_V1 = `registry.fly.io/loop-web@sha256:${"1".repeat(64)}`;
export const IMAGE_V2 = `registry.fly.io/loop-web@sha256:${"2".repeat(64)}`;

/**
 * `web`: a rolling group of two machines in each of two regions with an HTTP service and check;
 * `db`: one machine on its own volume; `api`: an app with two secrets. `web` has one custom domain.
 */
export function loopEnvironment(name = "loop", options: { protected?: boolean } = {}): LoopEnvironment {
  return {
    name,
    project: "loop",
    protected: options.protected ?? false,
    fly: { org: "loop-org" },
    dns: { zone: "example.net", cloudflareZoneId: "0123456789abcdef0123456789abcdef" },
    state: { backend: "local" },
    apps: {
      web: {
        name: `loop-web-${name}`,
        ips: { sharedIpv4: true, ipv6: true },
        domains: [`web-${name}.example.net`],
        groups: {
          web: {
            image: IMAGE_V1,
            guest: { cpuKind: "shared", cpus: 1, memoryMb: 256 },
            regions: ["iad", "lhr"],
            count: 2,
            deploy: { strategy: "rolling" },
            services: [
              {
                internalPort: 8080,
                ports: [{ port: 443, handlers: ["tls", "http"] }],
                checks: [{ type: "http", path: "/health", interval: "10s", timeout: "2s" }],
              },
            ],
          },
        },
      },
      db: {
        name: `loop-db-${name}`,
        ips: { sharedIpv4: false, ipv6: false },
        groups: {
          pg: {
            image: `registry.fly.io/loop-pg@sha256:${"3".repeat(64)}`,
            guest: { cpuKind: "shared", cpus: 1, memoryMb: 512 },
            regions: ["iad"],
            volume: { name: "pg_data", path: "/data", sizeGb: 3 },
          },
        },
      },
      api: {
        name: `loop-api-${name}`,
        ips: { sharedIpv4: false, ipv6: false },
        secrets: { DATABASE_URL: { version: "2026-11-01" }, SESSION_SECRET: { version: "2026-11-01" } },
        groups: {
          app: {
            image: `registry.fly.io/loop-api@sha256:${"4".repeat(64)}`,
            guest: { cpuKind: "shared", cpus: 1, memoryMb: 256 },
            regions: ["iad"],
          },
        },
      },
    },
  } as LoopEnvironment;
}
