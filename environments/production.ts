import type { EnvironmentConfig } from "../src/config/types";
import { flycastTcpService, httpService, IMAGES, tigrisState } from "./_presets";

/** Production: two regions for the API, at least two machines everywhere, protected state. */
const production: EnvironmentConfig = {
  name: "production",
  project: "acme",
  protected: true,
  fly: { org: "acme" },
  dns: { zone: "example.com", cloudflareZoneId: "3f2c9a7d1b8e4c6fa0d5e2b7c9f1a4d3" },
  state: tigrisState,
  apps: {
    api: {
      name: "acme-api-prod",
      ips: { sharedIpv4: true, ipv6: true },
      domains: ["example.com", "api.example.com"],
      // Services the Fly provider cannot create (Upstash Redis via `fly redis create`, Tigris buckets,
      // Fly Managed Postgres) are made once with flyctl; the app reaches them through a secret, e.g.
      // REDIS_URL: { version: "2026-11-01" } here, with its value in TF_VAR_api_REDIS_URL.
      secrets: {
        DATABASE_URL: { version: "2026-11-01" },
        SESSION_SECRET: { version: "2026-09-15" },
      },
      groups: {
        web: {
          image: IMAGES.api,
          command: ["node", "dist/server.js"],
          guest: { cpuKind: "shared", cpus: 2, memoryMb: 1024 },
          regions: ["iad", "lhr"],
          count: 2,
          env: { NODE_ENV: "production", PORT: "8080", LOG_LEVEL: "info" },
          // 99.9% of requests without a 5xx and 99% under 500 ms, over 30 days: burning the error
          // budget fast pages (docs/runbook.md, "Alerts"); the monitoring app below evaluates them.
          services: [httpService({ internalPort: 8080, healthPath: "/health", minMachinesRunning: 2, slo: { availability: 99.9, latencyMs: { p: 99, under: 500 } } })],
          // The API's own Prometheus metrics, scraped by Fly into the organization's Prometheus.
          metrics: { port: 9091, path: "/metrics" },
          restart: { policy: "on-failure", maxRetries: 10 },
          deploy: { strategy: "rolling" },
          release: { command: ["node", "dist/migrate.js"] },
        },
      },
    },
    worker: {
      name: "acme-worker-prod",
      ips: { sharedIpv4: false, ipv6: false },
      secrets: { DATABASE_URL: { version: "2026-11-01" } },
      groups: {
        worker: {
          image: IMAGES.worker,
          command: ["node", "dist/worker.js"],
          guest: { cpuKind: "shared", cpus: 1, memoryMb: 1024 },
          regions: ["iad"],
          count: 2,
          env: { NODE_ENV: "production", CONCURRENCY: "8" },
          checks: [{ type: "http", port: 9090, path: "/healthz", interval: "15s", timeout: "5s", gracePeriod: "20s" }],
          restart: { policy: "always" },
        },
      },
    },
    db: {
      name: "acme-db-prod",
      ips: { sharedIpv4: false, ipv6: false, flycast: true },
      // postgres-flex needs all four: SU_PASSWORD (superuser flypgadmin), OPERATOR_PASSWORD (user
      // postgres), REPL_PASSWORD (replication) and FLY_CONSUL_URL (its leader election). For the
      // last, run `fly consul attach --app acme-db-prod` once and store the URL it sets as the secret's value.
      // The apps reach the database over Flycast: DATABASE_URL is
      // postgres://<user>:<password>@acme-db-prod.flycast:5432/<database>.
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
          guest: { cpuKind: "performance", cpus: 1, memoryMb: 2048 },
          regions: ["iad"],
          count: 2,
          env: { PRIMARY_REGION: "iad" },
          services: [flycastTcpService(5432)],
          volume: { name: "pg_data", path: "/data", sizeGb: 40, snapshotRetentionDays: 14, autoBackup: true },
          deploy: { strategy: "rolling" },
        },
      },
    },
  },
  // vmalert and Alertmanager on a private app: the platform alerts of every app above, the API's SLO
  // alerts, paging through PagerDuty and tickets to Slack. `bin/flystack alerts production` prints them.
  // Secret values: TF_VAR_monitoring_FLY_PROMETHEUS_TOKEN (`fly tokens create readonly acme`),
  // TF_VAR_monitoring_PAGE_RECEIVER (a PagerDuty integration key), TF_VAR_monitoring_TICKET_RECEIVER (a Slack webhook URL).
  monitoring: {
    name: "acme-monitoring-prod",
    region: "iad",
    prometheusTokenVersion: "2026-11-27",
    receivers: {
      page: { kind: "pagerduty", version: "2026-11-27" },
      ticket: { kind: "slack", version: "2026-11-27" },
    },
    // A Grafana with the dashboards `bin/flystack dashboards` writes, private (fly proxy 3000).
    grafana: { adminPasswordVersion: "2026-12-07" },
  },
};

export default production;
