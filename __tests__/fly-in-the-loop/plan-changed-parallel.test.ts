/**
 * `flystack plan --changed-since REF` and `--parallel N`, and `flystack summarize --gather`, with real
 * terraform, the provider double and the fake Fly API, on a git repository holding a copy of this
 * project with three test-owned environments (one stack each).
 *
 * These runs synthesize as `flystack plan` does (this checkout's main.ts for the tree, the worktree's
 * for REF), so the stacks keep their Cloudflare provider. The environments have no custom domain, so
 * no Cloudflare resource exists and the provider is only configured, with nothing in its block: the
 * test's mirror serves the double's null provider under the Cloudflare name (its empty configuration
 * is valid there), because the real Cloudflare provider takes an hour to build.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describeEachBinary, flystack, projectWithEnvironments, realBinaries, writeEnvironmentFile } from "../cli/harness";
import { loopProviders, standInCloudflareRc } from "./providers";
import { Loop } from "./loop";
import { type LoopEnvironment, loopEnvironment } from "../fixtures/environments";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-loop-changed-"));
const providers = loopProviders(work);
const binaries = providers ? realBinaries().filter((b) => b.name === "terraform") : [];
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

jest.setTimeout(300_000);

const NAMES = ["cha", "chb", "chc"];

/** A loop environment without custom domains (so without Cloudflare resources). */
function environment(name: string): LoopEnvironment {
  const env = loopEnvironment(name);
  delete env.apps.web.domains;
  return env;
}

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync("git", ["-c", "user.name=flystack test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout.trim();
}

interface SummaryJson {
  stacks: { stack: string; status: string; error?: string }[];
  changedSince?: string;
  skipped?: { stack: string; reason: string }[];
  removed?: { stack: string; reason: string }[];
}

describeEachBinary(binaries, "$name, the provider double and the fake Fly API: plan --changed-since, --parallel, summarize --gather", ({ binary }) => {
  const loop = new Loop({ binary, providers: providers!, startDelayMs: 5 });
  let project = "";
  let rc = "";
  const read = (dir: string, file: string) => fs.readFileSync(path.join(project, dir, file), "utf8");
  const summary = (dir: string) => JSON.parse(read(dir, "summary.json")) as SummaryJson;
  const run = (args: string[]) =>
    flystack(project, args, {
      env: { ...loop.env(), TF_CLI_CONFIG_FILE: rc, FLYSTACK_LOCAL_STATE_DIR: path.join(work, "state"), FLYSTACK_ENVIRONMENTS_DIR: undefined, TF_PLUGIN_CACHE_DIR: undefined },
    });

  beforeAll(async () => {
    await loop.start();
    rc = standInCloudflareRc(work);
    project = projectWithEnvironments(NAMES.map(environment));
    fs.appendFileSync(path.join(project, ".gitignore"), "\nnode_modules\nout-*/\n");
    git(project, "init", "-q");
    git(project, "add", "-A");
    git(project, "commit", "-q", "-m", "three environments");
  });
  afterAll(async () => {
    await loop.stop();
    if (project) {
      spawnSync("git", ["worktree", "prune"], { cwd: project });
      fs.rmSync(project, { recursive: true, force: true });
    }
  });

  test("REF not a commit, or --parallel out of range: exit 1 with a clear message, before any work", async () => {
    const missing = await run(["plan", "--changed-since", "no-such-ref", "--out", "out-none"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--changed-since: "no-such-ref" is not a commit in this repository');
    expect(missing.stderr).not.toContain("synthesizing");
    for (const n of ["0", "17", "two"]) {
      const bad = await run(["plan", "--parallel", n, "--skip-synth"]);
      expect([n, bad.code]).toEqual([n, 1]);
      expect(bad.stderr).toContain(`--parallel must be a whole number from 1 to 16, got "${n}"`);
    }
  });

  test("nothing changed since HEAD: every stack is skipped, and the summaries say so", async () => {
    const planned = await run(["plan", "--changed-since", "HEAD", "--out", "out-unchanged"]);
    expect([planned.code, planned.stderr]).toEqual([0, expect.stringContaining("0 of 3 stacks changed since HEAD")]);
    expect(planned.stderr).not.toContain("] init");
    const json = summary("out-unchanged");
    expect(json.stacks).toEqual([]);
    expect(json.changedSince).toBe("HEAD");
    expect(json.skipped).toEqual(NAMES.map((stack) => ({ stack, reason: "unchanged since HEAD" })));
    expect(json.removed).toBeUndefined();
    expect(read("out-unchanged", "summary.md")).toContain("3 stacks not planned, unchanged since HEAD: `cha`, `chb`, `chc`.");
    expect(planned.stdout).toContain("No stacks were planned.");
  });

  test("--parallel 3 writes the same summaries as a serial run; progress lines keep their stack prefix", async () => {
    loop.fly.setLatency(20);
    try {
      const serial = await run(["plan", "--out", "out-serial"]);
      expect([serial.code, serial.stderr]).toEqual([0, expect.any(String)]);
      const parallel = await run(["plan", "--skip-synth", "--parallel", "3", "--out", "out-parallel"]);
      expect([parallel.code, parallel.stderr]).toEqual([0, expect.any(String)]);
      expect(summary("out-parallel")).toEqual(summary("out-serial"));
      expect(summary("out-serial").stacks.map((s) => [s.stack, s.status])).toEqual(NAMES.map((n) => [n, "changes"]));
      expect(read("out-parallel", "summary.md")).toBe(read("out-serial", "summary.md"));
      const stackLines = parallel.stderr.split("\n").filter((line) => /\] (init|plan|show -json)/.test(line));
      expect(stackLines.length).toBe(NAMES.length * 6);
      for (const line of stackLines) expect(line).toMatch(/^\[(cha|chb|chc)\] /);
    } finally {
      loop.fly.setLatency(0);
    }
  });

  test("with a Terraform plugin cache (not safe for concurrent init) the inits take turns, and the plans are the same", async () => {
    const cache = path.join(work, "plugin-cache");
    fs.mkdirSync(cache, { recursive: true });
    const planned = await flystack(project, ["plan", "--skip-synth", "--parallel", "3", "--out", "out-cached"], {
      env: { ...loop.env(), TF_CLI_CONFIG_FILE: rc, FLYSTACK_LOCAL_STATE_DIR: path.join(work, "state"), FLYSTACK_ENVIRONMENTS_DIR: undefined, TF_PLUGIN_CACHE_DIR: cache },
    });
    expect([planned.code, planned.stderr]).toEqual([0, expect.stringContaining(`the Terraform plugin cache ${cache} is not safe for concurrent init: the stacks initialize one at a time`)]);
    const inits = planned.stderr.split("\n").filter((line) => /\] init/.test(line));
    expect(inits).toHaveLength(6);
    for (let i = 0; i < inits.length; i += 2) {
      const stack = /^\[(\w+)\]/.exec(inits[i])![1];
      expect([inits[i], inits[i + 1]]).toEqual([`[${stack}] init…`, expect.stringMatching(new RegExp(`^\\[${stack}\\] init: done`))]);
    }
    expect(summary("out-cached")).toEqual(summary("out-serial"));
  });

  test("summarize --gather merges plans made separately into the summaries of one run", async () => {
    expect((await run(["plan", "cha", "--skip-synth", "--out", "out-g1"])).code).toBe(0);
    expect((await run(["plan", "chb", "chc", "--skip-synth", "--out", "out-g2"])).code).toBe(0);
    const gathered = await run(["summarize", "--gather", "out-g2", "out-g1", "--out", "out-gathered"]);
    expect([gathered.code, gathered.stderr]).toEqual([0, expect.stringContaining("gathered 3 planned stacks from 2 summaries")]);
    expect(summary("out-gathered")).toEqual(summary("out-serial"));
    expect(read("out-gathered", "summary.md")).toBe(read("out-serial", "summary.md"));

    const twice = await run(["summarize", "--gather", "out-g1", "out-serial", "--out", "out-twice"]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain("stack cha is in more than one summary");
  });

  test("one environment changed and one removed: only the changed stack is planned; the other two are listed", async () => {
    const changed = environment("chb");
    changed.apps.api.groups.app.guest.memoryMb = 512;
    writeEnvironmentFile(project, changed);
    fs.rmSync(path.join(project, "environments", "chc.ts"));
    // The in-process synthesis requires environment files: jest would hand back the first chb.ts (a CLI run is a fresh process).
    jest.resetModules();

    const planned = await run(["plan", "--changed-since", "HEAD", "--parallel", "2", "--out", "out-changed"]);
    expect([planned.code, planned.stderr]).toEqual([0, expect.stringContaining("1 of 2 stacks changed since HEAD: chb")]);
    const json = summary("out-changed");
    expect(json.stacks.map((s) => [s.stack, s.status])).toEqual([["chb", "changes"]]);
    expect(json.skipped).toEqual([{ stack: "cha", reason: "unchanged since HEAD" }]);
    expect(json.removed).toEqual([{ stack: "chc", reason: "removed since HEAD" }]);
    expect(fs.readdirSync(path.join(project, "out-changed")).sort()).toEqual(["chb.plan.json", "chb.tfplan", "summary.json", "summary.md"]);
    const markdown = read("out-changed", "summary.md");
    expect(markdown).toContain("1 stack not planned, unchanged since HEAD: `cha`.");
    expect(markdown).toContain("1 stack no longer exists.");
    expect(markdown).toContain("> - `chc`: removed since HEAD");

    // The workflow's way: the matrix of changed stacks, one plan per job, then one gathered comment.
    const listed = await run(["stacks", "--json", "--skip-synth", "--changed-since", "HEAD", "--summary-out", "out-skipped"]);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { stacks: string[] }[]).flatMap((b) => b.stacks)).toEqual(["chb"]);
    expect((await run(["plan", "chb", "--skip-synth", "--out", "out-job-chb"])).code).toBe(0);
    const gathered = await run(["summarize", "--gather", "out-skipped", "out-job-chb", "--out", "out-comment"]);
    expect(gathered.code).toBe(0);
    expect(summary("out-comment")).toEqual(json);
    expect(read("out-comment", "summary.md")).toBe(markdown);
  });
});
