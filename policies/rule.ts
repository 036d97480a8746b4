/**
 * A guardrail, in the manner of cdk-nag: an ID, one line on what is wrong, one on why it matters,
 * and a pure check of one construct. Rules never change the tree; the pack (`pack.ts`) turns
 * their results into annotations, and suppressions (`suppressions.ts`) into exceptions.
 */
import type { IConstruct } from "constructs";
import type { JsonObject } from "./values";

export type PolicyLevel = "error" | "warning";

/** One problem a rule found on the construct it checked. */
export interface RuleResult {
  /** What is wrong here, naming the attribute and its value; never the value of a possible credential. No trailing period. */
  readonly message: string;
  /** @default the rule's `level` */
  readonly level?: PolicyLevel;
}

/** A resource of the synthesized stack, in the order cdk.tf.json lists it. */
export interface SynthesizedResource {
  readonly type: string;
  /** Logical ID (`api_web_iad_1`). */
  readonly id: string;
  /** `fly_machine.api_web_iad_1` */
  readonly address: string;
  readonly config: JsonObject;
}

/**
 * What a rule may read besides the construct: the stack's synthesized Terraform JSON and the
 * environment's protection. Read-only, and the same for every construct of a stack.
 */
export interface RuleContext {
  /** Stack name (the environment's name for flystack stacks). */
  readonly stack: string;
  /** From the stack's flystack metadata (`//.flystack.protected`); false for stacks without it. */
  readonly protected: boolean;
  /** The synthesized `terraform` block: backend, cloud, required_providers (overrides included). */
  readonly terraform: JsonObject;
  /** The synthesized attributes of a resource construct, as written to cdk.tf.json; undefined for anything else. */
  config(node: IConstruct): JsonObject | undefined;
  /** Every synthesized resource of a type. */
  resources(type: string): readonly SynthesizedResource[];
  /** IDs a suppression may name: every rule of the catalogue and of the pack. */
  readonly knownRuleIds: ReadonlySet<string>;
}

export interface PolicyRule {
  /** `FLY001` … */
  readonly id: string;
  /** The level of its findings unless a result says otherwise (FLY003 and FLY005 warn outside protected environments). */
  readonly level: PolicyLevel;
  /** A few words for tables. */
  readonly title: string;
  /** One line: what is wrong. */
  readonly what: string;
  /** One line: why it matters. */
  readonly why: string;
  appliesTo(node: IConstruct): boolean;
  check(node: IConstruct, context: RuleContext): readonly RuleResult[];
}
