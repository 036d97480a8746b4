import { App, Testing, TerraformStack } from "cdktf";
import { FlyProvider } from "../../.gen/providers/fly/provider";
import { Machine, type MachineConfig } from "../../.gen/providers/fly/machine";
import { evaluateStack } from "../../policies/evaluate";
import type { PolicyFinding } from "../../policies/finding";
import type { PolicyRule } from "../../policies/rule";

export const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;
export const IMAGE = `registry.fly.io/acme-api:v1.2.3@${DIGEST}`;

export interface TestStack {
  readonly app: App;
  readonly stack: TerraformStack;
}

/**
 * A stack with the Fly provider and, unless `protected` is undefined, the flystack metadata
 * EnvironmentStack writes (`//.flystack`), from which the pack reads the environment's protection.
 */
export function testStack(options: { protected?: boolean; id?: string; app?: App } = {}): TestStack {
  const app = options.app ?? Testing.app({ stackTraces: false });
  const stack = new TerraformStack(app, options.id ?? "test");
  new FlyProvider(stack, "fly", { orgSlug: "acme" });
  if (options.protected !== undefined) {
    stack.addOverride("//.flystack", { environment: stack.node.id, protected: options.protected });
  }
  return { app, stack };
}

/** A machine that passes every rule; `config` replaces fields. */
export function machine(stack: TerraformStack, id: string, config: Partial<MachineConfig> = {}): Machine {
  const m = new Machine(stack, id, {
    app: "acme-api",
    image: IMAGE,
    region: "iad",
    guest: { cpuKind: "shared", cpus: 1, memoryMb: 512 },
    metadata: { fly_process_group: "web" },
    service: [
      {
        internalPort: 8080,
        protocol: "tcp",
        port: [{ port: 443, handlers: ["tls", "http"] }],
        check: [{ type: "http", port: 8080, path: "/health", interval: "10s", timeout: "2s" }],
      },
    ],
    ...config,
  });
  m.overrideLogicalId(id);
  return m;
}

/** The findings of one rule (plus FLY000) on a stack, without the construct references. */
export function findings(stack: TerraformStack, rule?: PolicyRule): PolicyFinding[] {
  return evaluateStack(stack, rule ? { rules: [rule] } : {}).findings.map(({ stack: s, ruleId, level, path, message }) => ({
    stack: s,
    ruleId,
    level,
    path,
    message,
  }));
}
