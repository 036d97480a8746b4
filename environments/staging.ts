import type { EnvironmentConfig } from "../src/config/types";
import { flycastTcpService, httpService, IMAGES, tigrisState } from "./_presets";

/** Staging: the production topology at the smallest sizes, one region, machines that stop when idle. */
const staging: EnvironmentConfig = {
  name: "staging",
  project: "acme",
  protected: false,
  fly: { org: "acme" },
  dns: { zone: "example.com", cloudflareZoneId: "3f2c9a7d1b8e4c6fa0d5e2b7c9f1a4d3" },
  state: tigrisState,
  apps: {
    api: {
      name: "acme-api-staging",
      domains: ["api.staging.example.com", "*.preview.staging.example.com"],
      secrets: {
        DATABASE_URL: { version: "2026-11-01" },
        SESSION_SECRET: { version: "2026-09-15" },
      },
      groups: {
        web: {
          image: IMAGES.api,
          command: ["node", "dist/server.js"],
          guest: { cpuKind: "shared", cpus: 1, memoryMb: 512 },
          regions: ["iad"],
          count: 2,
          env: { NODE_ENV: "staging", PORT: "8080", LOG_LEVEL: "debug" },
          services: [httpService({ internalPort: 8080, healthPath: "/health", autostop: "stop", minMachinesRunning: 0 })],
          deploy: { strategy: "rolling" },
          release: { command: ["node", "dist/migrate.js"] },
        },
      },
    },
    worker: {
      name: "acme-worker-staging",
      ips: { sharedIpv4: false, ipv6: false },
      secrets: { DATABASE_URL: { version: "2026-11-01" } },
      groups: {
        worker: {
          image: IMAGES.worker,
          command: ["node", "dist/worker.js"],
          guest: { cpuKind: "shared", cpus: 1, memoryMb: 256 },
          regions: ["iad"],
          env: { NODE_ENV: "staging", CONCURRENCY: "2" },
          checks: [{ type: "http", port: 9090, path: "/healthz" }],
        },
      },
    },
    db: {
      name: "acme-db-staging",
      ips: { sharedIpv4: false, ipv6: false, flycast: true },
      // postgres-flex needs all four: SU_PASSWORD (superuser flypgadmin), OPERATOR_PASSWORD (user
      // postgres), REPL_PASSWORD (replication) and FLY_CONSUL_URL (its leader election). For the
      // last, run `fly consul attach --app acme-db-staging` once and store the URL it sets as the secret's value.
      // The apps reach the database over Flycast: DATABASE_URL is
      // postgres://<user>:<password>@acme-db-staging.flycast:5432/<database>.
      // Rather use Fly Managed Postgres? The provider cannot create it: create it with `fly mpg create`,
      // delete this app, and set each DATABASE_URL secret to its connection string.
      secrets: {
        SU_PASSWORD: { version: "2026-06-01" },
        OPERATOR_PASSWORD: { version: "2026-06-01" },
        REPL_PASSWORD: { version: "2026-06-01" },
        FLY_CONSUL_URL: { version: "2026-06-01" },
      },
      groups: {
        postgres: {
          image: IMAGES.postgres,
          guest: { cpuKind: "shared", cpus: 1, memoryMb: 512 },
          regions: ["iad"],
          env: { PRIMARY_REGION: "iad" },
          services: [flycastTcpService(5432)],
          volume: { name: "pg_data", path: "/data", sizeGb: 5, snapshotRetentionDays: 7, autoBackup: true },
        },
      },
    },
  },
};

export default staging;
