import { environmentSchema } from "./schema";
import { CONFIG_RULES } from "./rules";
import { type ConfigIssue, ConfigValidationError, formatPath } from "./issue";
import type { EnvironmentConfig } from "./types";

export interface EnvironmentSource {
  /** The name the file gives the environment (`environments/<name>.ts`). */
  readonly name: string;
  /** What the file default-exports; validated before anything trusts it. */
  readonly value: unknown;
}

/** Validates one environment: the schema first, then (only on a structurally valid config) every rule. */
export function environmentIssues(source: EnvironmentSource): { config?: EnvironmentConfig; issues: ConfigIssue[] } {
  const parsed = environmentSchema.safeParse(source.value);
  if (!parsed.success) {
    return {
      issues: parsed.error.issues.map((issue) => ({
        environment: source.name,
        path: formatPath(issue.path),
        message: issue.message,
      })),
    };
  }
  const config: EnvironmentConfig = parsed.data;
  const issues: ConfigIssue[] = [];
  if (config.name !== source.name) {
    issues.push({ environment: source.name, path: "name", message: `"${config.name}" must equal the file name "${source.name}"` });
  }
  for (const rule of CONFIG_RULES) {
    for (const problem of rule.check(config)) issues.push({ environment: source.name, ...problem });
  }
  return { config, issues };
}

/** Fly app names are global, so no two environments may use the same one. */
function crossEnvironmentIssues(configs: readonly EnvironmentConfig[]): ConfigIssue[] {
  const owner = new Map<string, string>();
  const issues: ConfigIssue[] = [];
  for (const env of configs) {
    for (const [key, app] of Object.entries(env.apps)) {
      const other = owner.get(app.name);
      if (other !== undefined && !other.startsWith(`${env.name}:`)) {
        issues.push({ environment: env.name, path: `apps.${key}.name`, message: `Fly app name "${app.name}" is already used by ${other.replace(":", ": ")}; Fly app names are global` });
      } else if (other === undefined) {
        owner.set(app.name, `${env.name}:apps.${key}`);
      }
    }
  }
  return issues;
}

/**
 * Validates every environment and returns them, or throws one ConfigValidationError listing
 * every problem in every environment, so a user fixes them all in one round.
 */
export function validateEnvironments(
  sources: readonly EnvironmentSource[],
  loadIssues: readonly ConfigIssue[] = [],
): EnvironmentConfig[] {
  const configs: EnvironmentConfig[] = [];
  const issues: ConfigIssue[] = [...loadIssues];
  for (const source of sources) {
    const result = environmentIssues(source);
    issues.push(...result.issues);
    if (result.config) configs.push(result.config);
  }
  issues.push(...crossEnvironmentIssues(configs));
  if (issues.length > 0) throw new ConfigValidationError(issues);
  return configs;
}
