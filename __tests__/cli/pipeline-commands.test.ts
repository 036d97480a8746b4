/**
 * The commands the workflows build on: `flystack stacks` (the job matrix), `flystack setup` (the
 * GitHub environments and secrets to create) and `flystack with-secrets` (a stack's TF_VAR_* secrets
 * from $SECRETS_JSON), on stacks these tests own.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ProcessRunner, RunOptions } from "../../src/process/runner";
import { pickSecrets } from "../../cli/commands/with-secrets";
import type { StackBatch } from "../../cli/batches";
import { describeEachBinary, flystack, projectCopy, realBinaries, type TestStack, TestProject } from "./harness";

/** Three environments, one protected, declared out of deploy order, with secrets of their own. */
const FIXTURE: readonly TestStack[] = [
  { name: "eu-live", data: { a: "1" }, flystack: { environment: "eu-live", protected: true }, variables: ["web_TOKEN", "db_PASSWORD"] },
  { name: "preview", data: { a: "1" }, flystack: { environment: "preview", protected: false }, variables: ["web_TOKEN"] },
  { name: "qa", data: { a: "1" }, flystack: { environment: "qa", protected: false } },
];


describe("flystack stacks", () => {
  let project: TestProject;
  afterEach(() => project.cleanup());
  const batchesOf = (stdout: string) => JSON.parse(stdout) as StackBatch[];
  const stacksOf = (stdout: string) => batchesOf(stdout).flatMap((b) => b.stacks);

  test("--json: one line, the batches in deploy order (unprotected first); the table names each stack's TF_VAR_* secrets and batch", async () => {
    project = new TestProject(FIXTURE);
    const result = await flystack(project.dir, ["stacks", "--json", "--skip-synth"]);
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split("\n")).toHaveLength(1); // fit for $GITHUB_OUTPUT
    expect(batchesOf(result.stdout)).toEqual([
      { batch: "preview-1", environment: "preview", protected: false, stacks: ["preview"] },
      { batch: "qa-1", environment: "qa", protected: false, stacks: ["qa"] },
      { batch: "eu-live-1", environment: "eu-live", protected: true, stacks: ["eu-live"] },
    ]);
    const table = await flystack(project.dir, ["stacks", "--skip-synth"]);
    expect(table.stdout).toMatch(/^preview\s+preview\s+no\s+preview-1\s+TF_VAR_web_TOKEN$/m);
    expect(table.stdout).toMatch(/^eu-live\s+eu-live\s+yes\s+eu-live-1\s+TF_VAR_db_PASSWORD, TF_VAR_web_TOKEN$/m);
  });

  test("a stack never comes before one it depends on, even an unprotected one after a protected one", async () => {
    project = new TestProject([
      { name: "b-prod", data: {}, flystack: { environment: "b-prod", protected: true } },
      { name: "a-canary", data: {}, flystack: { environment: "a-canary", protected: false }, dependencies: ["b-prod"] },
      { name: "c-dev", data: {}, flystack: { environment: "c-dev", protected: false } },
    ]);
    const result = await flystack(project.dir, ["stacks", "--json", "--skip-synth"]);
    expect(result.code).toBe(0);
    expect(stacksOf(result.stdout)).toEqual(["c-dev", "b-prod", "a-canary"]);
  });

  test("a variable with a default is no secret; a stack without flystack metadata is its own unprotected environment (with a note)", async () => {
    project = new TestProject([{ name: "plain", data: {}, variables: ["x_SECRET"] }]);
    const file = path.join(project.dir, "cdktf.out", "stacks", "plain", "cdk.tf.json");
    const json = JSON.parse(fs.readFileSync(file, "utf8")) as { variable: Record<string, object> };
    json.variable.region = { type: "string", default: "iad" };
    fs.writeFileSync(file, JSON.stringify(json));
    const result = await flystack(project.dir, ["stacks", "--json", "--skip-synth"]);
    expect(batchesOf(result.stdout)).toEqual([{ batch: "plain-1", environment: "plain", protected: false, stacks: ["plain"] }]);
    expect(result.stderr).toContain('stack plain has no flystack metadata; treated as environment "plain", unprotected');
    const table = await flystack(project.dir, ["stacks", "--skip-synth"]);
    expect(table.stdout).toMatch(/^plain\s+plain\s+no\s+plain-1\s+TF_VAR_x_SECRET$/m);
  });

  test("STACK globs select; one matching nothing fails naming the stacks; the default output is a table", async () => {
    project = new TestProject(FIXTURE);
    const one = await flystack(project.dir, ["stacks", "eu-*", "--json", "--skip-synth"]);
    expect(stacksOf(one.stdout)).toEqual(["eu-live"]);
    const none = await flystack(project.dir, ["stacks", "nope", "--skip-synth"]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no stack matches "nope"; stacks: eu-live, preview, qa');
    const table = await flystack(project.dir, ["stacks", "--skip-synth"]);
    expect(table.code).toBe(0);
    expect(table.stdout.split("\n")[0]).toMatch(/^stack\s+environment\s+protected\s+batch\s+secrets$/);
    expect(table.stdout).toMatch(/^qa\s+qa\s+no\s+qa-1\s+\(none\)$/m);
  });

  test("without cdktf.out and --skip-synth: says to synthesize, exit 1", async () => {
    project = new TestProject([]);
    fs.rmSync(path.join(project.dir, "cdktf.out"), { recursive: true });
    const result = await flystack(project.dir, ["stacks", "--json", "--skip-synth"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("synthesize first");
  });

  test("synthesizes first without --skip-synth: every environment file's stacks, in batches of one environment each", async () => {
    const dir = projectCopy();
    project = new TestProject([]); // for afterEach
    try {
      const result = await flystack(dir, ["stacks", "--json"]);
      expect(result.code).toBe(0);
      expect(result.stderr).toContain("synthesizing every environment");
      const batches = batchesOf(result.stdout);
      const environments = fs.readdirSync(path.join(dir, "environments")).filter((f) => f.endsWith(".ts") && !f.startsWith("_"));
      expect(new Set(batches.map((b) => b.environment)).size).toBe(environments.length);
      for (const b of batches) {
        expect(b).toEqual({ batch: expect.stringMatching(/^[\w-]+-\d+$/), environment: expect.any(String), protected: expect.any(Boolean), stacks: expect.any(Array) });
        expect(b.stacks.length).toBeGreaterThan(0);
      }
      // deploy order
      const firstProtected = batches.findIndex((b) => b.protected);
      if (firstProtected !== -1) expect(batches.slice(firstProtected).every((b) => b.protected)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("flystack setup", () => {
  let project: TestProject;
  afterEach(() => project.cleanup());

  test("--json: per environment a -plan environment with the credentials only, and an apply one (reviewers where protected) with the plan key and its stacks' secrets", async () => {
    project = new TestProject(FIXTURE);
    const result = await flystack(project.dir, ["setup", "--json", "--skip-synth"]);
    expect(result.code).toBe(0);
    const credentials = ["FLY_API_TOKEN", "CLOUDFLARE_API_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"];
    const { environments } = JSON.parse(result.stdout) as { environments: Record<string, unknown>[] };
    expect(environments).toEqual([
      { name: "preview-plan", purpose: "plan", environment: "preview", stacks: ["preview"], requiredReviewers: false, deploymentBranches: null, secrets: credentials },
      { name: "preview", purpose: "apply", environment: "preview", stacks: ["preview"], requiredReviewers: false, deploymentBranches: ["main"], secrets: [...credentials, "FLYSTACK_PLAN_PRIVATE_KEY", "TF_VAR_web_TOKEN"] },
      { name: "qa-plan", purpose: "plan", environment: "qa", stacks: ["qa"], requiredReviewers: false, deploymentBranches: null, secrets: credentials },
      { name: "qa", purpose: "apply", environment: "qa", stacks: ["qa"], requiredReviewers: false, deploymentBranches: ["main"], secrets: [...credentials, "FLYSTACK_PLAN_PRIVATE_KEY"] },
      { name: "eu-live-plan", purpose: "plan", environment: "eu-live", stacks: ["eu-live"], requiredReviewers: false, deploymentBranches: null, secrets: credentials },
      { name: "eu-live", purpose: "apply", environment: "eu-live", stacks: ["eu-live"], requiredReviewers: true, deploymentBranches: ["main"], secrets: [...credentials, "FLYSTACK_PLAN_PRIVATE_KEY", "TF_VAR_db_PASSWORD", "TF_VAR_web_TOKEN"] },
      // One for every stack: signs the sealed plans; branch main only; the signing key and no credential.
      { name: "plan-signing", purpose: "sign", environment: "*", stacks: ["preview", "qa", "eu-live"], requiredReviewers: false, deploymentBranches: ["main"], secrets: ["FLYSTACK_PLAN_SIGNING_KEY"] },
    ]);
  });

  test("stacks of one environment share its GitHub environments and the union of their secrets", async () => {
    project = new TestProject([
      { name: "live-eu", data: {}, flystack: { environment: "live", protected: true }, variables: ["a_X"] },
      { name: "live-us", data: {}, flystack: { environment: "live", protected: true }, variables: ["b_Y"] },
    ]);
    const { environments } = JSON.parse((await flystack(project.dir, ["setup", "--json", "--skip-synth"])).stdout) as { environments: { name: string; stacks: string[]; secrets: string[] }[] };
    expect(environments.map((e) => [e.name, e.stacks, e.secrets.filter((s) => s.startsWith("TF_VAR_"))])).toEqual([
      ["live-plan", ["live-eu", "live-us"], []],
      ["live", ["live-eu", "live-us"], ["TF_VAR_a_X", "TF_VAR_b_Y"]],
      ["plan-signing", ["live-eu", "live-us"], []],
    ]);
  });

  test("the default output is for people: each environment, its protection and its secrets", async () => {
    project = new TestProject(FIXTURE);
    const result = await flystack(project.dir, ["setup", "--skip-synth"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Create these 7 GitHub environments (Settings → Environments)");
    const block = (name: string) => result.stdout.split("\n\n").find((b) => b.startsWith(`${name}\n`)) ?? "";
    expect(block("eu-live")).toMatch(/protection: +required reviewers; deployment branches: main/);
    expect(block("eu-live")).toMatch(/app secrets: +TF_VAR_db_PASSWORD, TF_VAR_web_TOKEN/);
    expect(block("eu-live")).toMatch(/credentials: +FLY_API_TOKEN, CLOUDFLARE_API_TOKEN, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY/);
    expect(block("preview")).toMatch(/protection: +deployment branches: main/);
    expect(block("preview")).not.toContain("required reviewers");
    expect(block("preview-plan")).toMatch(/protection: +none; every branch/);
    expect(block("qa")).toMatch(/app secrets: +\(none\)/);
    expect(block("eu-live-plan")).toMatch(/app secrets: +none: plans need no app secret/);
    expect(block("eu-live")).toMatch(/plan key: +FLYSTACK_PLAN_PRIVATE_KEY/);
    expect(block("plan-signing")).toMatch(/protection: +deployment branches: main \(so pull requests can never sign\)/);
    expect(block("plan-signing")).toMatch(/signing key: +FLYSTACK_PLAN_SIGNING_KEY \(Ed25519 private key; its public half is \.github\/plan-keys\/signing\.pub\.pem\)/);
  });
});

describe("flystack with-secrets", () => {
  let project: TestProject;
  afterEach(() => project.cleanup());
  /** A saved plan file for `stack`, so apply gets as far as running processes (which the recorder fails). */
  const savedPlan = (stack: string) => {
    fs.mkdirSync(path.join(project.dir, "plans"), { recursive: true });
    fs.writeFileSync(path.join(project.dir, "plans", `${stack}.tfplan`), "");
  };

  /** Records the environment of every process the inner command starts, and fails it (nothing runs). */
  const recorder = () => {
    const envs: RunOptions["env"][] = [];
    const runner: ProcessRunner = { run: async (_command, _args, options) => (envs.push(options.env), { code: 1, stdout: "", stderr: "recorded" }) };
    return { envs, runner };
  };
  const SECRETS = JSON.stringify({ TF_VAR_web_TOKEN: "t0k3n", TF_VAR_db_PASSWORD: "pw", TF_VAR_other_KEY: "not-declared", github_token: "ghs_x", FLY_API_TOKEN: "fly" });

  test("passes exactly the TF_VAR_* the stack declares, in-process; drops $SECRETS_JSON; prints names, never values", async () => {
    project = new TestProject(FIXTURE);
    const { envs, runner } = recorder();
    savedPlan("preview");
    const result = await flystack(project.dir, ["with-secrets", "preview", "--", "apply", "--plans", "plans", "preview"], {
      runner,
      env: { SECRETS_JSON: SECRETS, TF_VAR_db_PASSWORD: undefined, TF_VAR_other_KEY: undefined, TF_VAR_web_TOKEN: undefined },
    });
    expect(result.code).toBe(1); // the recorder fails every process
    expect(envs.length).toBeGreaterThan(0);
    for (const env of envs) {
      expect(env.TF_VAR_web_TOKEN).toBe("t0k3n");
      expect(env).not.toHaveProperty("SECRETS_JSON");
      expect(env.TF_VAR_db_PASSWORD).toBeUndefined(); // declared by another stack only
      expect(env.TF_VAR_other_KEY).toBeUndefined();
      expect(env).not.toHaveProperty("github_token");
    }
    expect(result.stderr).toContain("with-secrets: passing 1 of 1 declared secrets to flystack apply");
    for (const value of ["t0k3n", "pw", "not-declared", "ghs_x"]) expect(result.stdout + result.stderr).not.toContain(value);
  });

  test("a declared secret missing or empty in $SECRETS_JSON is named and left unset", async () => {
    project = new TestProject(FIXTURE);
    const { envs, runner } = recorder();
    savedPlan("eu-live");
    const result = await flystack(project.dir, ["with-secrets", "eu-live", "--", "apply", "--plans", "plans", "eu-live"], {
      runner,
      env: { SECRETS_JSON: JSON.stringify({ TF_VAR_web_TOKEN: "" }), TF_VAR_db_PASSWORD: undefined, TF_VAR_web_TOKEN: undefined },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("with-secrets: not in $SECRETS_JSON or empty: TF_VAR_db_PASSWORD, TF_VAR_web_TOKEN");
    for (const env of envs) expect([env.TF_VAR_db_PASSWORD, env.TF_VAR_web_TOKEN]).toEqual([undefined, undefined]);
  });

  test("usage errors: no \"--\", no stack, a command other than apply (plan and drift need no secret), $SECRETS_JSON unset or not an object", async () => {
    project = new TestProject(FIXTURE);
    const run = (args: string[], secrets: string | undefined) => flystack(project.dir, ["with-secrets", ...args], { env: { SECRETS_JSON: secrets } });
    const cases: [string[], string | undefined, string][] = [
      [["preview", "apply"], SECRETS, 'put the command after "--"'],
      [["--", "apply"], SECRETS, "name the stacks whose secrets to pass"],
      [["preview", "--", "stacks"], SECRETS, 'must be one of apply; got "stacks"'],
      [["preview", "--", "plan"], SECRETS, 'must be one of apply; got "plan"'],
      [["preview", "--", "drift"], SECRETS, 'must be one of apply; got "drift"'],
      [["preview", "--", "apply"], undefined, "$SECRETS_JSON is not set"],
      [["preview", "--", "apply"], "[1]", "$SECRETS_JSON is not a JSON object"],
      [["preview", "--", "apply"], "{not json: s3cret", "$SECRETS_JSON is not valid JSON"],
      [["nope", "--", "apply"], SECRETS, 'no stack matches "nope"'],
    ];
    for (const [args, secrets, message] of cases) {
      const result = await run(args, secrets);
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({ args, code: 1, stderr: expect.stringContaining(message) });
      expect(result.stderr).not.toContain("s3cret");
    }
  });

  test("never synthesizes: without cdktf.out it says so", async () => {
    project = new TestProject([]);
    fs.rmSync(path.join(project.dir, "cdktf.out"), { recursive: true });
    const result = await flystack(project.dir, ["with-secrets", "x", "--", "apply", "--plans", "plans"], { env: { SECRETS_JSON: "{}" } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("(with-secrets never synthesizes)");
    expect(result.stderr).not.toContain("synthesizing");
  });

  test("pickSecrets: only TF_VAR_* names asked for, only non-empty strings", () => {
    expect(pickSecrets(JSON.stringify({ TF_VAR_a: "1", TF_VAR_b: "", TF_VAR_c: 3, OTHER: "x" }), ["TF_VAR_a", "TF_VAR_b", "TF_VAR_c", "OTHER"])).toEqual({
      env: { TF_VAR_a: "1" },
      missing: ["TF_VAR_b", "TF_VAR_c", "OTHER"],
    });
  });
});

describeEachBinary(realBinaries(), "flystack with-secrets against real $name", ({ binary }) => {
  let project: TestProject;
  afterEach(() => project.cleanup());
  const run = (args: string[], secrets: Record<string, string>) =>
    flystack(project.dir, args, { env: { TERRAFORM_BINARY_NAME: binary, SECRETS_JSON: JSON.stringify(secrets), TF_VAR_web_TOKEN: undefined, TF_VAR_db_PASSWORD: undefined } });

  test("plan without any secret, apply of that plan with the secrets from $SECRETS_JSON, drift without any secret (its exit code kept)", async () => {
    project = new TestProject(FIXTURE.slice(0, 1));
    const secrets = { TF_VAR_web_TOKEN: "t", TF_VAR_db_PASSWORD: "p" };
    const planned = await run(["plan", "eu-live", "--skip-synth", "--out", "plans"], {});
    expect({ code: planned.code, stderr: planned.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    const applied = await run(["with-secrets", "eu-live", "--", "apply", "--plans", "plans", "eu-live"], secrets);
    expect({ code: applied.code, stderr: applied.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(fs.readFileSync(path.join(project.dir, "plans", "applied.md"), "utf8")).toContain("- **eu-live**: Plan: 1 to add");

    project.write([{ ...FIXTURE[0], data: { a: "changed" } }]);
    const drift = await run(["drift", "eu-live", "--skip-synth", "--json"], {});
    expect(drift.code).toBe(2);
    expect(JSON.parse(drift.stdout)).toMatchObject({ stacks: [{ stack: "eu-live", status: "drift" }] });

    const missing = await run(["with-secrets", "eu-live", "--", "apply", "--plans", "plans", "eu-live"], { TF_VAR_web_TOKEN: "t" });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("secret variables not set: TF_VAR_db_PASSWORD");
  });
});
