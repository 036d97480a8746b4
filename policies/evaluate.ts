/**
 * Runs the rules over one stack and applies suppressions. Pure with respect to the tree: it
 * reads constructs and the stack's synthesized JSON and returns data; annotating is the pack's job
 * (`pack.ts`), reporting the report's (`report.ts`).
 */
import { TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { createContext } from "./context";
import type { PolicyFinding, PolicySuppressionRecord } from "./finding";
import type { PolicyRule, RuleContext } from "./rule";
import { FLYSTACK_RULES } from "./rules";
import { fly000 } from "./rules/fly000-valid-suppressions";
import { SUPPRESSION_RULE_ID, suppressionProblem, suppressionsOn } from "./suppressions";
import type { JsonObject } from "./values";

export interface EvaluateOptions {
  /** @default every flystack rule (FLY000 always runs: suppressions are checked whatever the selection) */
  readonly rules?: readonly PolicyRule[];
  /** @default the stack's flystack metadata (`//.flystack.protected`), false when it has none */
  readonly protected?: boolean;
}

/** A finding with what the pack needs to annotate it. */
export interface EvaluatedFinding extends PolicyFinding {
  readonly node: IConstruct;
  readonly why: string;
}

export interface StackEvaluation {
  readonly stack: string;
  /** In tree order, and by rule within a construct. */
  readonly findings: readonly EvaluatedFinding[];
  /** Valid suppressions declared in the stack, in tree order. */
  readonly suppressions: readonly PolicySuppressionRecord[];
}

export function evaluateStack(stack: TerraformStack, options: EvaluateOptions = {}): StackEvaluation {
  const selected = options.rules ?? FLYSTACK_RULES;
  const rules = [fly000, ...selected.filter((r) => r.id !== SUPPRESSION_RULE_ID)];
  const knownRuleIds = new Set([fly000, ...FLYSTACK_RULES, ...selected].map((r) => r.id));
  // One toTerraform per evaluation: the same JSON app.synth() writes (see context.ts).
  const json = stack.toTerraform() as JsonObject;
  const context = createContext(stack, json, { protected: options.protected, knownRuleIds });
  const stackName = stack.node.id;

  const nodes = stack.node.findAll().filter((node) => TerraformStack.of(node) === stack);
  const suppressions: PolicySuppressionRecord[] = [];
  for (const node of nodes) {
    for (const s of suppressionsOn(node)) {
      if (suppressionProblem(s, knownRuleIds) === undefined) {
        suppressions.push({ stack: stackName, ruleId: s.id, path: node.node.path, reason: s.reason.trim() });
      }
    }
  }

  const findings: EvaluatedFinding[] = [];
  for (const node of nodes) {
    for (const rule of rules) {
      if (!rule.appliesTo(node)) continue;
      const results = rule.check(node, context);
      if (results.length === 0) continue;
      if (rule.id !== SUPPRESSION_RULE_ID && isSuppressed(node, rule.id, stack, context)) continue;
      for (const result of results) {
        findings.push({
          stack: stackName,
          ruleId: rule.id,
          level: result.level ?? rule.level,
          path: node.node.path,
          message: result.message,
          node,
          why: rule.why,
        });
      }
    }
  }
  return { stack: stackName, findings, suppressions };
}

/** A valid suppression of `ruleId` on the construct or any parent up to its stack. */
function isSuppressed(node: IConstruct, ruleId: string, stack: TerraformStack, context: RuleContext): boolean {
  const scopes = node.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    const scope = scopes[i];
    if (suppressionsOn(scope).some((s) => s.id === ruleId && suppressionProblem(s, context.knownRuleIds) === undefined)) return true;
    if (scope === stack) break;
  }
  return false;
}

/**
 * The pre-synthesis gate (collectReport) evaluates every stack; synthesizeApp() then writes at once,
 * and the pack would evaluate the same, unchanged stacks again. The gate leaves each default-options
 * evaluation here and the pack takes it, once. Any other option set evaluates afresh.
 */
const gateEvaluations = new WeakMap<TerraformStack, StackEvaluation>();

function isDefault(options: EvaluateOptions): boolean {
  return options.rules === undefined && options.protected === undefined;
}

/** evaluateStack, remembered for the pack's next visit of this stack when the options are the defaults. */
export function evaluateStackForGate(stack: TerraformStack, options: EvaluateOptions = {}): StackEvaluation {
  const evaluation = evaluateStack(stack, options);
  if (isDefault(options)) gateEvaluations.set(stack, evaluation);
  return evaluation;
}

/** The gate's evaluation of this stack, if it made one with the same (default) options; consumed. */
export function takeGateEvaluation(stack: TerraformStack, options: EvaluateOptions): StackEvaluation | undefined {
  if (!isDefault(options)) return undefined;
  const evaluation = gateEvaluations.get(stack);
  gateEvaluations.delete(stack);
  return evaluation;
}
