/**
 * FlystackRules: the guardrails as a cdktf aspect, like cdk-nag's packs. Register it on every
 * stack (`Aspects.of(stack).add(new FlystackRules())`); cdktf invokes a stack's aspects when it
 * synthesizes that stack (aspects added to the App are never invoked by cdktf 0.21).
 *
 * Why an aspect that acts once, on the stack node: cdktf invokes aspects during synthesis, after
 * every constructor (so every addOverride) has run and before the stack's JSON is written. At the
 * stack node the pack evaluates the whole stack from its synthesized JSON (one toTerraform, see
 * context.ts) and annotates each finding's construct: errors with `Annotations.addError`, which
 * makes `app.synth()` throw ("Encountered Annotations with level ERROR", listing them) or, under
 * the cdktf CLI, makes `cdktf synth` print them and exit 1; warnings with `addWarning`.
 */
import { Annotations, type IAspect, TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { type EvaluatedFinding, evaluateStack, type EvaluateOptions, takeGateEvaluation } from "./evaluate";

export type FlystackRulesOptions = EvaluateOptions;

/** Where the pack records a stack's suppressions in cdk.tf.json (the stack's "//" comment, which Terraform ignores). */
export const POLICY_METADATA_KEY = "flystack_policy";

const ANNOTATION_TYPES = { error: "@cdktf/error", warning: "@cdktf/warn" } as const;

export class FlystackRules implements IAspect {
  constructor(private readonly options: FlystackRulesOptions = {}) {}

  public visit(node: IConstruct): void {
    // Inherited by every construct of the stack; the whole stack is judged once, at its root.
    if (!TerraformStack.isStack(node)) return;
    const evaluation = takeGateEvaluation(node, this.options) ?? evaluateStack(node, this.options);
    for (const finding of evaluation.findings) annotate(finding);
    // Recorded in the synthesized JSON so `flystack check` can list suppressions without synthesizing.
    if (evaluation.suppressions.length > 0) {
      node.addOverride(`//.${POLICY_METADATA_KEY}`, {
        suppressions: evaluation.suppressions.map(({ ruleId, path, reason }) => ({ ruleId, path, reason })),
      });
    }
  }
}

/** `[FLY004] production/api/group-web/machine-iad-1: … — why it matters` */
export function annotationMessage(finding: EvaluatedFinding): string {
  return `[${finding.ruleId}] ${finding.path}: ${finding.message} — ${finding.why}`;
}

/** Adds the annotation unless an identical one is there: synthesizing twice must not report twice. */
function annotate(finding: EvaluatedFinding): void {
  const message = annotationMessage(finding);
  const type = ANNOTATION_TYPES[finding.level];
  if (finding.node.node.metadata.some((entry) => entry.type === type && entry.data === message)) return;
  if (finding.level === "error") Annotations.of(finding.node).addError(message);
  else Annotations.of(finding.node).addWarning(message);
}
