/**
 * The 30-day error budget of each objective (the SRE workbook's error-budget policy): the share of
 * bad requests over 30 days against what the objective allows (1 − objective). Read from Fly's
 * Prometheus with the same bad-ratio expressions the SLO alerts use (../alerts/slo-rules.ts: Fly's
 * edge series, all of the app's HTTP traffic).
 */
import type { AppObjective } from "../../config/stack-metadata";
import { availabilityBadRatio, latencyBadRatio } from "../alerts/slo-rules";
import { errorBudget } from "../alerts/burn-rate";
import type { PrometheusClient } from "../prometheus/client";

export const BUDGET_WINDOW = "30d";

export interface BudgetStatus {
  /** The app's key. */
  readonly app: string;
  readonly flyName: string;
  /** `availability 99.9%`, `latency 99% under 500 ms`. */
  readonly objective: string;
  /** The share of bad requests over 30 days; undefined without traffic. */
  readonly badRatio: number | undefined;
  /** What the objective allows (1 − objective). */
  readonly budget: number;
  /** The share of the budget left, 1 (untouched) to below 0 (overspent); 1 without traffic. */
  readonly left: number;
  readonly spent: boolean;
}

export async function errorBudgets(client: PrometheusClient, objectives: readonly AppObjective[], at: number): Promise<BudgetStatus[]> {
  const checks = objectives.flatMap((o) => [
    ...(o.availability === undefined ? [] : [{ o, objective: `availability ${o.availability}%`, percent: o.availability, expr: availabilityBadRatio(o.flyName)(BUDGET_WINDOW) }]),
    ...(o.latencyMs === undefined ? [] : [{ o, objective: `latency ${o.latencyMs.p}% under ${o.latencyMs.under} ms`, percent: o.latencyMs.p, expr: latencyBadRatio(o.flyName, o.latencyMs)(BUDGET_WINDOW) }]),
  ]);
  return Promise.all(
    checks.map(async ({ o, objective, percent, expr }) => {
      const bad = await client.scalar(expr, at);
      const budget = errorBudget(percent);
      const badRatio = bad !== undefined && Number.isFinite(bad) ? Math.max(0, bad) : undefined;
      const left = badRatio === undefined ? 1 : 1 - badRatio / budget;
      return { app: o.app, flyName: o.flyName, objective, badRatio, budget, left, spent: left <= 0 };
    }),
  );
}

export function describeBudget(s: BudgetStatus): string {
  const left = `${(s.left * 100).toFixed(1)}% of the budget left`;
  const bad = s.badRatio === undefined ? "no traffic in 30 days" : `${(s.badRatio * 100).toFixed(3)}% bad of ${(s.budget * 100).toFixed(3)}% allowed`;
  return `${s.app} (${s.flyName}), ${s.objective}: ${bad}, ${left}${s.spent ? ": SPENT" : ""}`;
}
