import type { PolicyLevel } from "./rule";

/** A rule result on one construct that no valid suppression covers. */
export interface PolicyFinding {
  /** Stack name (one per environment). */
  readonly stack: string;
  readonly ruleId: string;
  readonly level: PolicyLevel;
  /** Construct path, e.g. `production/api/group-web/machine-iad-1`. */
  readonly path: string;
  readonly message: string;
}

/** A declared exception: rule `ruleId` does not apply to the construct at `path` and its children. */
export interface PolicySuppressionRecord {
  readonly stack: string;
  readonly ruleId: string;
  /** Path of the construct the suppression was declared on. */
  readonly path: string;
  readonly reason: string;
}

/** `[FLY004] production/api/group-web/machine-iad-1: …`: rule, construct and what is wrong, on one line. */
export function formatFinding(finding: PolicyFinding): string {
  return `[${finding.ruleId}] ${finding.path}: ${finding.message}`;
}
