/** One problem found in an environment's configuration. */
export interface ConfigIssue {
  readonly environment: string;
  /** Path inside the environment's config, e.g. `apps.api.groups.web.regions[1]`; empty for the whole file. */
  readonly path: string;
  readonly message: string;
}

/** Renders `["apps", "api", "regions", 1]` as `apps.api.regions[1]`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

/** `production: apps.api.groups.web.regions[1]: unknown Fly region "xyz"` */
export function formatIssue(issue: ConfigIssue): string {
  return issue.path === ""
    ? `${issue.environment}: ${issue.message}`
    : `${issue.environment}: ${issue.path}: ${issue.message}`;
}

/** Thrown when one or more environments are invalid; carries every problem, not just the first. */
export class ConfigValidationError extends Error {
  constructor(public readonly issues: readonly ConfigIssue[]) {
    super(
      `${issues.length} problem${issues.length === 1 ? "" : "s"} in the environment configuration:\n` +
        issues.map((i) => `  - ${formatIssue(i)}`).join("\n"),
    );
    this.name = "ConfigValidationError";
  }
}
