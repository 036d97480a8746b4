/** What an environment's monitoring app deploys: its rule file and Alertmanager configuration, as YAML. */
import type { EnvironmentConfig } from "../../config/types";
import { alertmanagerConfig } from "./alertmanager-config";
import { alertRules } from "./rule-file";
import { toYaml } from "./yaml";

export interface MonitoringFiles {
  /** The rule file (Prometheus `groups:` format) vmalert evaluates. */
  readonly rules: string;
  /** Alertmanager's configuration (routes and receivers; addresses are read from secret files). */
  readonly alertmanager: string;
}

/** The files, or undefined when the environment deploys no monitoring app. */
export function monitoringFiles(env: EnvironmentConfig): MonitoringFiles | undefined {
  if (!env.monitoring) return undefined;
  return { rules: toYaml(alertRules(env)), alertmanager: toYaml(alertmanagerConfig(env.monitoring)) };
}

export { alertRules } from "./rule-file";
export { alertmanagerConfig } from "./alertmanager-config";
export { toYaml } from "./yaml";
export type { AlertRule, RuleFile, RuleGroup } from "./types";
