/** apply's checks that run before any process starts: a refusal leaves everything untouched. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ProcessRunner } from "../../src/cli/process-runner";
import { flystack, TestProject } from "./harness";

/** Fails the test if apply starts any process after refusing. */
const noProcesses: ProcessRunner = {
  run: (command, args) => {
    throw new Error(`no process may start, but got: ${command} ${args.join(" ")}`);
  },
};

function writePlan(project: TestProject, stack: string, changes: { address: string; type: string; actions: string[] }[]): void {
  const dir = path.join(project.dir, "plans");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${stack}.tfplan`), "binary plan placeholder");
  const resource_changes = changes.map((c) => ({
    address: c.address,
    mode: "managed",
    type: c.type,
    name: c.address.split(".")[1],
    provider_name: "registry.terraform.io/ampbase-io/fly",
    change: { actions: c.actions, before: {}, after: null },
  }));
  fs.writeFileSync(path.join(dir, `${stack}.plan.json`), JSON.stringify({ format_version: "1.2", terraform_version: "1.11.4", resource_changes }));
}

describe("flystack apply guards", () => {
  let project: TestProject;
  afterEach(() => project.cleanup());

  const volumeReplace = { address: "fly_volume.db_postgres_iad_1", type: "fly_volume", actions: ["delete", "create"] };
  const certDelete = { address: "fly_cert.api_example_com", type: "fly_cert", actions: ["delete"] };

  test("a protected environment's plan that replaces or deletes stateful resources is refused, naming each", async () => {
    project = new TestProject([{ name: "production", data: {}, flystack: { environment: "production", protected: true } }]);
    writePlan(project, "production", [volumeReplace, certDelete, { address: "fly_machine.api_web_iad_1", type: "fly_machine", actions: ["delete", "create"] }]);
    const result = await flystack(project.dir, ["apply", "--plans", "plans"], { runner: noProcesses });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("flystack apply: refused, nothing was applied:");
    expect(result.stderr).toContain('production: the plan deletes or replaces stateful resources in the protected environment "production": fly_volume.db_postgres_iad_1 (delete, create); fly_cert.api_example_com (delete).');
    expect(result.stderr).not.toContain("fly_machine.api_web_iad_1");
  });

  test("--allow-destroy must name every such address", async () => {
    project = new TestProject([{ name: "production", data: {}, flystack: { environment: "production", protected: true } }]);
    writePlan(project, "production", [volumeReplace, certDelete]);
    const partly = await flystack(project.dir, ["apply", "--plans", "plans", "--allow-destroy", volumeReplace.address], { runner: noProcesses });
    expect(partly.code).toBe(1);
    expect(partly.stderr).toContain("fly_cert.api_example_com (delete)");
    expect(partly.stderr).not.toContain("fly_volume.db_postgres_iad_1 (delete, create)");
  });

  test("an unprotected environment may replace stateful resources", async () => {
    project = new TestProject([{ name: "staging", data: {}, flystack: { environment: "staging", protected: false } }]);
    writePlan(project, "staging", [volumeReplace]);
    const calls: string[] = [];
    const recording: ProcessRunner = { run: async (command, args) => (calls.push(`${path.basename(command)} ${args[0]}`), { code: 0, stdout: "", stderr: "" }) };
    const result = await flystack(project.dir, ["apply", "--plans", "plans"], { runner: recording });
    expect(result.code).toBe(0);
    expect(calls).toEqual(["terraform init", "terraform apply"]);
  });

  test("an empty secret variable counts as missing (a CI secret that does not exist arrives as \"\")", async () => {
    project = new TestProject([{ name: "staging", data: {}, variables: ["api_DATABASE_URL"] }]);
    writePlan(project, "staging", []);
    const result = await flystack(project.dir, ["apply", "--plans", "plans"], { runner: noProcesses, env: { TF_VAR_api_DATABASE_URL: "" } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("staging: secret variables not set: TF_VAR_api_DATABASE_URL");
  });

  test("secret variables must be set again at apply time", async () => {
    project = new TestProject([{ name: "staging", data: {}, variables: ["api_DATABASE_URL"] }]);
    writePlan(project, "staging", []);
    const result = await flystack(project.dir, ["apply", "--plans", "plans"], { runner: noProcesses, env: { TF_VAR_api_DATABASE_URL: undefined } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("staging: secret variables not set: TF_VAR_api_DATABASE_URL");
  });

  test("no plans, or a missing --plans folder, are usage errors", async () => {
    project = new TestProject([{ name: "staging", data: {} }]);
    expect((await flystack(project.dir, ["apply"], { runner: noProcesses })).stderr).toContain("flystack apply: --plans DIR is required");
    expect((await flystack(project.dir, ["apply", "--plans", "nope"], { runner: noProcesses })).stderr).toContain("--plans nope: no such folder");
    fs.mkdirSync(path.join(project.dir, "empty"));
    const empty = await flystack(project.dir, ["apply", "--plans", "empty"], { runner: noProcesses });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain("no saved plan in empty");
  });
});
