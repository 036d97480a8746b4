/**
 * The read-only view rules get of a stack: its synthesized Terraform JSON. That JSON is exactly
 * what cdk.tf.json will hold (`TerraformStack.toTerraform()`: tokens resolved to `${…}`
 * expressions, resource overrides, backend overrides such as `use_lockfile`, and stack overrides
 * such as the pinned `required_providers`), so a rule sees what Terraform will see, however the
 * value got there. Reading construct properties instead would miss every `addOverride`.
 */
import { TerraformResource, type TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { readStackMetadata } from "../src/config/stack-metadata";
import type { RuleContext, SynthesizedResource } from "./rule";
import { isObject, type JsonObject } from "./values";

export interface ContextOptions {
  /** @default the stack's flystack metadata (`//.flystack.protected`), false when it has none */
  readonly protected?: boolean;
  readonly knownRuleIds: ReadonlySet<string>;
}

export function createContext(stack: TerraformStack, json: JsonObject, options: ContextOptions): RuleContext {
  const resourceBlocks = isObject(json.resource) ? json.resource : {};
  const cache = new Map<string, SynthesizedResource[]>();
  const resources = (type: string): SynthesizedResource[] => {
    let list = cache.get(type);
    if (!list) {
      const byId = resourceBlocks[type];
      list = isObject(byId)
        ? Object.entries(byId)
            .filter((e): e is [string, JsonObject] => isObject(e[1]))
            .map(([id, config]) => ({ type, id, address: `${type}.${id}`, config }))
        : [];
      cache.set(type, list);
    }
    return list;
  };
  return {
    stack: stack.node.id,
    protected: options.protected ?? readStackMetadata(json)?.protected ?? false,
    terraform: isObject(json.terraform) ? json.terraform : {},
    knownRuleIds: options.knownRuleIds,
    config(node: IConstruct): JsonObject | undefined {
      if (!TerraformResource.isTerraformResource(node)) return undefined;
      const byId = resourceBlocks[node.terraformResourceType];
      const config = isObject(byId) ? byId[node.friendlyUniqueId] : undefined;
      return isObject(config) ? config : undefined;
    },
    resources,
  };
}
