/**
 * apply's checks, with a runner that plays terraform and git: the saved plan (what `terraform show
 * -json <tfplan>` says) is the only thing apply trusts, and a refusal applies nothing.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ProcessRunner } from "../../src/process/runner";
import { flystack, TestProject } from "./harness";

const COMMIT = "a".repeat(40);
const OTHER_COMMIT = "b".repeat(40);

interface Change {
  address: string;
  type: string;
  actions: string[];
}
interface Stamp {
  stack: string;
  environment: string;
  protected: boolean;
  commit: string;
}

/** What `terraform show -json` of a saved plan says: its changes, its own configuration and variable values. */
function showJson(changes: Change[], stamp: Stamp | undefined, options: { required?: string[]; usedStamp?: Stamp } = {}): string {
  const variables: Record<string, unknown> = Object.fromEntries((options.required ?? []).map((v) => [v, { sensitive: true }]));
  if (stamp) variables.flystack_stamp = { default: stamp, description: "stamp" };
  return JSON.stringify({
    format_version: "1.2",
    terraform_version: "1.11.4",
    variables: stamp ? { flystack_stamp: { value: options.usedStamp ?? stamp } } : {},
    resource_changes: changes.map((c) => ({
      address: c.address,
      mode: "managed",
      type: c.type,
      name: c.address.split(".")[1],
      provider_name: "registry.terraform.io/ampbase-io/fly",
      change: { actions: c.actions, before: {}, after: null },
    })),
    configuration: { root_module: { variables } },
  });
}

/** Plays git (HEAD is `head`; null: not a checkout) and terraform (init, show -json of the plan, apply); records each call. */
function fakeRunner(plans: Record<string, string>, head: string | null = COMMIT): { runner: ProcessRunner; calls: string[] } {
  const calls: string[] = [];
  const runner: ProcessRunner = {
    run: async (command, args, options) => {
      const call = `${path.basename(command)} ${args[0]}`;
      calls.push(call);
      if (command === "git") return head ? { code: 0, stdout: `${head}\n`, stderr: "" } : { code: 128, stdout: "", stderr: "fatal: not a git repository" };
      if (args[0] === "show") return { code: 0, stdout: plans[path.basename(options.cwd)] ?? "", stderr: "" };
      return { code: 0, stdout: "", stderr: "" };
    },
  };
  return { runner, calls };
}

/** A saved plan file, and beside it a plan JSON that says nothing changes (apply must not believe it). */
function writePlanFiles(project: TestProject, stack: string): void {
  const dir = path.join(project.dir, "plans");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${stack}.tfplan`), "binary plan placeholder");
  fs.writeFileSync(path.join(dir, `${stack}.plan.json`), JSON.stringify({ format_version: "1.2", terraform_version: "1.11.4", resource_changes: [] }));
}

const stamp = (stack: string, isProtected: boolean, commit = COMMIT): Stamp => ({ stack, environment: stack, protected: isProtected, commit });

describe("flystack apply guards (the saved plan is the truth)", () => {
  let project: TestProject;
  afterEach(() => project.cleanup());

  const volumeReplace = { address: "fly_volume.db_postgres_iad_1", type: "fly_volume", actions: ["delete", "create"] };
  const certDelete = { address: "fly_cert.api_example_com", type: "fly_cert", actions: ["delete"] };
  const secretDelete = { address: "fly_secret.api_DATABASE_URL", type: "fly_secret", actions: ["delete"] };
  const ipDelete = { address: "fly_ip.api_dedicated_ipv4", type: "fly_ip", actions: ["delete"] };
  const machineReplace = { address: "fly_machine.api_web_iad_1", type: "fly_machine", actions: ["delete", "create"] };

  test("a protected plan that deletes or replaces stateful resources (volume, cert, secret, IP) is refused, though the plan JSON beside it says no changes", async () => {
    project = new TestProject([{ name: "production", data: {}, flystack: { environment: "production", protected: true } }]);
    writePlanFiles(project, "production");
    const { runner, calls } = fakeRunner({ production: showJson([volumeReplace, certDelete, secretDelete, ipDelete, machineReplace], stamp("production", true)) });
    const result = await flystack(project.dir, ["apply", "--plans", "plans"], { runner });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("flystack apply: refused, nothing was applied:");
    expect(result.stderr).toContain(
      'production: the plan deletes or replaces stateful resources in the protected environment "production": ' +
        "fly_volume.db_postgres_iad_1 (delete, create); fly_cert.api_example_com (delete); fly_secret.api_DATABASE_URL (delete); fly_ip.api_dedicated_ipv4 (delete).",
    );
    expect(result.stderr).not.toContain("fly_machine.api_web_iad_1");
    expect(calls).toEqual(["git rev-parse", "terraform init", "terraform show"]);
  });

  test("protection comes from the plan's own stamp, not from cdktf.out (which may be another commit's)", async () => {
    project = new TestProject([{ name: "production", data: {}, flystack: { environment: "production", protected: false } }]);
    writePlanFiles(project, "production");
    const { runner, calls } = fakeRunner({ production: showJson([volumeReplace], stamp("production", true)) });
    const result = await flystack(project.dir, ["apply", "--plans", "plans"], { runner });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('in the protected environment "production": fly_volume.db_postgres_iad_1 (delete, create)');
    expect(calls).not.toContain("terraform apply");
  });

  test("--allow-destroy must name every such address", async () => {
    project = new TestProject([{ name: "production", data: {}, flystack: { environment: "production", protected: true } }]);
    writePlanFiles(project, "production");
    const plans = { production: showJson([volumeReplace, certDelete], stamp("production", true)) };
    const partly = await flystack(project.dir, ["apply", "--plans", "plans", "--allow-destroy", volumeReplace.address], { runner: fakeRunner(plans).runner });
    expect(partly.code).toBe(1);
    expect(partly.stderr).toContain("fly_cert.api_example_com (delete)");
    expect(partly.stderr).not.toContain("fly_volume.db_postgres_iad_1 (delete, create)");
    const { runner, calls } = fakeRunner(plans);
    const both = await flystack(project.dir, ["apply", "--plans", "plans", "--allow-destroy", volumeReplace.address, "--allow-destroy", certDelete.address], { runner });
    expect(both.code).toBe(0);
    // The state is read before and after the apply: the record says what it did (apply-record.ts).
    expect(calls).toEqual(["git rev-parse", "terraform init", "terraform show", "terraform show", "terraform apply", "terraform show"]);
  });

  test("an unprotected environment may replace stateful resources", async () => {
    project = new TestProject([{ name: "staging", data: {}, flystack: { environment: "staging", protected: false } }]);
    writePlanFiles(project, "staging");
    const { runner, calls } = fakeRunner({ staging: showJson([volumeReplace], stamp("staging", false)) });
    const result = await flystack(project.dir, ["apply", "--plans", "plans"], { runner });
    expect(result.code).toBe(0);
    // The state is read before and after the apply: the record says what it did (apply-record.ts).
    expect(calls).toEqual(["git rev-parse", "terraform init", "terraform show", "terraform show", "terraform apply", "terraform show"]);
    expect(result.stdout).toContain("- **staging**: Plan: 0 to add, 0 to change, 1 to replace, 0 to destroy.");
  });

  test("a plan of another stack (production's plan saved as staging.tfplan) is refused", async () => {
    project = new TestProject([
      { name: "staging", data: {}, flystack: { environment: "staging", protected: false } },
      { name: "production", data: {}, flystack: { environment: "production", protected: true } },
    ]);
    writePlanFiles(project, "staging");
    const { runner, calls } = fakeRunner({ staging: showJson([volumeReplace], stamp("production", false)) });
    const result = await flystack(project.dir, ["apply", "--plans", "plans", "staging"], { runner });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('staging: the saved plan is the plan of stack "production", not "staging"');
    expect(result.stderr).toContain('staging: the saved plan is for environment "production", but stack "staging" belongs to "staging"');
    expect(calls).not.toContain("terraform apply");
  });

  test("a plan made from another commit is refused; --allow-any-commit lets it through", async () => {
    project = new TestProject([{ name: "staging", data: {}, flystack: { environment: "staging", protected: false } }]);
    writePlanFiles(project, "staging");
    const plans = { staging: showJson([], stamp("staging", false, OTHER_COMMIT)) };
    const refused = await flystack(project.dir, ["apply", "--plans", "plans"], { runner: fakeRunner(plans).runner });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`staging: the saved plan was made from commit ${OTHER_COMMIT.slice(0, 12)}, but ${COMMIT.slice(0, 12)} is checked out`);
    expect((await flystack(project.dir, ["apply", "--plans", "plans", "--allow-any-commit"], { runner: fakeRunner(plans).runner })).code).toBe(0);
  });

  test("commits: one side outside git is refused; both outside git is said and allowed", async () => {
    project = new TestProject([{ name: "staging", data: {} }]);
    writePlanFiles(project, "staging");
    const noCheckout = await flystack(project.dir, ["apply", "--plans", "plans"], { runner: fakeRunner({ staging: showJson([], { ...stamp("staging", false), environment: "" }) }, null).runner });
    expect(noCheckout.code).toBe(1);
    expect(noCheckout.stderr).toContain("but this is not a git checkout, so that cannot be checked");
    const unstamped = await flystack(project.dir, ["apply", "--plans", "plans"], { runner: fakeRunner({ staging: showJson([], { ...stamp("staging", false, ""), environment: "" }) }).runner });
    expect(unstamped.code).toBe(1);
    expect(unstamped.stderr).toContain("the saved plan was made outside a git checkout");
    const neither = await flystack(project.dir, ["apply", "--plans", "plans"], { runner: fakeRunner({ staging: showJson([], { ...stamp("staging", false, ""), environment: "" }) }, null).runner });
    expect(neither.code).toBe(0);
    expect(neither.stderr).toContain("not a git checkout");
  });

  test("a plan without flystack's stamp, or with the stamp overridden when planning, is refused", async () => {
    project = new TestProject([{ name: "staging", data: {} }]);
    writePlanFiles(project, "staging");
    const bare = await flystack(project.dir, ["apply", "--plans", "plans"], { runner: fakeRunner({ staging: showJson([], undefined) }).runner });
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain('staging: the saved plan carries no flystack stamp (flystack_stamp): it was not made by "flystack plan"');
    const overridden = showJson([], { ...stamp("staging", true), environment: "" }, { usedStamp: { ...stamp("staging", false), environment: "" } });
    const result = await flystack(project.dir, ["apply", "--plans", "plans"], { runner: fakeRunner({ staging: overridden }).runner });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("the plan was made with flystack_stamp overridden");
  });

  test("the secret variables the plan's own configuration declares must be set again; empty counts as missing", async () => {
    project = new TestProject([{ name: "staging", data: {} }]);
    writePlanFiles(project, "staging");
    const plans = { staging: showJson([], { ...stamp("staging", false), environment: "" }, { required: ["api_DATABASE_URL"] }) };
    for (const value of ["", undefined]) {
      const { runner, calls } = fakeRunner(plans);
      const result = await flystack(project.dir, ["apply", "--plans", "plans"], { runner, env: { TF_VAR_api_DATABASE_URL: value } });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("staging: secret variables not set: TF_VAR_api_DATABASE_URL");
      expect(calls).not.toContain("terraform apply");
    }
  });

  test("no plans, or a missing --plans folder, are usage errors", async () => {
    project = new TestProject([{ name: "staging", data: {} }]);
    const none: ProcessRunner = {
      run: (command, args) => {
        throw new Error(`no process may start, but got: ${command} ${args.join(" ")}`);
      },
    };
    expect((await flystack(project.dir, ["apply"], { runner: none })).stderr).toContain("flystack apply: --plans DIR is required");
    expect((await flystack(project.dir, ["apply", "--plans", "nope"], { runner: none })).stderr).toContain("--plans nope: no such folder");
    fs.mkdirSync(path.join(project.dir, "empty"));
    const empty = await flystack(project.dir, ["apply", "--plans", "empty"], { runner: none });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain("no saved plan in empty");
  });
});
