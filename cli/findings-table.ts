import type { PolicyFinding, PolicySuppressionRecord } from "../policies/finding";

/**
 * policies/report's findings table, required when called: policies/report imports cdktf, which a
 * command's module must not load at its top (`flystack check --help` would load it). By the time a
 * table is printed, synthesis has loaded it anyway.
 */
export function renderFindingsTable(findings: readonly PolicyFinding[], suppressions: readonly PolicySuppressionRecord[]): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("../policies/report") as typeof import("../policies/report")).renderFindingsTable(findings, suppressions);
}
