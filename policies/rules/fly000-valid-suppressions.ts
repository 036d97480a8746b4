import type { PolicyRule } from "../rule";
import { suppressionProblem, suppressionsOn, SUPPRESSION_RULE_ID } from "../suppressions";

/**
 * FLY000 · What: a suppression names no known rule, or its reason is shorter than 10 characters.
 * Why: an exception to a guardrail must say why it is safe, or reviewers cannot judge it.
 * Always runs and cannot itself be suppressed; an invalid suppression suppresses nothing.
 */
export const fly000: PolicyRule = {
  id: SUPPRESSION_RULE_ID,
  level: "error",
  title: "valid suppressions",
  what: "A suppression names no known rule, or gives a reason shorter than 10 characters.",
  why: "An exception to a guardrail must say why it is safe here, or reviewers cannot judge it.",
  appliesTo: (node) => suppressionsOn(node).length > 0,
  // The finding's path names the construct the suppression is declared on.
  check: (node, context) =>
    suppressionsOn(node).flatMap((s) => {
      const problem = suppressionProblem(s, context.knownRuleIds);
      return problem ? [{ message: problem }] : [];
    }),
};
