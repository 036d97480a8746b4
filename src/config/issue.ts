/** One problem found in an environment's configuration. */
export interface ConfigIssue {
  readonly environment: string;
  /** Path inside the environment's config, e.g. `apps.api.groups.web.regions[1]`; empty for the whole file. */
  readonly path: string;
  readonly message: string;
}

// How a user's value is shown in a message: in util/, so every layer (the Fly knowledge too) says it alike.
import { quote, safeString, SHOWN_CHARACTERS } from "../util/quote";

export { clip, quote, safeString, SHOWN_CHARACTERS } from "../util/quote";

/** A key as a path segment: `.api` when it reads as a plain name, else `["a b"]` (clipped). */
export function keySegment(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) && key.length <= SHOWN_CHARACTERS ? `.${key}` : `[${quote(key)}]`;
}

/** Renders `["apps", "api", "regions", 1]` as `apps.api.regions[1]` (odd keys as `["…"]`). */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else {
      const part = keySegment(safeString(segment));
      out += out === "" && part.startsWith(".") ? part.slice(1) : part;
    }
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
