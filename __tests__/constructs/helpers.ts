import { Testing, TerraformStack } from "cdktf";
import type { Construct } from "constructs";

/** A parsed `cdk.tf.json` of a stack holding whatever `build` adds. */
export interface SynthJson {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly variable?: Record<string, Record<string, unknown>>;
  readonly output?: Record<string, Record<string, unknown>>;
  readonly terraform?: Record<string, unknown>;
}

export function synth(build: (scope: Construct) => void): SynthJson {
  const app = Testing.app({ stackTraces: false });
  const stack = new TerraformStack(app, "test");
  build(stack);
  return JSON.parse(Testing.synth(stack)) as SynthJson;
}

export function resources(json: SynthJson, type: string): Record<string, Record<string, unknown>> {
  return json.resource?.[type] ?? {};
}

export function resource(json: SynthJson, type: string, id: string): Record<string, unknown> {
  const found = resources(json, type)[id];
  if (!found) throw new Error(`no ${type}.${id}; have: ${Object.keys(resources(json, type)).join(", ")}`);
  return found;
}
