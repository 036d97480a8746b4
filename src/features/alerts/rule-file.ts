/**
 * An environment's alerting rules: per deployed app (its own apps and the monitoring app), one
 * group of platform alerts and, when a service declares `slo`, one group of SLO alerts.
 */
import type { EnvironmentConfig } from "../../config/types";
import { DEFAULT_RUNBOOK_URL, deployedApps } from "../../config/monitoring";
import { platformRules } from "./platform-rules";
import { sloRules } from "./slo-rules";
import type { RuleContext, RuleFile, RuleGroup } from "./types";

/** How often vmalert evaluates each group (the burn-rate windows' shortest, 5m, needs no finer). */
export const EVALUATION_INTERVAL = "1m";

export function alertRules(env: EnvironmentConfig): RuleFile {
  const context: RuleContext = { environment: env.name, runbookUrl: env.monitoring?.runbookUrl ?? DEFAULT_RUNBOOK_URL };
  const groups: RuleGroup[] = [];
  for (const [key, app] of Object.entries(deployedApps(env))) {
    const slos = Object.values(app.groups).flatMap((g) => (g.services ?? []).flatMap((s) => (s.slo ? [s.slo] : [])));
    if (slos.length > 0) {
      groups.push({ name: `${env.name}/${key}/slo`, interval: EVALUATION_INTERVAL, rules: slos.flatMap((slo) => sloRules(app.name, slo, context)) });
    }
    groups.push({ name: `${env.name}/${key}/platform`, interval: EVALUATION_INTERVAL, rules: platformRules(app, context) });
  }
  return { groups };
}
