/**
 * Multi-window, multi-burn-rate alerting (Google SRE workbook, "Alerting on SLOs", approach 6): an
 * alert fires while both a long and a short window burn the error budget at least `burnRate` times
 * as fast as the objective allows. The long window makes it significant, the short one makes it
 * stop soon after the burning stops. Over a 30-day objective:
 *   14.4× for 1 h (5 m)  = 2% of the budget in an hour  → page
 *    6×   for 6 h (30 m) = 5% of the budget in six hours → page
 *    1×   for 3 d (6 h)  = 10% of the budget in three days → ticket
 */
import type { Severity } from "./types";

export interface BurnRateWindow {
  /** Suffix of the alert's name: `BurnFast`, `BurnSlow`, `BudgetBurn`. */
  readonly name: string;
  readonly long: string;
  readonly short: string;
  readonly burnRate: number;
  readonly severity: Severity;
  /** Share of a 30-day budget spent by the time the alert fires, for the alert's description. */
  readonly budgetSpent: string;
}

export const BURN_RATE_WINDOWS: readonly BurnRateWindow[] = [
  { name: "BurnFast", long: "1h", short: "5m", burnRate: 14.4, severity: "page", budgetSpent: "2% of the 30-day error budget in 1 hour" },
  { name: "BurnSlow", long: "6h", short: "30m", burnRate: 6, severity: "page", budgetSpent: "5% of the 30-day error budget in 6 hours" },
  { name: "BudgetBurn", long: "3d", short: "6h", burnRate: 1, severity: "ticket", budgetSpent: "10% of the 30-day error budget in 3 days" },
];

/** The error budget of an objective in percent, as a ratio: 99.9 → 0.001. */
export function errorBudget(objectivePercent: number): number {
  return Number(((100 - objectivePercent) / 100).toPrecision(12));
}
