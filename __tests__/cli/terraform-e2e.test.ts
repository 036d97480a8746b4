/**
 * flystack plan, apply and drift end to end against the real terraform binary (and OpenTofu, when
 * built), on stacks built only from the built-in terraform_data resource with local state: no
 * provider needed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describeEachBinary, flystack as flystackWith, realBinaries, TestProject } from "./harness";
import { PLAN_PLACEHOLDER } from "../../cli/plan-secrets";

const binaries = realBinaries();

interface SummaryJson {
  stacks: { stack: string; status: string; error?: string; summary?: { counts: Record<string, number> } }[];
}
const summaryOf = (dir: string, out = "plans"): SummaryJson => JSON.parse(fs.readFileSync(path.join(dir, out, "summary.json"), "utf8")) as SummaryJson;

describeEachBinary(binaries, "flystack against real $name (terraform_data stacks)", ({ binary }) => {
  const flystack: typeof flystackWith = (cwd, args, options = {}) =>
    flystackWith(cwd, args, { ...options, env: { TERRAFORM_BINARY_NAME: binary, ...options.env } });
  let project: TestProject;
  afterEach(() => project.cleanup());

  test("plan → apply of the saved plan → plan again shows no changes", async () => {
    project = new TestProject([
      { name: "staging", data: { a: "1", b: "2" } },
      { name: "production", data: { c: "3" }, dependencies: ["staging"] },
    ]);
    const planned = await flystack(project.dir, ["plan", "--skip-synth"]);
    expect(planned.code).toBe(0);
    for (const stack of ["staging", "production"]) {
      expect(fs.existsSync(path.join(project.dir, "plans", `${stack}.tfplan`))).toBe(true);
      expect(fs.existsSync(path.join(project.dir, "plans", `${stack}.plan.json`))).toBe(true);
    }
    const summary = summaryOf(project.dir);
    expect(summary.stacks.map((s) => [s.stack, s.status, s.summary?.counts.create])).toEqual([
      ["staging", "changes", 2],
      ["production", "changes", 1],
    ]);
    const markdown = fs.readFileSync(path.join(project.dir, "plans", "summary.md"), "utf8");
    expect(markdown.split("\n")[0]).toBe("<!-- flystack-plan:staging+production -->");
    expect(markdown).toContain("Plan: 2 to add, 0 to change, 0 to replace, 0 to destroy.");
    // The pull-request comment carries the monthly cost estimate after the plan.
    expect(markdown.indexOf("## Fly.io cost estimate")).toBeGreaterThan(markdown.indexOf("Plan: 2 to add"));
    expect(planned.stderr).toMatch(/\[staging\] plan: changes \(\d+\.\ds\)/);

    const applied = await flystack(project.dir, ["apply", "--plans", "plans"]);
    expect(applied.code).toBe(0);
    // Dependency order: staging before production.
    expect(applied.stderr.indexOf("[staging] apply")).toBeLessThan(applied.stderr.indexOf("[production] apply"));
    expect(applied.stdout).toContain("- **staging**: Plan: 2 to add");
    expect(fs.readFileSync(path.join(project.dir, "plans", "applied.md"), "utf8")).toContain("- **production**: Plan: 1 to add");
    expect(JSON.parse(fs.readFileSync(project.statePath("staging"), "utf8")).resources).toHaveLength(2);

    const again = await flystack(project.dir, ["plan", "--skip-synth", "--out", "plans2"]);
    expect(again.code).toBe(0);
    expect(summaryOf(project.dir, "plans2").stacks.map((s) => s.status)).toEqual(["no-changes", "no-changes"]);
  });

  test("a stale saved plan is refused with a message to plan again", async () => {
    project = new TestProject([{ name: "staging", data: { a: "1" } }]);
    expect((await flystack(project.dir, ["plan", "--skip-synth", "--out", "first"])).code).toBe(0);
    expect((await flystack(project.dir, ["plan", "--skip-synth", "--out", "second"])).code).toBe(0);
    expect((await flystack(project.dir, ["apply", "--plans", "second"])).code).toBe(0);
    const stale = await flystack(project.dir, ["apply", "--plans", "first"]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('staging: the saved plan is stale: the state changed after it was made. Nothing of it was applied; run "flystack plan" again');
    const record = fs.readFileSync(path.join(project.dir, "first", "applied.md"), "utf8");
    expect(record).toContain("Nothing was applied.");
    expect(record).toContain("- **staging**: refused by Terraform: the saved plan is stale; the state shows no change: nothing of it was applied.");
  });

  test("applying a folder again keeps the earlier run's record: a later refusal or failure is appended, never written over it", async () => {
    project = new TestProject([{ name: "staging", data: { a: "1", b: "2" } }]);
    expect((await flystack(project.dir, ["plan", "--skip-synth"])).code).toBe(0);
    expect((await flystack(project.dir, ["apply", "--plans", "plans"])).code).toBe(0);
    const again = await flystack(project.dir, ["apply", "--plans", "plans"]);
    expect(again.code).toBe(1);
    const record = fs.readFileSync(path.join(project.dir, "plans", "applied.md"), "utf8");
    const runs = record.split(/^## flystack apply, /m).slice(1);
    expect(runs).toHaveLength(2);
    expect(runs[0]).toContain("- **staging**: Plan: 2 to add, 0 to change, 0 to replace, 0 to destroy. Applied; the state shows 2 created (`terraform_data.a`, `terraform_data.b`).");
    expect(runs[1]).toContain("- **staging**: refused by Terraform: the saved plan is stale; the state shows no change: nothing of it was applied.");
    // A refusal before anything runs is recorded too, after both.
    fs.rmSync(path.join(project.dir, "plans", "staging.tfplan"));
    const refused = await flystack(project.dir, ["apply", "--plans", "plans", "staging"]);
    expect(refused.code).toBe(1);
    const all = fs.readFileSync(path.join(project.dir, "plans", "applied.md"), "utf8").split(/^## flystack apply, /m).slice(1);
    expect(all).toHaveLength(3);
    expect(all[0]).toBe(runs[0]);
    expect(all[2]).toMatch(/Refused: nothing was applied\.\n\n- staging: no saved plan plans\/staging\.tfplan/);
  });

  test("drift: clean after apply (exit 0); a config change is reported as code not yet applied (exit 2)", async () => {
    project = new TestProject([{ name: "staging", data: { a: "1" } }]);
    await flystack(project.dir, ["plan", "--skip-synth"]);
    await flystack(project.dir, ["apply", "--plans", "plans"]);

    const clean = await flystack(project.dir, ["drift", "--skip-synth", "--json"], { env: { FLY_API_TOKEN: undefined } });
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toEqual({ stacks: [{ stack: "staging", status: "clean", drift: [], pending: [], reverts: [], noise: [], accepted: [], audit: { status: "skipped", findings: [], reason: "FLY_API_TOKEN is not set" } }] });
    const required = await flystack(project.dir, ["drift", "--skip-synth", "--json", "--require-audit"], { env: { FLY_API_TOKEN: undefined } });
    expect(required.code).toBe(1);
    expect(JSON.parse(required.stdout).stacks[0]).toMatchObject({ status: "error", audit: { status: "error" } });

    project.write([{ name: "staging", data: { a: "changed", b: "new" } }]);
    const report = path.join(project.dir, "drift.md");
    const pending = await flystack(project.dir, ["drift", "--skip-synth", "--json", "--report", report]);
    expect(pending.code).toBe(2);
    const result = JSON.parse(pending.stdout) as { stacks: { status: string; drift: unknown[]; pending: { address: string; actions: string[] }[] }[] };
    expect(result.stacks[0].status).toBe("drift");
    expect(result.stacks[0].drift).toEqual([]);
    expect(result.stacks[0].pending.map((p) => [p.address, p.actions])).toEqual([
      ["terraform_data.a", ["update"]],
      ["terraform_data.b", ["create"]],
    ]);
    expect(fs.readFileSync(report, "utf8")).toContain("### Code not yet applied (2)");
  });

  test("drift errors exit 1, never 0 or 2", async () => {
    project = new TestProject([{ name: "staging", data: { a: "1" } }]);
    fs.writeFileSync(path.join(project.dir, "cdktf.out", "stacks", "staging", "cdk.tf.json"), '{"resource": {"terraform_data": {"a": {"no_such_argument": 1}}}}');
    const broken = await flystack(project.dir, ["drift", "--skip-synth", "--json"]);
    expect(broken.code).toBe(1);
    const stacks = (JSON.parse(broken.stdout) as { stacks: { status: string; error: string }[] }).stacks;
    expect(stacks[0].status).toBe("error");
    expect(stacks[0].error).toContain("no_such_argument");
  });

  test("a second run waits on the state lock and then succeeds", async () => {
    project = new TestProject([{ name: "staging", data: { a: "1" }, slowSeconds: 4 }]);
    expect((await flystack(project.dir, ["plan", "--skip-synth"])).code).toBe(0);
    const started = Date.now();
    const applying = flystack(project.dir, ["apply", "--plans", "plans"]);
    // Let the apply take the lock (init takes a moment), then plan while it holds it.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const planning = flystack(project.dir, ["plan", "--skip-synth", "--out", "while-locked"]);
    const [applied, planned] = await Promise.all([applying, planning]);
    expect(applied.code).toBe(0);
    expect(planned.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4000);
    // The plan saw the applied state: it waited for the lock rather than reading the old state.
    expect(summaryOf(project.dir, "while-locked").stacks[0].status).toBe("no-changes");
  });

  test("plans need no secret; applying without the secret variables, or with the plan placeholder, is refused naming them", async () => {
    project = new TestProject([
      { name: "staging", data: { a: "1" }, variables: ["api_DATABASE_URL"] },
      { name: "production", data: { b: "1" } },
    ]);
    const planned = await flystack(project.dir, ["plan", "--skip-synth"], { env: { TF_VAR_api_DATABASE_URL: undefined } });
    expect(planned.code).toBe(0);
    expect(summaryOf(project.dir).stacks.map((s) => [s.stack, s.status]).sort()).toEqual([
      ["production", "changes"],
      ["staging", "changes"],
    ]);
    const unset = await flystack(project.dir, ["apply", "--plans", "plans", "--allow-any-commit"], { env: { TF_VAR_api_DATABASE_URL: undefined } });
    expect(unset.code).toBe(1);
    expect(unset.stderr).toContain("staging: secret variables not set: TF_VAR_api_DATABASE_URL");
    const placeholder = await flystack(project.dir, ["apply", "--plans", "plans", "--allow-any-commit"], { env: { TF_VAR_api_DATABASE_URL: PLAN_PLACEHOLDER } });
    expect(placeholder.code).toBe(1);
    expect(placeholder.stderr).toContain("staging: secret variables hold the plan placeholder, not a secret: TF_VAR_api_DATABASE_URL");
    const applied = await flystack(project.dir, ["apply", "--plans", "plans", "--allow-any-commit"], { env: { TF_VAR_api_DATABASE_URL: "postgres://real" } });
    expect(applied.code).toBe(0);
  });
});
