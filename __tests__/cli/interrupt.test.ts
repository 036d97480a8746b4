/**
 * An interrupted flystack (SIGINT from Ctrl-C or a cancelled workflow, SIGTERM from a timeout) forwards
 * the signal to the running Terraform once, drains its output, waits for its graceful shutdown and
 * exits 130/143 without starting the next stack; Terraform records what it created and releases the
 * lock. Signals come from an injected Interruption: nothing here signals the jest process.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import { SpawnRunner } from "../../src/process/runner";
import { InterruptedError, Interruption, interruptionMessage } from "../../src/process/signals";
import { runCli } from "../../cli/main";
import type { Command } from "../../cli/command";
import { FakeS3Api } from "../fakes/s3-api";
import { describeEachBinary, flystack, realBinaries, terraformAvailable, TestProject } from "./harness";

const projectRoot = path.join(__dirname, "..", "..");
const env = { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null", CHECKPOINT_DISABLE: "1" };

/** A node child that traps SIGINT/SIGTERM: the first prints a lot (to prove the pipes stay drained) and exits 3 after 300 ms, unless a second comes (exit 4). */
const TRAPPING_CHILD = `
let got = 0;
const stop = (s) => {
  got++;
  console.error("got " + s + " #" + got);
  if (got === 1) { process.stdout.write("x".repeat(200000) + "\\nflushed\\n"); setTimeout(() => { console.error("graceful exit"); process.exit(3); }, 300); }
  else { console.error("forced exit"); process.exit(4); }
};
process.on("SIGINT", stop); process.on("SIGTERM", stop);
console.error("ready");
setInterval(() => {}, 1000);
`;

function runTrapping(runner: SpawnRunner, onReady: () => void) {
  return runner.run(process.execPath, ["-e", TRAPPING_CHILD], {
    cwd: projectRoot,
    env,
    onStderrLine: (line) => line === "ready" && onReady(),
  });
}

describe("SpawnRunner forwards interruptions", () => {
  test("the first signal is forwarded once; output after it is drained; nothing new starts afterwards", async () => {
    const interruption = new Interruption();
    const runner = new SpawnRunner({ interruption });
    const result = await runTrapping(runner, () => interruption.interrupt("SIGINT"));
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("got SIGINT #1");
    expect(result.stderr).toContain("graceful exit");
    expect(result.stdout).toContain("flushed");
    expect(result.stdout.length).toBeGreaterThan(200000);
    expect(interruption.stopped).toHaveLength(1);
    expect(interruption.stopped[0]).toMatchObject({ forwarded: ["SIGINT"], code: 3, signal: null });
    expect(interruption.exitCode).toBe(130);
    await expect(runner.run("terraform", ["apply"], { cwd: projectRoot, env })).rejects.toBeInstanceOf(InterruptedError);
  });

  test("a second signal is forwarded again (Terraform's forced stop), and the message says so", async () => {
    const interruption = new Interruption();
    const runner = new SpawnRunner({ interruption });
    const result = await runTrapping(runner, () => {
      interruption.interrupt("SIGTERM");
      setTimeout(() => interruption.interrupt("SIGTERM"), 50);
    });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain("got SIGTERM #2");
    expect(interruption.stopped[0].forwarded).toEqual(["SIGTERM", "SIGTERM"]);
    expect(interruption.exitCode).toBe(143);
  });

  test("children run in their own process group only when signals are forwarded", async () => {
    const pgid = (pid: number) => Number(spawnSync("ps", ["-o", "pgid=", "-p", String(pid)], { encoding: "utf8" }).stdout.trim());
    // The child reports its pgid itself, via ps on its own pid, while it runs.
    const script = `console.log(require("node:child_process").execFileSync("ps", ["-o", "pgid=", "-p", String(process.pid)], { encoding: "utf8" }).trim() + " " + process.pid)`;
    const groupOf = async (runner: SpawnRunner) => (await runner.run(process.execPath, ["-e", script], { cwd: projectRoot, env })).stdout.trim().split(" ").map(Number);
    const [ownGroup, ownPid] = await groupOf(new SpawnRunner({ interruption: new Interruption() }));
    expect(ownGroup).toBe(ownPid); // a group leader: a terminal's Ctrl-C to flystack's group misses it
    const [sharedGroup] = await groupOf(new SpawnRunner());
    expect(sharedGroup).toBe(pgid(process.pid));
  });

  test("runCli exits 130 with the message, after the command's own reporting, and a nested runCli reports once", async () => {
    const interruption = new Interruption();
    const runner = new SpawnRunner({ interruption });
    const inner: Command = { name: "inner", summary: "", help: "", run: async () => ((await runTrapping(runner, () => interruption.interrupt("SIGINT"))).code === 0 ? 0 : 1) };
    const outer: Command = { name: "outer", summary: "", help: "", run: (_args, ctx) => runCli(["inner"], ctx, [inner]) };
    const stderr = new PassThrough();
    let err = "";
    stderr.on("data", (c: Buffer) => (err += c.toString()));
    const code = await runCli(["outer"], { cwd: projectRoot, env, stdout: new PassThrough(), stderr, runner }, [outer, inner]);
    expect(code).toBe(130);
    expect(err.match(/interrupted by SIGINT/g)).toHaveLength(1);
    expect(err).toContain(`forwarded SIGINT once to ${path.basename(process.execPath)}`);
  });

  test("the message tells graceful, forced and killed Terraform apart", () => {
    const message = (child: Parameters<Interruption["recordStopped"]>[0]) => {
      const i = new Interruption();
      i.interrupt(child.forwarded[0]);
      i.recordStopped(child);
      return interruptionMessage(i);
    };
    const base = { command: "/usr/bin/terraform", args: ["apply", "-input=false"], stderr: "Interrupt received.\nError: execution halted" };
    expect(message({ ...base, forwarded: ["SIGINT"], code: 1, signal: null })).toMatch(/stopped gracefully .*recorded what it had done in the state and released the state lock.*flystack plan again/);
    expect(message({ ...base, forwarded: ["SIGINT", "SIGINT"], code: 1, signal: null })).toMatch(/forced.*may be missing from the state.*runbook/);
    expect(message({ ...base, forwarded: ["SIGTERM"], code: null, signal: "SIGKILL" })).toMatch(/killed by SIGKILL.*lock may remain/);
    expect(message({ ...base, forwarded: ["SIGINT"], code: 1, signal: null, stderr: "Error: Error releasing the state lock" })).toMatch(/could not release the state lock/);
    const idle = new Interruption();
    idle.interrupt("SIGTERM");
    expect(interruptionMessage(idle)).toMatch(/while no program was running/);
  });
});

// ---- Real Terraform -------------------------------------------------------------------------------

const binaries = realBinaries();

/**
 * Stacks whose `slow` resource is created after `a` and `b` (depends_on), touches a marker file when
 * its provisioner starts, then sleeps: the test interrupts while it sleeps.
 */
function slowProject(stacks: { name: string; dependencies?: string[] }[]): { project: TestProject; marker: (stack: string) => string } {
  const project = new TestProject(stacks.map((s) => ({ name: s.name, data: { a: "1", b: "2" }, slowSeconds: 60, dependencies: s.dependencies })));
  const marker = (stack: string) => path.join(project.dir, `${stack}.slow-started`);
  for (const s of stacks) {
    const file = path.join(project.dir, "cdktf.out", "stacks", s.name, "cdk.tf.json");
    const json = JSON.parse(fs.readFileSync(file, "utf8"));
    json.resource.terraform_data.slow.depends_on = ["terraform_data.a", "terraform_data.b"];
    json.resource.terraform_data.slow.provisioner[0]["local-exec"].command = `touch ${marker(s.name)} && sleep 60`;
    fs.writeFileSync(file, JSON.stringify(json, null, 2));
  }
  return { project, marker };
}

async function waitFor(file: string, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!fs.existsSync(file)) {
    if (Date.now() - start > timeoutMs) throw new Error(`${file} did not appear`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const lockInfoFiles = (dir: string): string[] => (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(".lock.info"));
const stateResources = (json: string) => (JSON.parse(json).resources as { name: string; instances: { status?: string }[] }[]).map((r) => `${r.name}${r.instances[0]?.status === "tainted" ? " (tainted)" : ""}`).sort();

describeEachBinary(binaries, "an apply interrupted mid-create under real $name (local backend)", ({ binary }) => {
  let project: TestProject;
  afterEach(() => project.cleanup());

  test("exit 130; what was created is in the state; no lock left; the next stack not started; plan again at once", async () => {
    const slow = slowProject([{ name: "one" }, { name: "two", dependencies: ["one"] }]);
    project = slow.project;
    const options = { env: { TERRAFORM_BINARY_NAME: binary } };
    expect((await flystack(project.dir, ["plan", "--skip-synth"], options)).code).toBe(0);

    const interruption = new Interruption();
    const applying = flystack(project.dir, ["apply", "--plans", "plans"], { ...options, runner: new SpawnRunner({ interruption }) });
    await waitFor(slow.marker("one"));
    interruption.interrupt("SIGINT");
    const applied = await applying;

    expect(applied.code).toBe(130);
    expect(applied.stderr).toMatch(/interrupted by SIGINT: forwarded SIGINT once to \S*(terraform|tofu) apply, which stopped gracefully/);
    expect(applied.stderr).not.toContain("[two] apply");
    // a and b were created before the interruption; slow was created, its provisioner stopped: tainted.
    expect(stateResources(fs.readFileSync(project.statePath("one"), "utf8"))).toEqual(["a", "b", "slow (tainted)"]);
    expect(fs.existsSync(project.statePath("two"))).toBe(false);
    expect(lockInfoFiles(project.dir)).toEqual([]);
    // The record says what Terraform's state shows, not "Nothing was applied".
    const record = fs.readFileSync(path.join(project.dir, "plans", "applied.md"), "utf8");
    expect(record).toContain("- **one**: interrupted, **part of it was applied**: the state shows 3 created (`terraform_data.a`, `terraform_data.b`, `terraform_data.slow`).");
    expect(record).not.toContain("Nothing was applied.");
    expect(record).toContain("Not attempted after the failure: two.");

    const started = Date.now();
    const again = await flystack(project.dir, ["plan", "--skip-synth", "--out", "plans2"], options);
    expect(again.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000); // a left lock would wait -lock-timeout=5m
  }, 120_000);
});

const withTerraform = terraformAvailable() ? describe : describe.skip;

withTerraform("an apply interrupted under real terraform with the S3 backend (use_lockfile, fake S3 on 127.0.0.1)", () => {
  let project: TestProject;
  let s3: FakeS3Api;
  afterEach(async () => {
    project.cleanup();
    await s3.stop();
  });

  test("SIGTERM: exit 143; the state object holds the created resources; no .tflock object remains", async () => {
    s3 = new FakeS3Api(["flystack-state"]);
    const url = await s3.start();
    const slow = slowProject([{ name: "one" }]);
    project = slow.project;
    const file = path.join(project.dir, "cdktf.out", "stacks", "one", "cdk.tf.json");
    const json = JSON.parse(fs.readFileSync(file, "utf8"));
    json.terraform.backend = {
      s3: {
        bucket: "flystack-state",
        key: "acme/test/one.tfstate",
        region: "us-east-1",
        use_lockfile: true,
        endpoints: { s3: url },
        use_path_style: true,
        skip_credentials_validation: true,
        skip_region_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
        skip_s3_checksum: true,
      },
    };
    fs.writeFileSync(file, JSON.stringify(json, null, 2));
    const options = { env: { AWS_ACCESS_KEY_ID: "AKIAFAKE", AWS_SECRET_ACCESS_KEY: "fake", AWS_EC2_METADATA_DISABLED: "true", TERRAFORM_BINARY_NAME: "terraform" } };
    expect((await flystack(project.dir, ["plan", "--skip-synth"], options)).code).toBe(0);

    const interruption = new Interruption();
    const applying = flystack(project.dir, ["apply", "--plans", "plans"], { ...options, runner: new SpawnRunner({ interruption }) });
    await waitFor(slow.marker("one"));
    // The lock is held while the apply runs: Terraform's conditional PUT made it.
    expect(s3.keys("flystack-state")).toContain("acme/test/one.tfstate.tflock");
    interruption.interrupt("SIGTERM");
    const applied = await applying;

    expect(applied.code).toBe(143);
    expect(applied.stderr).toMatch(/interrupted by SIGTERM: forwarded SIGTERM once to terraform apply, which stopped gracefully/);
    expect(s3.requests.some((r) => r.method === "PUT" && r.key.endsWith(".tflock") && r.ifNoneMatch === "*")).toBe(true);
    expect(s3.keys("flystack-state")).toEqual(["acme/test/one.tfstate"]);
    expect(stateResources(s3.get("flystack-state", "acme/test/one.tfstate")!)).toEqual(["a", "b", "slow (tainted)"]);

    const started = Date.now();
    const again = await flystack(project.dir, ["plan", "--skip-synth", "--out", "plans2"], options);
    expect(again.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(s3.keys("flystack-state")).toEqual(["acme/test/one.tfstate"]);
  }, 120_000);
});

withTerraform("a terminal Ctrl-C (SIGINT to flystack's whole process group) against bin/flystack.js", () => {
  let project: TestProject;
  afterEach(() => project.cleanup());

  test("Terraform gets the signal once (from flystack), stops gracefully, and flystack exits 130", async () => {
    const slow = slowProject([{ name: "one" }]);
    project = slow.project;
    expect((await flystack(project.dir, ["plan", "--skip-synth"])).code).toBe(0);
    // flystack as a terminal would run it: the leader of its own (foreground) process group.
    const child = spawn(process.execPath, [path.join(projectRoot, "bin", "flystack.js"), "apply", "--plans", "plans"], {
      cwd: project.dir,
      env: { ...env, TERRAFORM_BINARY_NAME: "terraform" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let err = "";
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.stdout.resume();
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    await waitFor(slow.marker("one"));
    process.kill(-child.pid!, "SIGINT"); // what the terminal does on Ctrl-C
    expect(await exited).toBe(130);
    expect(err).toContain("flystack: SIGINT received: forwarded");
    // Two interrupts would make Terraform exit at once, without saving the state below.
    expect(err).not.toMatch(/Two interrupts received/);
    expect(err).toMatch(/flystack apply: interrupted by SIGINT: forwarded SIGINT once to terraform apply, which stopped gracefully/);
    expect(stateResources(fs.readFileSync(project.statePath("one"), "utf8"))).toEqual(["a", "b", "slow (tainted)"]);
    expect(lockInfoFiles(project.dir)).toEqual([]);
  }, 120_000);
});
