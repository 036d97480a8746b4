/**
 * Whether a canary may be promoted: its 5xx ratio and its latency quantile against a baseline's,
 * each within an allowed multiple. Pure: the numbers come from ./analyze.ts.
 *
 * As in canary analysis elsewhere (the SRE workbook's canary-versus-control comparison; Argo
 * Rollouts' "inconclusive"), too little traffic is neither a pass nor a failure: it is reported, and
 * the configured `onInsufficientData` decides.
 */

/** A 5xx ratio below this counts as this: one stray error beside spotless machines is not a 100× regression. */
export const ERROR_RATIO_FLOOR = 0.001;

export interface Side {
  readonly requests: number;
  readonly errors: number;
  /** Seconds; undefined when no latency histogram had data. */
  readonly latency: number | undefined;
}

export interface CanaryLimits {
  readonly maxErrorRatio: number;
  readonly maxLatencyRatio: number;
  readonly quantile: number;
  readonly minRequests: number;
  readonly onInsufficientData: "pass" | "fail";
}

export interface Check {
  readonly name: string;
  readonly canary: string;
  readonly baseline: string;
  /** canary / baseline; undefined when it cannot be computed. */
  readonly ratio: number | undefined;
  readonly allowed: number;
  readonly passed: boolean;
}

export type Verdict =
  | { readonly outcome: "pass" | "fail"; readonly checks: readonly Check[]; readonly reason: string }
  | { readonly outcome: "insufficient"; readonly passes: boolean; readonly checks: readonly Check[]; readonly reason: string };

const percent = (ratio: number) => `${(ratio * 100).toFixed(2)}%`;
const seconds = (s: number | undefined) => (s === undefined ? "no data" : `${s.toFixed(3)} s`);
const times = (r: number | undefined) => (r === undefined ? "—" : `${r.toFixed(2)}×`);

export function judgeCanary(canary: Side, baseline: Side, limits: CanaryLimits): Verdict {
  const canaryRatio = canary.requests > 0 ? canary.errors / canary.requests : 0;
  const baselineRatio = baseline.requests > 0 ? baseline.errors / baseline.requests : 0;
  const errorRatio = Math.max(canaryRatio, ERROR_RATIO_FLOOR) / Math.max(baselineRatio, ERROR_RATIO_FLOOR);
  const errorCheck: Check = {
    name: "5xx ratio",
    canary: percent(canaryRatio),
    baseline: percent(baselineRatio),
    ratio: errorRatio,
    allowed: limits.maxErrorRatio,
    passed: errorRatio <= limits.maxErrorRatio,
  };
  const latencyRatio = canary.latency !== undefined && baseline.latency !== undefined && baseline.latency > 0 ? canary.latency / baseline.latency : undefined;
  const latencyCheck: Check = {
    name: `p${Math.round(limits.quantile * 1000) / 10} latency`,
    canary: seconds(canary.latency),
    baseline: seconds(baseline.latency),
    ratio: latencyRatio,
    allowed: limits.maxLatencyRatio,
    passed: latencyRatio === undefined || latencyRatio <= limits.maxLatencyRatio,
  };
  const checks = [errorCheck, latencyCheck];
  const short = [canary.requests < limits.minRequests ? `the canary served ${canary.requests} requests` : "", baseline.requests < limits.minRequests ? `the baseline served ${baseline.requests}` : ""].filter(Boolean);
  if (short.length > 0) {
    const passes = limits.onInsufficientData === "pass";
    return {
      outcome: "insufficient",
      passes,
      checks,
      reason: `too little traffic to judge: ${short.join(" and ")}, fewer than the ${limits.minRequests} needed; onInsufficientData is "${limits.onInsufficientData}", so the gate ${passes ? "passes" : "fails"}`,
    };
  }
  const failed = checks.filter((c) => !c.passed);
  if (failed.length > 0) {
    return { outcome: "fail", checks, reason: failed.map((c) => `the canary's ${c.name} is ${times(c.ratio)} the baseline's (allowed ${c.allowed}×)`).join("; ") };
  }
  return { outcome: "pass", checks, reason: `the canary's 5xx ratio and ${latencyCheck.name} are within ${limits.maxErrorRatio}× and ${limits.maxLatencyRatio}× the baseline's` };
}

export function formatChecks(checks: readonly Check[]): string[] {
  return checks.map((c) => `  ${c.name.padEnd(14)} canary ${c.canary.padStart(10)}   baseline ${c.baseline.padStart(10)}   ${times(c.ratio).padStart(7)} (allowed ${c.allowed}×): ${c.passed ? "pass" : "FAIL"}`);
}
