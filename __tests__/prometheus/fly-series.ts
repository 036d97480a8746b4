/**
 * Synthetic series shaped as Fly's built-in metrics (https://fly.io/docs/monitoring/metrics/):
 * `fly_app_http_responses_count{app,region,host,instance,status}` (a counter per machine) and the
 * `fly_app_http_response_time_seconds` histogram; `fly_edge_http_responses_count{app,region,host,status}`
 * and `fly_edge_http_response_time_seconds` (no instance label). Written the tests' own way.
 */
import type { Family, Series } from "./local-prometheus";

/** The histogram's bucket bounds (Fly does not document them; these are Prometheus' defaults). */
export const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface Traffic {
  readonly app: string;
  /** Machine id; undefined for edge series. */
  readonly instance?: string;
  readonly region?: string;
  /** Requests per minute. */
  readonly perMinute: number;
  /** Fraction of responses that are 5xx (0 to 1). */
  readonly errorRatio: number;
  /** Fraction of responses that are 4xx. @default 0 */
  readonly clientErrorRatio?: number;
  /** Response times: each request takes the next of these, cycling (seconds). */
  readonly latencies: readonly number[];
  /** From, to (seconds since the epoch). */
  readonly from: number;
  readonly to: number;
  /** Seconds between samples (each carries `perMinute` × step/60 requests). @default 60 */
  readonly step?: number;
}

function counters(t: Traffic, prefix: "fly_app" | "fly_edge"): { responses: Series[]; buckets: Series[]; count: Series[] } {
  const base: Record<string, string> = { app: t.app, region: t.region ?? "iad", host: "a1b2", ...(prefix === "fly_app" && t.instance ? { instance: t.instance } : {}) };
  const statuses = { "200": 0, "404": 0, "503": 0 };
  const buckets = new Map<string, number>();
  let total = 0;
  const samples = { "200": [] as [number, number][], "404": [] as [number, number][], "503": [] as [number, number][] };
  const bucketSamples = new Map<string, [number, number][]>();
  const countSamples: [number, number][] = [];
  const bounds = [...BUCKETS.map(String), "+Inf"];
  for (const le of bounds) bucketSamples.set(le, []);
  let served = 0;
  const step = t.step ?? 60;
  for (let time = t.from; time <= t.to; time += step) {
    // Whole requests each step, errors spread evenly (exact ratios over any whole number of steps).
    const n = Math.round((t.perMinute * step) / 60);
    for (let i = 0; i < n; i++) {
      served += 1;
      const errors = Math.floor(served * t.errorRatio) - Math.floor((served - 1) * t.errorRatio);
      // Offset, so a 4xx never falls on a request that is already a 5xx.
      const clientErrors = Math.floor((served + 37) * (t.clientErrorRatio ?? 0)) - Math.floor((served + 36) * (t.clientErrorRatio ?? 0));
      const status = errors > 0 ? "503" : clientErrors > 0 ? "404" : "200";
      statuses[status] += 1;
      const latency = t.latencies[served % t.latencies.length];
      for (const le of bounds) if (le === "+Inf" || latency <= Number(le)) buckets.set(le, (buckets.get(le) ?? 0) + 1);
      total += 1;
    }
    for (const status of Object.keys(samples) as (keyof typeof samples)[]) samples[status].push([time, statuses[status]]);
    for (const le of bounds) bucketSamples.get(le)!.push([time, buckets.get(le) ?? 0]);
    countSamples.push([time, total]);
  }
  return {
    responses: (Object.keys(samples) as (keyof typeof samples)[]).map((status) => ({ name: `${prefix}_http_responses_count`, labels: { ...base, status }, samples: samples[status] })),
    buckets: bounds.map((le) => ({ name: `${prefix}_http_response_time_seconds_bucket`, labels: { ...base, le }, samples: bucketSamples.get(le)! })),
    count: [{ name: `${prefix}_http_response_time_seconds_count`, labels: base, samples: countSamples }],
  };
}

/** Fly's per-machine proxy series and the app's edge series for each traffic source. */
export function flySeries(traffic: readonly Traffic[], edge: readonly Traffic[] = []): Family[] {
  const app = traffic.map((t) => counters(t, "fly_app"));
  const edges = edge.map((t) => counters(t, "fly_edge"));
  return [
    { name: "fly_app_http_responses_count", type: "counter", series: app.flatMap((c) => c.responses) },
    { name: "fly_app_http_response_time_seconds", type: "histogram", series: app.flatMap((c) => [...c.buckets, ...c.count]) },
    ...(edges.length > 0
      ? [
          { name: "fly_edge_http_responses_count", type: "counter" as const, series: edges.flatMap((c) => c.responses) },
          { name: "fly_edge_http_response_time_seconds", type: "histogram" as const, series: edges.flatMap((c) => [...c.buckets, ...c.count]) },
        ]
      : []),
  ];
}
