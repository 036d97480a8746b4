/** An environment these tests own whose apps use everything a dashboard reads: SLOs, volumes, metrics, concurrency limits, several groups, Grafana. */
import { loopEnvironment, type LoopEnvironment } from "../fixtures/environments";

export function dashboardEnvironment(name = "dash"): LoopEnvironment {
  const env = loopEnvironment(name);
  env.apps.web.groups.web.services = [
    {
      internalPort: 8080,
      ports: [{ port: 443, handlers: ["tls", "http"] }],
      concurrency: { type: "requests", softLimit: 20, hardLimit: 25 },
      slo: { availability: 99, latencyMs: { p: 99, under: 500 } },
    },
  ];
  env.apps.web.groups.web.metrics = { port: 9091, path: "/metrics" };
  env.apps.web.groups.jobs = { image: env.apps.web.groups.web.image, guest: { cpuKind: "shared", cpus: 2, memoryMb: 1024 }, regions: ["iad"] };
  env.monitoring = {
    name: `loop-monitoring-${name}`,
    region: "iad",
    prometheusTokenVersion: "1",
    receivers: { page: { kind: "webhook", version: "1" } },
    grafana: { adminPasswordVersion: "1" },
  };
  return env;
}
