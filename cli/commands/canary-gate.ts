import { type Command, EXIT } from "../command";
import { parseArgs, UsageError } from "../args";
import { flyClientFromEnv } from "../fly-client";
import { parseTime, prometheusFromEnv } from "../prometheus-client";
import { durationMs } from "../../src/fly/duration";
import { measureCanary } from "../../src/features/canary/analyze";
import { formatChecks, judgeCanary } from "../../src/features/canary/judge";
import { PrometheusError } from "../../src/features/prometheus/client";
import { FlyApiError } from "../../src/fly/api/errors";
import type { Interruption } from "../../src/process/signals";

const number = (value: string | undefined, flag: string, min: number, max: number, fallback?: number): number => {
  if (value === undefined) {
    if (fallback === undefined) throw new UsageError(`${flag} is required`);
    return fallback;
  }
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`${flag} must be a number from ${min} to ${max}, got "${value}"`);
  return n;
};

/** `flystack canary-gate`: what a rolling group's canary gate (constructs/canary-gate.ts) runs during an apply. */
export const canaryGate: Command = {
  name: "canary-gate",
  summary: "Judge a rolling group's canary by its 5xx ratio and latency against the group's other machines (run by the gate during apply)",
  help: `Usage: flystack canary-gate --app APP --org ORG --group GROUP --machine ID [--group-size N] --window 10m
                             --max-error-ratio N --max-latency-ratio N [--quantile Q] [--min-requests N]
                             [--on-insufficient-data pass|fail]

Run by the canary gate of a group with deploy.canary, between its first machine (the canary) and the
others, during "flystack apply". Waits for the window, then reads Fly's Prometheus
(https://api.fly.io/prometheus/ORG) and compares the canary machine with the group's other machines
over the same window: its 5xx ratio (fly_app_http_responses_count) and its latency quantile
(fly_app_http_response_time_seconds), the only series that carry the machine (instance label). Without
another machine that served traffic, the baseline is the group over the window before, and the
output says so. Fails the gate, and so the apply, when either is over its allowed multiple: the
group's other machines stay on the old release.

Options:
  --app APP                  The Fly app.
  --org ORG                  Its organization (whose Prometheus to read).
  --group GROUP              The process group (its other machines are the baseline).
  --machine ID               The canary's machine id.
  --group-size N             How many machines the group declares. When fewer of its other machines
                             exist, the group is being created: there is no old release to compare
                             with, and the gate passes, saying so. Default: the machines there are.
  --window DURATION          How long to watch, e.g. 10m or 600s.
  --max-error-ratio N        Most the canary's 5xx ratio may be, as a multiple of the baseline's (a
                             ratio under 0.1% counts as 0.1%).
  --max-latency-ratio N      Most its latency quantile may be, as a multiple of the baseline's.
  --quantile Q               The latency quantile. Default: 0.99
  --min-requests N           Fewest requests each side needs to be judged. Default: 100
  --on-insufficient-data pass|fail
                             With too little traffic: pass (saying so) or fail. Default: fail
  --help                     Show this help.

Environment: FLY_API_TOKEN (lists the group's machines; reads the metrics); FLYSTACK_PROMETHEUS_URL
instead of Fly's Prometheus; FLYSTACK_CANARY_EVALUATE_AT=TIME judges the window ending at TIME
(seconds since the epoch or ISO 8601) at once, without waiting: for replaying recorded metrics.

Exit codes: 0 the canary passed (or too little traffic with --on-insufficient-data pass); 1 it failed,
too little traffic with fail, or the metrics or the machines could not be read.`,
  async run(args, ctx) {
    const { options } = parseArgs(args, {
      app: { kind: "string" }, org: { kind: "string" }, group: { kind: "string" }, machine: { kind: "string" }, window: { kind: "string" },
      "max-error-ratio": { kind: "string" }, "max-latency-ratio": { kind: "string" }, quantile: { kind: "string" }, "min-requests": { kind: "string" },
      "on-insufficient-data": { kind: "string" }, "group-size": { kind: "string" },
    });
    for (const flag of ["app", "org", "group", "machine", "window"] as const) if (!options[flag]) throw new UsageError(`--${flag} is required`);
    const windowMs = durationMs(options.window);
    if (windowMs === undefined || windowMs < 1000) throw new UsageError(`--window must be a duration such as 10m or 600s, got "${options.window}"`);
    const insufficient = options["on-insufficient-data"] ?? "fail";
    if (insufficient !== "pass" && insufficient !== "fail") throw new UsageError(`--on-insufficient-data must be pass or fail, got "${insufficient}"`);
    const limits = {
      maxErrorRatio: number(options["max-error-ratio"], "--max-error-ratio", 1, 100),
      maxLatencyRatio: number(options["max-latency-ratio"], "--max-latency-ratio", 1, 100),
      quantile: number(options.quantile, "--quantile", 0.5, 0.999, 0.99),
      minRequests: number(options["min-requests"], "--min-requests", 1, 10_000_000, 100),
      onInsufficientData: insufficient,
    } as const;
    const app = options.app!;
    const label = `canary-gate ${app}/${options.group}`;
    const say = (line: string) => ctx.stderr.write(`${label}: ${line}\n`);

    const fly = flyClientFromEnv(ctx, label);
    if (!fly) throw new UsageError("needs FLY_API_TOKEN to list the group's machines and read the metrics");
    const prometheus = prometheusFromEnv(ctx, options.org!);
    try {
      const machines = await fly.listMachines(app);
      const others = machines
        .filter((m) => m.id !== options.machine && m.state !== "destroyed" && m.config?.metadata?.fly_process_group === options.group)
        .map((m) => m.id!)
        .filter(Boolean)
        .sort();
      const groupSize = options["group-size"] === undefined ? others.length + 1 : number(options["group-size"], "--group-size", 1, 100_000);
      if (others.length < groupSize - 1) {
        ctx.stdout.write(`PASS: the group is being created (${others.length} of its ${groupSize - 1} other machines exist): there is no old release to compare the canary with\n`);
        return EXIT.ok;
      }
      const replay = ctx.env.FLYSTACK_CANARY_EVALUATE_AT;
      const at = replay ? parseTime(replay, "FLYSTACK_CANARY_EVALUATE_AT") : await waitWindow(windowMs, say, ctx.runner.interruption);
      if (replay) say(`judging the window ending ${new Date(at * 1000).toISOString()} at once (FLYSTACK_CANARY_EVALUATE_AT)`);
      const measured = await measureCanary(prometheus, { app, canary: options.machine!, others, windowSeconds: Math.round(windowMs / 1000), at, quantile: limits.quantile });
      const verdict = judgeCanary(measured.canary, measured.baseline, limits);
      const passes = verdict.outcome === "pass" || (verdict.outcome === "insufficient" && verdict.passes);
      ctx.stdout.write(
        [
          `canary ${options.machine} of ${app}/${options.group}, ${options.window} window ending ${new Date(at * 1000).toISOString()}`,
          `baseline: ${measured.baselineIs}`,
          `  requests       canary ${String(measured.canary.requests).padStart(10)}   baseline ${String(measured.baseline.requests).padStart(10)}`,
          ...formatChecks(verdict.checks),
          `${passes ? "PASS" : "FAIL"}: ${verdict.reason}${passes ? "" : "; the group's other machines stay on the old release"}`,
          "",
        ].join("\n"),
      );
      return passes ? EXIT.ok : EXIT.error;
    } catch (error) {
      if (error instanceof PrometheusError || error instanceof FlyApiError) {
        ctx.stdout.write(`FAIL: the canary could not be judged: ${error.message}\n`);
        return EXIT.error;
      }
      throw error;
    }
  },
};

/** Waits the window, saying so each minute; returns its end (seconds since the epoch). A stop request ends the wait: the gate fails. */
async function waitWindow(windowMs: number, say: (line: string) => void, interruption: Interruption | undefined): Promise<number> {
  const stopped = () => new UsageError("interrupted while watching the canary: the gate fails, and the rest of the group is not updated");
  if (interruption?.interrupted) throw stopped();
  const end = Date.now() + windowMs;
  say(`watching the canary until ${new Date(end).toISOString()}`);
  while (Date.now() < end) {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe?.();
        resolve();
      }, Math.min(end - Date.now(), 60_000));
      const unsubscribe = interruption?.onInterrupt(() => {
        clearTimeout(timer);
        unsubscribe?.();
        reject(stopped());
      });
    });
    if (Date.now() < end) say(`${Math.ceil((end - Date.now()) / 60_000)} min left`);
  }
  return end / 1000;
}
