/**
 * `flystack apply --parallel N` (a workflow batch's apply), with real terraform: independent stacks
 * overlap, a stack waits for the stacks it depends on, and after a failure no further stack starts
 * while those running finish; applied.md and applied.json say which is which.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describeEachBinary, flystack as flystackWith, realBinaries, TestProject } from "./harness";

const binaries = realBinaries().filter((b) => b.name === "terraform");
jest.setTimeout(120_000);

/** Makes `stack`'s apply fail: a resource whose provisioner exits 1. */
function failingApply(project: TestProject, stack: string): void {
  const file = path.join(project.dir, "cdktf.out", "stacks", stack, "cdk.tf.json");
  const json = JSON.parse(fs.readFileSync(file, "utf8")) as { resource: { terraform_data: Record<string, unknown> } };
  json.resource.terraform_data.broken = { input: "x", provisioner: [{ "local-exec": { command: "echo refusing >&2; exit 1" } }] };
  fs.writeFileSync(file, JSON.stringify(json, null, 2));
}

describeEachBinary(binaries, "apply --parallel, against real $name", ({ binary }) => {
  const flystack: typeof flystackWith = (cwd, args, options = {}) => flystackWith(cwd, args, { ...options, env: { TERRAFORM_BINARY_NAME: binary, ...options.env } });
  let project: TestProject;
  afterEach(() => project.cleanup());
  const lineOf = (stderr: string, text: string) => stderr.split("\n").findIndex((l) => l.startsWith(text));

  test("independent stacks overlap; a dependent stack starts only after its dependency applied", async () => {
    project = new TestProject([
      { name: "base", data: { a: "1" }, slowSeconds: 2 },
      { name: "child", data: { b: "1" }, dependencies: ["base"] },
      { name: "other", data: { c: "1" }, slowSeconds: 2 },
    ]);
    expect((await flystack(project.dir, ["plan", "--skip-synth", "--parallel", "3"])).code).toBe(0);
    const { code, stderr, stdout } = await flystack(project.dir, ["apply", "--plans", "plans", "--parallel", "3"]);
    expect(code).toBe(0);
    // other started before base finished (they overlap); child only after base applied.
    expect(lineOf(stderr, "[other] apply…")).toBeLessThan(lineOf(stderr, "[base] apply: applied"));
    expect(lineOf(stderr, "[child] apply…")).toBeGreaterThan(lineOf(stderr, "[base] apply: applied"));
    for (const stack of ["base", "child", "other"]) expect(stdout).toContain(`- **${stack}**:`);
    const runs = (JSON.parse(fs.readFileSync(path.join(project.dir, "plans", "applied.json"), "utf8")) as { runs: { stacks: { stack: string; status: string }[] }[] }).runs;
    expect(runs).toHaveLength(1);
    expect(runs[0].stacks).toEqual([
      { stack: "base", status: "applied" },
      { stack: "child", status: "applied" },
      { stack: "other", status: "applied" },
    ]);
  });

  test("after a failure no further stack starts; the one running finishes; the record names each", async () => {
    project = new TestProject([
      { name: "a-fails", data: { a: "1" } },
      { name: "b-slow", data: { b: "1" }, slowSeconds: 3 },
      { name: "c-waits", data: { c: "1" } },
      { name: "d-waits", data: { d: "1" } },
    ]);
    failingApply(project, "a-fails");
    expect((await flystack(project.dir, ["plan", "--skip-synth", "--parallel", "2"])).code).toBe(0);
    const { code, stderr, stdout } = await flystack(project.dir, ["apply", "--plans", "plans", "--parallel", "2"]);
    expect(code).toBe(1);
    expect(stderr).toContain("[a-fails] apply: failed");
    expect(stderr).toContain("[b-slow] apply: applied");
    expect(stderr).not.toContain("[c-waits] apply…");
    expect(stderr).not.toContain("[d-waits] apply…");
    expect(stdout).toContain("Not attempted after the failure: c-waits, d-waits.");
    const runs = (JSON.parse(fs.readFileSync(path.join(project.dir, "plans", "applied.json"), "utf8")) as { runs: { stacks: { stack: string; status: string }[] }[] }).runs;
    expect(runs[0].stacks).toEqual([
      { stack: "a-fails", status: "failed" },
      { stack: "b-slow", status: "applied" },
      { stack: "c-waits", status: "not attempted" },
      { stack: "d-waits", status: "not attempted" },
    ]);
  });

  test("--parallel out of range is a usage error", async () => {
    project = new TestProject([{ name: "a", data: { a: "1" } }]);
    const { code, stderr } = await flystack(project.dir, ["apply", "--plans", "cdktf.out", "--parallel", "0"]);
    expect(code).toBe(1);
    expect(stderr).toContain("--parallel must be a whole number from 1 to 16");
  });
});
