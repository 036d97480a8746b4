/**
 * What real terraform can't produce on demand: one stack's provider failing mid-run. A small
 * hand-written script (fake-terraform/terraform) records its arguments and exits as terraform would.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { flystack, TestProject } from "./harness";

const fake = path.join(__dirname, "fake-terraform", "terraform");

describe("flystack plan when one stack's provider fails mid-run (fake terraform)", () => {
  let project: TestProject;
  afterEach(() => project.cleanup());

  test("the failing stack is reported with its reason, the others still plan, exit 1", async () => {
    project = new TestProject([
      { name: "alpha", data: { a: "1" } },
      { name: "broken", data: { a: "1" } },
      { name: "zulu", data: { a: "1" } },
    ]);
    const log = path.join(project.dir, "terraform.log");
    const result = await flystack(project.dir, ["plan", "--skip-synth", "--terraform", fake], { env: { FAKE_TERRAFORM_LOG: log, FAKE_TERRAFORM_FAIL_STACK: "broken" } });
    expect(result.code).toBe(1);

    const calls = fs.readFileSync(log, "utf8").trim().split("\n");
    expect(calls.map((c) => c.split(" ").slice(0, 3).join(" ").replace(/ -(?!json|no-color).*$/, ""))).toEqual([
      "alpha init", "alpha plan", "alpha show -json", "alpha show -no-color",
      "broken init", "broken plan",
      "zulu init", "zulu plan", "zulu show -json", "zulu show -no-color",
    ]);
    expect(calls[1]).toContain("-input=false -no-color -lock-timeout=5m -detailed-exitcode -out=");

    const summary = JSON.parse(fs.readFileSync(path.join(project.dir, "plans", "summary.json"), "utf8")) as { stacks: { stack: string; status: string; error?: string }[] };
    expect(summary.stacks.map((s) => [s.stack, s.status])).toEqual([["alpha", "changes"], ["broken", "failed"], ["zulu", "changes"]]);
    expect(summary.stacks[1].error).toContain("Error: Plugin did not respond");
    const markdown = fs.readFileSync(path.join(project.dir, "plans", "summary.md"), "utf8");
    expect(markdown).toContain("broken");
    expect(markdown).toContain("Plugin did not respond");
    expect(fs.existsSync(path.join(project.dir, "plans", "broken.tfplan"))).toBe(false);
  });

  test("TERRAFORM_BINARY_NAME selects the binary when --terraform is not given", async () => {
    project = new TestProject([{ name: "alpha", data: { a: "1" } }]);
    const log = path.join(project.dir, "terraform.log");
    const result = await flystack(project.dir, ["plan", "--skip-synth"], { env: { TERRAFORM_BINARY_NAME: fake, FAKE_TERRAFORM_LOG: log } });
    expect(result.code).toBe(0);
    expect(fs.readFileSync(log, "utf8")).toContain("alpha plan");
  });

  test("a terraform binary that does not exist is a clear failure, not a crash", async () => {
    project = new TestProject([{ name: "alpha", data: { a: "1" } }]);
    const result = await flystack(project.dir, ["plan", "--skip-synth", "--terraform", "no-such-terraform"]);
    expect(result.code).toBe(1);
    const summary = JSON.parse(fs.readFileSync(path.join(project.dir, "plans", "summary.json"), "utf8")) as { stacks: { error?: string }[] };
    expect(summary.stacks[0].error).toContain('could not start "no-such-terraform": not found on PATH');
  });
});
