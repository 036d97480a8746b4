import type { CliContext } from "./command";
import { UsageError } from "./args";
import { flyAuthorization, flyPrometheusUrl, PrometheusClient } from "../src/features/prometheus/client";

/**
 * Fly's Prometheus for `org` from the CLI's environment: FLYSTACK_PROMETHEUS_URL overrides the URL
 * (a local server in tests; another endpoint); FLY_API_TOKEN authenticates (an org or read-only
 * token reads the organization's metrics). Cancelled at the first SIGINT/SIGTERM.
 */
export function prometheusFromEnv(ctx: CliContext, org: string): PrometheusClient {
  const url = ctx.env.FLYSTACK_PROMETHEUS_URL || flyPrometheusUrl(org);
  const token = ctx.env.FLY_API_TOKEN;
  if (!token && !ctx.env.FLYSTACK_PROMETHEUS_URL) throw new UsageError("needs FLY_API_TOKEN to read the organization's metrics (an org or read-only token)");
  const controller = new AbortController();
  const interruption = ctx.runner.interruption;
  if (interruption?.interrupted) controller.abort();
  else interruption?.onInterrupt(() => controller.abort());
  return new PrometheusClient({ url, authorization: token ? flyAuthorization(token) : undefined, signal: controller.signal });
}

/** FLYSTACK_CANARY_EVALUATE_AT style times: seconds since the epoch, or an ISO 8601 date-time. */
export function parseTime(value: string, what: string): number {
  const seconds = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Date.parse(value) / 1000;
  if (!Number.isFinite(seconds)) throw new UsageError(`${what} must be seconds since the epoch or an ISO 8601 time, got "${value}"`);
  return seconds;
}
