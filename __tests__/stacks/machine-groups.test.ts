/**
 * Synthesis records each process group's machines in deploy order (`"//".flystack.groups`): the
 * plan comment names a change to a whole group by it and keeps the canary first.
 */
import { Testing } from "cdktf";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { readMachineGroups, readStackMetadata } from "../../src/config/stack-metadata";
import type { EnvironmentConfig } from "../../src/config/types";
import { loopEnvironment } from "../fixtures/environments";

describe("the stack records its process groups", () => {
  const env = loopEnvironment("groups") as unknown as EnvironmentConfig;
  const stack = new EnvironmentStack(Testing.app({ stackTraces: false }), env.name, { environment: env });
  const json = stack.toTerraform() as { resource: { fly_machine: Record<string, unknown> } };

  it("each group's machine addresses in the order they change, with the group's strategy", () => {
    expect(readStackMetadata(json)?.groups).toEqual([
      { name: "web/web", strategy: "rolling", machines: ["fly_machine.web_web_iad_1", "fly_machine.web_web_iad_2", "fly_machine.web_web_lhr_1", "fly_machine.web_web_lhr_2"] },
      { name: "db/pg", strategy: "rolling", machines: ["fly_machine.db_pg_iad_1"] },
      { name: "api/app", strategy: "rolling", machines: ["fly_machine.api_app_iad_1"] },
    ]);
    // The addresses are the stack's own machines.
    const declared = Object.keys(json.resource.fly_machine).map((name) => `fly_machine.${name}`).sort();
    expect(readStackMetadata(json)?.groups?.flatMap((g) => g.machines).sort()).toEqual(declared);
  });

  it("a malformed recorded group is skipped, the others kept", () => {
    expect(readMachineGroups([{ name: "a/b", strategy: "rolling", machines: ["fly_machine.x"] }, { name: "c/d", strategy: "sideways", machines: [] }, { name: "e/f", machines: [1] }])).toEqual([
      { name: "a/b", strategy: "rolling", machines: ["fly_machine.x"] },
    ]);
    expect(readMachineGroups("nope")).toBeUndefined();
  });
});
