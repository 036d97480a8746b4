/**
 * A small client for the Prometheus HTTP API (`/api/v1/query`) as Fly's managed Prometheus serves it
 * (https://fly.io/docs/monitoring/metrics/: `https://api.fly.io/prometheus/<org>/`, VictoriaMetrics
 * behind the standard query API). Each request has a deadline that always fires (exchange.ts) and
 * can be cancelled; an answer that is not what the API documents is an error naming the query.
 */
import { CancelledError, DeadlineError, exchange } from "../../fly/api/exchange";
import { isObject } from "../../util/json-object";

/** Fly's managed Prometheus of an organization. */
export function flyPrometheusUrl(org: string): string {
  return `https://api.fly.io/prometheus/${encodeURIComponent(org)}`;
}

/**
 * The Authorization header for a Fly token: macaroon tokens (`fm2_…`, `FlyV1 …`: org and read-only
 * tokens) go as `FlyV1 <token>`, others as `Bearer <token>` (the docs' "Authentication" section).
 */
export function flyAuthorization(token: string): string {
  const t = token.trim();
  if (t.startsWith("FlyV1 ")) return t;
  if (t.startsWith("fm1") || t.startsWith("fm2_")) return `FlyV1 ${t}`;
  return `Bearer ${t}`;
}

export class PrometheusError extends Error {
  override readonly name = "PrometheusError";
}

/** One series of an instant vector: its labels and value. */
export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface PrometheusClientOptions {
  /** Base URL, e.g. https://api.fly.io/prometheus/my-org (no trailing /api/v1). */
  readonly url: string;
  /** The Authorization header value; none for a local server. @default none */
  readonly authorization?: string;
  /** Deadline of each query. @default 30 000 ms */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly fetch?: typeof fetch;
}

export class PrometheusClient {
  constructor(private readonly options: PrometheusClientOptions) {}

  get url(): string {
    return this.options.url;
  }

  /** An instant query at `time` (seconds since the epoch). */
  async query(expr: string, time: number): Promise<Sample[]> {
    const url = `${this.options.url.replace(/\/+$/, "")}/api/v1/query?${new URLSearchParams({ query: expr, time: time.toFixed(3) })}`;
    const headers = new Headers({ accept: "application/json" });
    if (this.options.authorization) headers.set("authorization", this.options.authorization);
    const where = `GET ${this.options.url}/api/v1/query (${expr.length > 120 ? `${expr.slice(0, 120)}…` : expr})`;
    let answer;
    try {
      answer = await exchange(this.options.fetch ?? fetch, { url, method: "GET", headers }, this.options.timeoutMs ?? 30_000, this.options.signal);
    } catch (error) {
      if (error instanceof DeadlineError || error instanceof CancelledError) throw new PrometheusError(`${where}: ${error.message}`);
      throw new PrometheusError(`${where}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (answer.status === 401 || answer.status === 403) throw new PrometheusError(`${where}: ${answer.status}: the token may not read this organization's metrics`);
    let body: unknown;
    try {
      body = JSON.parse(answer.text);
    } catch {
      throw new PrometheusError(`${where}: ${answer.status}, not JSON: ${answer.text.slice(0, 200)}`);
    }
    if (!isObject(body) || body.status !== "success") {
      const error = isObject(body) && typeof body.error === "string" ? body.error : answer.text.slice(0, 200);
      throw new PrometheusError(`${where}: ${answer.status}: ${error}`);
    }
    const data = body.data;
    if (!isObject(data) || data.resultType !== "vector" || !Array.isArray(data.result)) {
      throw new PrometheusError(`${where}: expected an instant vector (data.resultType "vector"), got ${JSON.stringify(isObject(data) ? data.resultType : data)}`);
    }
    return data.result.map((entry): Sample => {
      if (!isObject(entry) || !isObject(entry.metric) || !Array.isArray(entry.value) || entry.value.length !== 2) throw new PrometheusError(`${where}: a result is not {metric, value: [time, "value"]}`);
      return { labels: entry.metric as Record<string, string>, value: Number(entry.value[1]) };
    });
  }

  /** The single value of a query that sums to one series; undefined when it has none (no data). */
  async scalar(expr: string, time: number): Promise<number | undefined> {
    const samples = await this.query(expr, time);
    if (samples.length > 1) throw new PrometheusError(`${expr}: expected one series, got ${samples.length}`);
    const value = samples[0]?.value;
    return value === undefined || Number.isNaN(value) ? undefined : value;
  }
}
