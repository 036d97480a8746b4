/**
 * The numbers a canary is judged by, read from Fly's Prometheus. Only the `fly_app_*` series tell
 * one machine from another: Fly's metrics reference (https://fly.io/docs/monitoring/metrics/,
 * "Standard Labels") gives every series `app`, `region` and `host`, and `instance` (the machine id)
 * to all but `fly_edge_*` and `fly_volume_*`. So:
 * - requests and 5xx: `fly_app_http_responses_count{status}` (a counter, per machine);
 * - latency: `fly_app_http_response_time_seconds` (a histogram, per machine).
 * The baseline is the group's other machines over the same window. Without any (a group of one) or
 * when they served nothing, it is the group over the window before (the old release), and the
 * output says so.
 */
import type { PrometheusClient } from "../prometheus/client";
import type { Side } from "./judge";

export interface CanaryWindow {
  readonly app: string;
  readonly canary: string;
  /** The group's other machines' ids. */
  readonly others: readonly string[];
  readonly windowSeconds: number;
  /** End of the window, seconds since the epoch. */
  readonly at: number;
  readonly quantile: number;
}

export interface Measured {
  readonly canary: Side;
  readonly baseline: Side;
  /** What the baseline is, in words. */
  readonly baselineIs: string;
}

/** `instance="a"` or `instance=~"a|b"`: machine ids are hex, nothing to escape but checked. */
function instanceMatcher(ids: readonly string[]): string {
  for (const id of ids) if (!/^[0-9a-zA-Z_-]+$/.test(id)) throw new Error(`not a Fly machine id: ${JSON.stringify(id)}`);
  return ids.length === 1 ? `instance="${ids[0]}"` : `instance=~"${ids.join("|")}"`;
}

function appMatcher(app: string): string {
  return `app="${app.replace(/["\\]/g, "\\$&")}"`;
}

export function queriesFor(app: string, instances: readonly string[], windowSeconds: number, quantile: number, offsetSeconds = 0) {
  const selector = `${appMatcher(app)},${instanceMatcher(instances)}`;
  const range = `[${windowSeconds}s]${offsetSeconds > 0 ? ` offset ${offsetSeconds}s` : ""}`;
  return {
    requests: `sum(increase(fly_app_http_responses_count{${selector}}${range}))`,
    errors: `sum(increase(fly_app_http_responses_count{${selector},status=~"5.."}${range}))`,
    latency: `histogram_quantile(${quantile}, sum by (le) (increase(fly_app_http_response_time_seconds_bucket{${selector}}${range})))`,
  };
}

async function side(client: PrometheusClient, queries: ReturnType<typeof queriesFor>, at: number): Promise<Side> {
  const [requests, errors, latency] = await Promise.all([client.scalar(queries.requests, at), client.scalar(queries.errors, at), client.scalar(queries.latency, at)]);
  return { requests: Math.round(requests ?? 0), errors: Math.round(errors ?? 0), latency: latency !== undefined && Number.isFinite(latency) ? latency : undefined };
}

export async function measureCanary(client: PrometheusClient, w: CanaryWindow): Promise<Measured> {
  const canary = await side(client, queriesFor(w.app, [w.canary], w.windowSeconds, w.quantile), w.at);
  if (w.others.length > 0) {
    const baseline = await side(client, queriesFor(w.app, w.others, w.windowSeconds, w.quantile), w.at);
    if (baseline.requests > 0) return { canary, baseline, baselineIs: `the group's ${w.others.length} other machine${w.others.length === 1 ? "" : "s"} over the same window` };
  }
  // No machine serves the old release beside the canary: the group before the window did.
  const before = await side(client, queriesFor(w.app, [w.canary, ...w.others], w.windowSeconds, w.quantile, w.windowSeconds), w.at);
  return {
    canary,
    baseline: before,
    baselineIs: `the whole group over the window before this one (${w.others.length === 0 ? "the group has no other machine" : "its other machines served nothing in the window"}): no series tells a canary apart from machines that are not there`,
  };
}
