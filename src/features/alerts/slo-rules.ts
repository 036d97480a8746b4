/**
 * SLO alerts from a service's `slo`, over Fly's edge metrics of the app (docs: Metrics on Fly.io,
 * "Proxy series"): `fly_edge_http_responses_count{app,status}` counts every HTTP response Fly's
 * proxy returned for the app; `fly_edge_http_response_time_seconds` is their latency histogram
 * (`_bucket{le}`, `_count`). The edge series carry no service or process-group label, so an
 * objective covers all the app's HTTP traffic (which is why only one service of an app may set it).
 */
import type { LatencyObjective, SloConfig } from "../../config/types";
import { BURN_RATE_WINDOWS, errorBudget } from "./burn-rate";
import { type AlertRule, type RuleContext, promNumber, promString, runbookLink } from "./types";

const RESPONSES = "fly_edge_http_responses_count";
const LATENCY = "fly_edge_http_response_time_seconds";

/** What a bad ratio may fall short of its threshold by and still count as reaching it (floating-point noise). */
export const FLOAT_MARGIN = "1e-12";

/** The share of bad events over a window, as PromQL (empty when the app had no traffic: 0/0 is NaN, which never fires). */
export type BadRatio = (window: string) => string;

export function availabilityBadRatio(app: string): BadRatio {
  const selector = `app=${promString(app)}`;
  return (w) => `sum(rate(${RESPONSES}{${selector},status=~"5.."}[${w}])) / sum(rate(${RESPONSES}{${selector}}[${w}]))`;
}

/** The `le` label of the bucket holding requests faster than `ms`: seconds, as Prometheus clients format them (0.5, 1, 2.5). */
export function latencyBucketLabel(ms: number): string {
  return promNumber(ms / 1000);
}

export function latencyBadRatio(app: string, objective: LatencyObjective): BadRatio {
  const selector = `app=${promString(app)}`;
  const le = promString(latencyBucketLabel(objective.under));
  return (w) => `1 - (sum(rate(${LATENCY}_bucket{${selector},le=${le}}[${w}])) / sum(rate(${LATENCY}_count{${selector}}[${w}])))`;
}

function burnRateRules(kind: "Availability" | "Latency", app: string, objectivePercent: number, what: string, badRatio: BadRatio, context: RuleContext): AlertRule[] {
  const budget = errorBudget(objectivePercent);
  return BURN_RATE_WINDOWS.map((window) => {
    const alert = `SLO${kind}${window.name}`;
    const threshold = promNumber(window.burnRate * budget);
    // `>=`: at exactly the burn rate the budget is spent as the window's share says, and the alert
    // fires. The ratio of two rates is computed in floating point and can land one step under the
    // threshold (0.014399999999999998 for 0.0144, seen with promtool 2.42 and 3.16): the comparison
    // allows FLOAT_MARGIN, a ten-millionth of the smallest threshold an objective can have (1e-5:
    // 99.999% burning at 1×).
    const atLeast = `>= ${threshold} - ${FLOAT_MARGIN}`;
    return {
      alert,
      expr: `(${badRatio(window.long)}) ${atLeast}\nand\n(${badRatio(window.short)}) ${atLeast}`,
      labels: { severity: window.severity, environment: context.environment, app, slo: kind.toLowerCase(), window: `${window.long}/${window.short}` },
      annotations: {
        summary: `${app}: ${what} burns its error budget ${window.burnRate}x as fast as the ${objectivePercent}% objective allows`,
        description:
          `Over the last ${window.long} and ${window.short}, at least ${threshold} of ${app}'s requests were ${kind === "Availability" ? "answered with a 5xx" : "slower than the objective"} ` +
          `(objective ${objectivePercent}%, error budget ${promNumber(budget)}). At this rate ${window.budgetSpent} is gone.`,
        runbook_url: runbookLink(context, alert),
      },
    };
  });
}

/** An objective that cannot be measured must not stay silent: a threshold that is no bucket boundary has no series. */
function latencyUnmeasurable(app: string, objective: LatencyObjective, context: RuleContext): AlertRule {
  const selector = `app=${promString(app)}`;
  const le = latencyBucketLabel(objective.under);
  const alert = "SLOLatencyUnmeasurable";
  return {
    alert,
    expr: `sum(rate(${LATENCY}_count{${selector}}[1h])) > 0\nunless\nsum(rate(${LATENCY}_bucket{${selector},le=${promString(le)}}[1h]))`,
    for: "1h",
    labels: { severity: "ticket", environment: context.environment, app, slo: "latency" },
    annotations: {
      summary: `${app}: the latency objective (${objective.p}% under ${objective.under} ms) cannot be measured`,
      description: `${app} serves HTTP traffic, but Fly's edge latency histogram has no bucket le="${le}": ${objective.under} ms is not one of its bucket boundaries, so the latency SLO alerts can never fire. Set slo.latencyMs.under to a boundary Fly publishes.`,
      runbook_url: runbookLink(context, alert),
    },
  };
}

/** Every SLO alert of one app (by its Fly name). */
export function sloRules(app: string, slo: SloConfig, context: RuleContext): AlertRule[] {
  const rules: AlertRule[] = [];
  if (slo.availability !== undefined) {
    rules.push(...burnRateRules("Availability", app, slo.availability, "availability", availabilityBadRatio(app), context));
  }
  if (slo.latencyMs !== undefined) {
    const what = `latency (${slo.latencyMs.p}% under ${slo.latencyMs.under} ms)`;
    rules.push(...burnRateRules("Latency", app, slo.latencyMs.p, what, latencyBadRatio(app, slo.latencyMs), context));
    rules.push(latencyUnmeasurable(app, slo.latencyMs, context));
  }
  return rules;
}
