/**
 * A Prometheus rule file as vmalert and promtool read it (the `groups:` format). Only alerting rules:
 * flystack writes no recording rules, so every alert reads the raw series and a rule file is
 * checked and unit-tested on its own.
 */
export interface RuleFile {
  readonly groups: readonly RuleGroup[];
}

export interface RuleGroup {
  readonly name: string;
  /** How often the group is evaluated, e.g. `1m`. */
  readonly interval: string;
  readonly rules: readonly AlertRule[];
}

export type Severity = "page" | "ticket";

export interface AlertRule {
  /** The alert's name, also its anchor in docs/runbook.md (lowercased). */
  readonly alert: string;
  /** A PromQL expression (MetricsQL runs PromQL as it is). */
  readonly expr: string;
  /** How long the condition must hold before the alert fires. @default fires at the first evaluation */
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>> & { readonly severity: Severity };
  readonly annotations: {
    readonly summary: string;
    readonly description: string;
    readonly runbook_url: string;
  };
}

/** Where the alerts' runbook links point, and the environment's name for their labels. */
export interface RuleContext {
  readonly environment: string;
  /** docs/runbook.md as the team browses it; each alert appends `#<alert name, lowercased>`. */
  readonly runbookUrl: string;
}

export function runbookLink(context: RuleContext, alert: string): string {
  return `${context.runbookUrl}#${alert.toLowerCase()}`;
}

/** A label value or metric name written inside a PromQL string literal: `"` and `\` escaped. */
export function promString(value: string): string {
  return JSON.stringify(value);
}

/** A number written into PromQL without binary floating-point noise (0.1 * 14.4 = 1.4400000000000002). */
export function promNumber(value: number): string {
  return String(Number(value.toPrecision(12)));
}
