/**
 * Exceptions to a rule, declared on a construct and covering it and everything below it, as
 * cdk-nag's NagSuppressions do. Each needs a reason a reviewer can judge: a suppression whose
 * reason is shorter than 10 characters, or that names no known rule, is itself an error (FLY000)
 * and suppresses nothing.
 */
import type { IConstruct } from "constructs";

export interface PolicySuppression {
  /** The rule that does not apply, e.g. `FLY009`. */
  readonly id: string;
  /** Why it does not apply here, at least 10 characters. */
  readonly reason: string;
}

/** The construct-metadata type suppressions are stored under (`node.addMetadata`). */
export const SUPPRESSIONS_METADATA = "flystack/policy-suppressions";

export const MIN_REASON_LENGTH = 10;

/**
 * Declares that rules do not apply to `construct` and its children. Stored in the construct's
 * metadata and checked when the pack runs, so every bad suppression is reported at once
 * instead of the first one throwing here.
 */
export function suppress(construct: IConstruct, suppressions: readonly PolicySuppression[]): void {
  if (suppressions.length === 0) return;
  construct.node.addMetadata(
    SUPPRESSIONS_METADATA,
    suppressions.map((s) => ({ id: s.id, reason: s.reason })),
  );
}

/** The suppressions declared on this construct itself (not its parents). */
export function suppressionsOn(construct: IConstruct): PolicySuppression[] {
  return construct.node.metadata
    .filter((entry) => entry.type === SUPPRESSIONS_METADATA && Array.isArray(entry.data))
    .flatMap((entry) => entry.data as PolicySuppression[]);
}

/** Why a suppression is not valid, or undefined when it is. */
export function suppressionProblem(suppression: PolicySuppression, knownRuleIds: ReadonlySet<string>): string | undefined {
  const id = String(suppression.id);
  if (!knownRuleIds.has(id)) {
    return `suppression names "${id}", which is not a rule; known: ${[...knownRuleIds].sort().join(", ")}`;
  }
  if (id === SUPPRESSION_RULE_ID) return `${SUPPRESSION_RULE_ID} cannot be suppressed; fix the suppression instead`;
  const reason = typeof suppression.reason === "string" ? suppression.reason.trim() : "";
  if (reason.length < MIN_REASON_LENGTH) {
    return `suppression of ${id} has reason ${JSON.stringify(suppression.reason ?? "")} (${reason.length} characters); give at least ${MIN_REASON_LENGTH} characters saying why the rule does not apply here`;
  }
  return undefined;
}

/** The rule that reports bad suppressions; never suppressible itself. */
export const SUPPRESSION_RULE_ID = "FLY000";
