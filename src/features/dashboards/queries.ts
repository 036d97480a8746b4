/**
 * Each panel's PromQL, built from the app's configuration over Fly's built-in series
 * (https://fly.io/docs/monitoring/metrics/):
 * - `fly_edge_http_responses_count{app,status}` (counter) and `fly_edge_http_response_time_seconds`
 *   (histogram): every HTTP response Fly's proxy returned for the app — traffic, errors, latency;
 * - `fly_app_concurrency{app,instance}` (gauge): requests in flight per machine, which the service's
 *   concurrency limits bound;
 * - `fly_instance_cpu{app,instance,mode}` (counter, centiseconds), `fly_instance_memory_mem_total` and
 *   `fly_instance_memory_mem_available` (bytes), `fly_instance_load_average{minutes}`: per machine;
 * - `fly_volume_used_pct{app,id}` (0–100): per volume.
 * Windows are fixed (`[5m]`), not Grafana's `$__rate_interval`, so every query is plain PromQL that
 * promtool parses and a test evaluates.
 */
import { promNumber, promString } from "../alerts/types";

export const RATE_WINDOW = "5m";

const app = (name: string) => `app=${promString(name)}`;

export const latencyQuantile = (flyApp: string, q: number) =>
  `histogram_quantile(${promNumber(q)}, sum by (le) (rate(fly_edge_http_response_time_seconds_bucket{${app(flyApp)}}[${RATE_WINDOW}])))`;

export const trafficByStatus = (flyApp: string) => `sum by (status) (rate(fly_edge_http_responses_count{${app(flyApp)}}[${RATE_WINDOW}]))`;

export const requestRate = (flyApp: string) => `sum(rate(fly_edge_http_responses_count{${app(flyApp)}}[${RATE_WINDOW}]))`;

/** The share of responses with a status of `klass` ("5" or "4") over the window. */
export const statusRatio = (flyApp: string, klass: "4" | "5") =>
  `sum(rate(fly_edge_http_responses_count{${app(flyApp)},status=~"${klass}.."}[${RATE_WINDOW}])) / sum(rate(fly_edge_http_responses_count{${app(flyApp)}}[${RATE_WINDOW}]))`;

/** vCPUs busy per machine (centiseconds of non-idle time a second, / 100). */
export const cpuBusy = (flyApp: string) => `sum by (instance) (rate(fly_instance_cpu{${app(flyApp)},mode!="idle"}[${RATE_WINDOW}])) / 100`;

export const memoryUsed = (flyApp: string) => `sum by (instance) (fly_instance_memory_mem_total{${app(flyApp)}} - fly_instance_memory_mem_available{${app(flyApp)}})`;

export const loadAverage = (flyApp: string) => `sum by (instance) (fly_instance_load_average{${app(flyApp)},minutes="1"})`;

export const concurrency = (flyApp: string) => `sum by (instance) (fly_app_concurrency{${app(flyApp)}})`;

export const volumeUsed = (flyApp: string) => `max by (id) (fly_volume_used_pct{${app(flyApp)}})`;

/** The app's own series (its `metrics` endpoint, scraped by Fly): how many per metric name. */
export const ownSeries = (flyApp: string) => `count by (__name__) ({${app(flyApp)},__name__!~"fly_.*"})`;

/** A constant line (a limit): `vector(x)`. */
export const constant = (value: number) => `vector(${promNumber(value)})`;
