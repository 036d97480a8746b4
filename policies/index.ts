/** The flystack guardrails: rules, the pack (a cdktf aspect), suppressions and reports. See README.md. */
export type { PolicyLevel, PolicyRule, RuleContext, RuleResult, SynthesizedResource } from "./rule";
export { FLYSTACK_RULES } from "./rules";
export { FlystackRules, type FlystackRulesOptions, POLICY_METADATA_KEY } from "./pack";
export { evaluateStack, type EvaluateOptions, type StackEvaluation } from "./evaluate";
export { MIN_REASON_LENGTH, suppress, type PolicySuppression, SUPPRESSIONS_METADATA } from "./suppressions";
export {
  assertNoPolicyErrors,
  collectReport,
  formatFinding,
  type PolicyFinding,
  type PolicyReport,
  type PolicySuppressionRecord,
  PolicyViolationError,
  readSynthesizedReport,
  renderFindingsTable,
  ruleById,
} from "./report";
