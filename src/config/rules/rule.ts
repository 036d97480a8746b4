import type { AppConfig, EnvironmentConfig, ProcessGroupConfig } from "../types";

/** A problem a rule found, at a path inside one environment's config. */
export interface RuleProblem {
  readonly path: string;
  readonly message: string;
}

/** A semantic check of one environment that passed the structural schema. */
export interface ConfigRule {
  readonly id: string;
  readonly check: (env: EnvironmentConfig) => readonly RuleProblem[];
}

export interface GroupVisit {
  readonly appKey: string;
  readonly app: AppConfig;
  readonly groupKey: string;
  readonly group: ProcessGroupConfig;
  /** `apps.<app>.groups.<group>` */
  readonly path: string;
}

export function groupsOf(env: EnvironmentConfig): GroupVisit[] {
  const visits: GroupVisit[] = [];
  for (const [appKey, app] of Object.entries(env.apps)) {
    for (const [groupKey, group] of Object.entries(app.groups)) {
      visits.push({ appKey, app, groupKey, group, path: `apps.${appKey}.groups.${groupKey}` });
    }
  }
  return visits;
}
