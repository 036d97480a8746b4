import { environmentSchema } from "./schema";
import { CONFIG_RULES } from "./rules";
import { CROSS_ENVIRONMENT_RULES } from "./rules/cross-environment";
import { type ConfigIssue, ConfigValidationError, clip, formatPath, quote, safeString } from "./issue";
import { reservedKeyIssues } from "./reserved-keys";
import type { EnvironmentConfig } from "./types";
import { deployedApps } from "./monitoring";

export interface EnvironmentSource {
  /** The name the file gives the environment (`environments/<name>.ts`). */
  readonly name: string;
  /** What the file default-exports; validated before anything trusts it. */
  readonly value: unknown;
}

/**
 * Validates one environment: reserved keys (JavaScript object internals) and the schema first, then
 * (only on a structurally valid config) every rule. Something the file's value throws while it is
 * read (a getter) is an issue of the environment too, never an exception.
 */
export function environmentIssues(source: EnvironmentSource): { config?: EnvironmentConfig; issues: ConfigIssue[] } {
  try {
    return checkEnvironment(source);
  } catch (error) {
    const message = typeof error === "object" && error !== null && "message" in error ? safeString(error.message) : safeString(error);
    return { issues: [{ environment: source.name, path: "", message: `environments/${source.name}.ts: reading its configuration failed: ${clip(message.split("\n")[0], 200)}` }] };
  }
}

function checkEnvironment(source: EnvironmentSource): { config?: EnvironmentConfig; issues: ConfigIssue[] } {
  const reserved = reservedKeyIssues(source.name, source.value);
  const parsed = environmentSchema.safeParse(source.value);
  if (!parsed.success || reserved.length > 0) {
    // A schema issue under a reserved key repeats it; the reserved key says what to change.
    const under = (path: string) => reserved.some((r) => r.path !== "" && (path === r.path || path.startsWith(`${r.path}.`) || path.startsWith(`${r.path}[`)));
    const schemaIssues = (parsed.success ? [] : parsed.error.issues).map((issue) => ({
      environment: source.name,
      path: formatPath(issue.path),
      message: schemaMessage(issue),
    }));
    return { issues: [...reserved, ...schemaIssues.filter((i) => !under(i.path))] };
  }
  const config: EnvironmentConfig = parsed.data;
  const issues: ConfigIssue[] = [];
  if (config.name !== source.name) {
    issues.push({ environment: source.name, path: "name", message: `${quote(config.name)} must equal the file name ${quote(source.name)}` });
  }
  for (const rule of CONFIG_RULES) {
    for (const problem of rule.check(config)) issues.push({ environment: source.name, ...problem });
  }
  return { config, issues };
}

/** A zod issue's message, never quoting a value unbounded. */
function schemaMessage(issue: import("zod").core.$ZodIssue): string {
  // zod reports a bad record key as "Invalid key in record" and keeps the reason nested.
  if (issue.code === "invalid_key") return `key ${quote(issue.path[issue.path.length - 1])} ${issue.issues.map((i) => i.message).join("; ")}`;
  if (issue.code === "unrecognized_keys") {
    const shown = issue.keys.slice(0, 5).map(quote).join(", ");
    return `Unrecognized key${issue.keys.length === 1 ? "" : "s"}: ${shown}${issue.keys.length > 5 ? ` and ${issue.keys.length - 5} more` : ""}`;
  }
  return clip(issue.message, 300);
}

/** Fly app names are global, so no two environments may use the same one. */
function crossEnvironmentIssues(environments: readonly { file: string; config: EnvironmentConfig }[]): ConfigIssue[] {
  // Keyed by file name: that is the environment's identity even when its `name` is wrong.
  const owner = new Map<string, { file: string; path: string }>();
  const issues: ConfigIssue[] = [];
  for (const { file, config } of environments) {
    for (const [key, app] of Object.entries(deployedApps(config))) {
      const other = owner.get(app.name);
      const path = Object.hasOwn(config.apps, key) ? `apps.${key}` : "monitoring";
      if (other === undefined) owner.set(app.name, { file, path });
      else if (other.file !== file) {
        issues.push({ environment: file, path: `${path}.name`, message: `Fly app name ${quote(app.name)} is already used by ${other.file}: ${other.path}; Fly app names are global` });
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
  const valid: { file: string; config: EnvironmentConfig }[] = [];
  const issues: ConfigIssue[] = [...loadIssues];
  for (const source of sources) {
    const result = environmentIssues(source);
    issues.push(...result.issues);
    if (result.config) valid.push({ file: source.name, config: result.config });
  }
  issues.push(...crossEnvironmentIssues(valid));
  for (const rule of CROSS_ENVIRONMENT_RULES) issues.push(...rule.check(valid));
  if (issues.length > 0) throw new ConfigValidationError(issues);
  return valid.map((v) => v.config);
}
