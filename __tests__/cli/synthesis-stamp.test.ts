/**
 * Plans made from a recorded synthesis (cdktf.out/flystack-synthesis.json), with real terraform:
 * `plan --skip-synth` plans exactly the files synthesized (a cdk.tf.json changed since fails its
 * stack; a synthesis of another commit is refused), stamps each plan with the synthesis it came
 * from, and `apply` refuses a plan whose stack in cdktf.out is another synthesis.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describeEachBinary, flystack as flystackWith, realBinaries, TestProject } from "./harness";
import { buildRecord, fileDigest, readRecord, type StackRecord, writeRecord } from "../../src/features/synth/synthesis-record";

const binaries = realBinaries().filter((b) => b.name === "terraform");
jest.setTimeout(120_000);

/** Records cdktf.out's stacks as one synthesis, at `commit`. */
function recordSynthesis(project: TestProject, commit?: string): string {
  const out = path.join(project.dir, "cdktf.out");
  const names = Object.keys((JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8")) as { stacks: object }).stacks);
  const stacks: Record<string, StackRecord> = Object.fromEntries(names.map((n) => [n, { inputs: `inputs-of-${n}`, output: fileDigest(path.join(out, "stacks", n, "cdk.tf.json")) }]));
  const record = buildRecord("c".repeat(64), stacks, commit);
  writeRecord(out, record);
  return record.id;
}

describeEachBinary(binaries, "plans from a recorded synthesis, against real $name", ({ binary }) => {
  const flystack: typeof flystackWith = (cwd, args, options = {}) => flystackWith(cwd, args, { ...options, env: { TERRAFORM_BINARY_NAME: binary, ...options.env } });
  let project: TestProject;
  afterEach(() => project.cleanup());
  const stackFile = (stack: string) => path.join(project.dir, "cdktf.out", "stacks", stack, "cdk.tf.json");

  test("the plan is stamped with the synthesis (id, commit, digest of its cdk.tf.json), and applies", async () => {
    project = new TestProject([{ name: "production", data: { a: "1" }, flystack: { environment: "production", protected: true } }]);
    const commit = project.commitAll("synthesized");
    const id = recordSynthesis(project, commit);
    const planned = await flystack(project.dir, ["plan", "--skip-synth"]);
    expect(planned.code).toBe(0);
    const shown = JSON.parse(fs.readFileSync(path.join(project.dir, "plans", "production.plan.json"), "utf8")) as { variables: { flystack_stamp: { value: { synthesis: unknown; commit: string } } } };
    expect(shown.variables.flystack_stamp.value.synthesis).toEqual({ id, commit, digest: fileDigest(stackFile("production")) });
    expect(shown.variables.flystack_stamp.value.commit).toBe(commit);
    const applied = await flystack(project.dir, ["apply", "--plans", "plans"]);
    expect({ code: applied.code, stderr: applied.stderr }).toEqual({ code: 0, stderr: expect.stringContaining("[production] apply: applied") });
  });

  test("a cdk.tf.json changed after synthesis is not planned; the other stacks are", async () => {
    project = new TestProject([
      { name: "a", data: { x: "1" } },
      { name: "b", data: { y: "1" } },
    ]);
    recordSynthesis(project);
    fs.writeFileSync(stackFile("a"), fs.readFileSync(stackFile("a"), "utf8").replace('"input": "1"', '"input": "edited"'));
    const planned = await flystack(project.dir, ["plan", "--skip-synth"]);
    expect(planned.code).toBe(1);
    expect(planned.stderr).toContain("[a] failed: cdktf.out/stacks/a/cdk.tf.json changed after it was synthesized");
    expect(planned.stderr).toContain("[b] plan: changes");
    expect(fs.existsSync(path.join(project.dir, "plans", "a.tfplan"))).toBe(false);
    expect(fs.existsSync(path.join(project.dir, "plans", "b.tfplan"))).toBe(true);
    const summary = JSON.parse(fs.readFileSync(path.join(project.dir, "plans", "summary.json"), "utf8")) as { stacks: { stack: string; status: string }[] };
    expect(summary.stacks.map((s) => [s.stack, s.status])).toEqual([["a", "failed"], ["b", "changes"]]);
    // The comment job gathers the batch's plans: the failure is in the comment, and fails the run.
    const gathered = await flystack(project.dir, ["summarize", "--gather", "plans", "--out", "comment"]);
    expect(gathered.code).toBe(1);
    const comment = fs.readFileSync(path.join(project.dir, "comment", "summary.md"), "utf8");
    expect(comment).toMatch(/\ba\b.*fail/i);
    expect(comment).toContain("changed after it was synthesized");
  });

  test("a synthesis of another commit than the one checked out is refused before anything is planned", async () => {
    project = new TestProject([{ name: "a", data: { x: "1" } }]);
    const first = project.commitAll("first");
    recordSynthesis(project, first);
    const second = project.commitAll("second");
    const planned = await flystack(project.dir, ["plan", "--skip-synth"]);
    expect(planned.code).toBe(1);
    expect(planned.stderr).toContain(`cdktf.out was synthesized at commit ${first.slice(0, 12)}, but ${second.slice(0, 12)} is checked out`);
    expect(planned.stderr).not.toContain("[a] init");
  });

  test("apply refuses a plan whose stack in cdktf.out is not the synthesis it was made from", async () => {
    project = new TestProject([{ name: "a", data: { x: "1" } }]);
    const commit = project.commitAll("synthesized");
    recordSynthesis(project, commit);
    expect((await flystack(project.dir, ["plan", "--skip-synth"])).code).toBe(0);
    // Another synthesis of the stack lands in cdktf.out (a mixed-up artifact).
    fs.writeFileSync(stackFile("a"), fs.readFileSync(stackFile("a"), "utf8").replace('"input": "1"', '"input": "other"'));
    const applied = await flystack(project.dir, ["apply", "--plans", "plans"]);
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain("a: cdktf.out/stacks/a/cdk.tf.json is not the synthesis the plan was made from");
    expect(applied.stderr).not.toContain("[a] apply");
    expect(fs.existsSync(project.statePath("a"))).toBe(false);
  });

  test("--base-from must be the synthesis of --cost-base's commit", async () => {
    project = new TestProject([{ name: "a", data: { x: "1" } }]);
    const commit = project.commitAll("synthesized");
    recordSynthesis(project, commit);
    const base = path.join(project.dir, "base.out");
    fs.cpSync(path.join(project.dir, "cdktf.out"), base, { recursive: true });
    writeRecord(base, buildRecord(readRecord(base)!.code, readRecord(base)!.stacks, "f".repeat(40)));
    const refused = await flystack(project.dir, ["plan", "--skip-synth", "--cost-base", "HEAD", "--base-from", "base.out"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`--base-from base.out is the synthesis of ffffffffffff, not of --cost-base HEAD (${commit.slice(0, 12)})`);
    writeRecord(base, buildRecord(readRecord(base)!.code, readRecord(base)!.stacks, commit));
    const priced = await flystack(project.dir, ["plan", "--skip-synth", "--cost-base", "HEAD", "--base-from", "base.out"]);
    expect(priced.stderr).not.toContain("synthesizing the base revision");
    expect(priced.code).toBe(0);
  });
});
