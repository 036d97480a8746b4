/**
 * The GitHub Actions workflows (.github/workflows): pinned actions, least privilege, secrets only
 * where used, the plan → review → apply-the-same-plan flow, drift issues, and a clean actionlint.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing } from "cdktf";
import { parse } from "yaml";
import { buildApp } from "../../main";

interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string | boolean;
  readonly with?: Readonly<Record<string, unknown>>;
  readonly env?: Readonly<Record<string, unknown>>;
  readonly "continue-on-error"?: unknown;
}

interface Job {
  readonly name?: string;
  readonly needs?: string | readonly string[];
  readonly if?: string;
  readonly environment?: string | { readonly name: string };
  readonly concurrency?: string | { readonly group: string; readonly "cancel-in-progress"?: unknown };
  readonly permissions?: string | Readonly<Record<string, string>>;
  readonly env?: Readonly<Record<string, unknown>>;
  readonly strategy?: { readonly matrix?: Readonly<Record<string, unknown>> };
  readonly outputs?: Readonly<Record<string, string>>;
  readonly steps: readonly Step[];
}

interface Workflow {
  readonly on: Readonly<Record<string, unknown>>;
  readonly permissions?: string | Readonly<Record<string, string>>;
  readonly env?: Readonly<Record<string, unknown>>;
  readonly concurrency?: unknown;
  readonly jobs: Readonly<Record<string, Job>>;
}

const root = path.join(__dirname, "..", "..");
const workflowsDir = path.join(root, ".github", "workflows");
const files = fs.readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f)).sort();
const raw: Record<string, string> = Object.fromEntries(files.map((f) => [f, fs.readFileSync(path.join(workflowsDir, f), "utf8")]));
const workflows: Record<string, Workflow> = Object.fromEntries(files.map((f) => [f, parse(raw[f]) as Workflow]));

const plan = () => workflows["plan.yml"];
const deploy = () => workflows["deploy.yml"];
const drift = () => workflows["drift.yml"];

const allJobs = () => files.flatMap((file) => Object.entries(workflows[file].jobs).map(([id, job]) => ({ file, id, job })));
const allSteps = () => allJobs().flatMap(({ file, id, job }) => job.steps.map((step) => ({ file, job: id, step })));
const environmentName = (job: Job) => (typeof job.environment === "object" ? job.environment.name : job.environment);
const needsOf = (job: Job) => (job.needs === undefined ? [] : typeof job.needs === "string" ? [job.needs] : [...job.needs]);
const usesAction = (step: Step, action: string) => step.uses?.split("@")[0] === action;
const stepIndex = (job: Job, predicate: (s: Step) => boolean) => job.steps.findIndex(predicate);
const runsFlystack = (step: Step, command?: string) => new RegExp(`npx flystack ${command ?? "(plan|apply|drift)"}\\b`).test(step.run ?? "");

/** The secret variables of every synthesized stack (`variable` in cdk.tf.json): TF_VAR_<name>. */
const secretVariables: readonly string[] = (() => {
  const built = buildApp({ environmentsDir: path.join(root, "environments") });
  const names = new Set<string>();
  for (const stack of built.stacks) {
    const json = JSON.parse(Testing.synth(stack)) as { variable?: Record<string, unknown> };
    for (const name of Object.keys(json.variable ?? {})) names.add(`TF_VAR_${name}`);
  }
  return [...names].sort();
})();
const CREDENTIALS = ["FLY_API_TOKEN", "CLOUDFLARE_API_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"];

test("the three workflows exist", () => {
  expect(files).toEqual(expect.arrayContaining(["deploy.yml", "drift.yml", "plan.yml"]));
});

describe("actions are pinned", () => {
  const usesLines = () =>
    files.flatMap((file) =>
      raw[file]
        .split("\n")
        .map((line, i) => ({ file, line: i + 1, text: line }))
        .filter(({ text }) => /^\s*(-\s+)?uses:/.test(text)),
    );

  test("every `uses:` is a full 40-hex commit SHA with its version in a trailing comment", () => {
    const lines = usesLines();
    expect(lines.length).toBe(allSteps().filter(({ step }) => step.uses).length);
    for (const { file, line, text } of lines) {
      const m = /^\s*(?:-\s+)?uses:\s*(\S+)(?:\s+#\s*(\S+))?\s*$/.exec(text);
      expect({ at: `${file}:${line}`, text, ok: m !== null }).toEqual({ at: `${file}:${line}`, text, ok: true });
      const [, ref, version] = m!;
      expect({ at: `${file}:${line}`, ref }).toEqual({ at: `${file}:${line}`, ref: expect.stringMatching(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/) });
      expect({ at: `${file}:${line}`, version }).toEqual({ at: `${file}:${line}`, version: expect.stringMatching(/^v?\d+(\.\d+)*$/) });
    }
  });

  test("each action is pinned to one commit and version across all workflows", () => {
    const pins = new Map<string, Set<string>>();
    for (const { text } of usesLines()) {
      const m = /uses:\s*(\S+?)@(\S+)(?:\s+#\s*(\S+))?/.exec(text)!;
      const set = pins.get(m[1]) ?? new Set<string>();
      set.add(`${m[2]} # ${m[3]}`);
      pins.set(m[1], set);
    }
    for (const [action, set] of pins) expect({ action, pins: [...set] }).toEqual({ action, pins: [expect.any(String)] });
  });
});

describe("least privilege", () => {
  /** Exactly what each job may ask for; a new job must be added here on purpose. */
  const ALLOWED: Record<string, Record<string, Record<string, string>>> = {
    "plan.yml": { plan: { contents: "read", "pull-requests": "write" } },
    "deploy.yml": {
      test: { contents: "read" },
      "plan-staging": { contents: "read" },
      "apply-staging": { contents: "read" },
      "plan-production": { contents: "read" },
      "apply-production": { contents: "read" },
    },
    "drift.yml": { drift: { contents: "read", issues: "write" } },
  };

  test.each(files)("%s: top-level permissions are {} or read-only", (file) => {
    const permissions = workflows[file].permissions;
    expect(permissions).toBeDefined();
    if (typeof permissions === "string") {
      expect(permissions).toBe("read-all");
    } else {
      for (const level of Object.values(permissions!)) expect(["read", "none"]).toContain(level);
    }
  });

  test.each(files)("%s: every job asks for exactly its listed permissions, never id-token", (file) => {
    expect(Object.keys(workflows[file].jobs).sort()).toEqual(Object.keys(ALLOWED[file] ?? {}).sort());
    for (const [id, job] of Object.entries(workflows[file].jobs)) {
      expect({ job: id, permissions: job.permissions }).toEqual({ job: id, permissions: ALLOWED[file][id] });
      expect(Object.keys(job.permissions as object)).not.toContain("id-token");
    }
  });
});

describe("secrets", () => {
  const secretRef = /\$\{\{\s*secrets\./;

  test.each(files)("%s: no secret in workflow-level or job-level env", (file) => {
    expect(JSON.stringify(workflows[file].env ?? {})).not.toMatch(secretRef);
    for (const job of Object.values(workflows[file].jobs)) expect(JSON.stringify(job.env ?? {})).not.toMatch(secretRef);
  });

  test("secrets appear only in the env of the steps that run flystack, never in run:, with: or if:", () => {
    for (const { file, job, step } of allSteps()) {
      const where = `${file} ${job} ${step.name ?? step.uses ?? step.run}`;
      expect({ where, run: step.run ?? "" }).toEqual({ where, run: expect.not.stringMatching(secretRef) });
      expect({ where, with: JSON.stringify(step.with ?? {}) }).toEqual({ where, with: expect.not.stringMatching(secretRef) });
      expect({ where, if: String(step.if ?? "") }).toEqual({ where, if: expect.not.stringMatching(secretRef) });
      if (!runsFlystack(step)) expect({ where, env: JSON.stringify(step.env ?? {}) }).toEqual({ where, env: expect.not.stringMatching(secretRef) });
    }
  });

  test("the synthesized stacks have secret variables (so the next test checks something)", () => {
    expect(secretVariables).toEqual(expect.arrayContaining(["TF_VAR_api_DATABASE_URL", "TF_VAR_db_OPERATOR_PASSWORD"]));
  });

  test("every flystack plan/apply/drift step gets the credentials and every stack's TF_VAR_* secret, each from secrets.<same name>", () => {
    const steps = allSteps().filter(({ step }) => runsFlystack(step));
    expect(steps.length).toBe(6); // plan.yml 1, deploy.yml 4, drift.yml 1
    for (const { file, job, step } of steps) {
      for (const name of [...CREDENTIALS, ...secretVariables]) {
        expect({ at: `${file} ${job}`, name, value: step.env?.[name] }).toEqual({ at: `${file} ${job}`, name, value: `\${{ secrets.${name} }}` });
      }
    }
  });

  test("no untrusted github.event value is interpolated into a run: script", () => {
    for (const { file, job, step } of allSteps()) {
      expect({ at: `${file} ${job}`, run: step.run ?? "" }).toEqual({ at: `${file} ${job}`, run: expect.not.stringMatching(/\$\{\{[^}]*github\.(event|head_ref)/) });
    }
  });
});

describe("Terraform", () => {
  const setups = () => allSteps().filter(({ step }) => usesAction(step, "hashicorp/setup-terraform"));

  test("every setup-terraform has terraform_wrapper: false and one pinned version >= 1.11", () => {
    expect(setups().length).toBeGreaterThan(0);
    const versions = new Set<string>();
    for (const { step } of setups()) {
      expect(step.with?.terraform_wrapper).toBe(false);
      const version = String(step.with?.terraform_version);
      expect(version).toMatch(/^\d+\.\d+\.\d+$/);
      const [major, minor] = version.split(".").map(Number);
      expect(major > 1 || (major === 1 && minor >= 11)).toBe(true);
      versions.add(version);
    }
    expect(versions.size).toBe(1);
  });

  test("every job that runs flystack sets up Node 20 and Terraform first, then installs with npm ci", () => {
    for (const { file, id, job } of allJobs()) {
      const cli = stepIndex(job, (s) => runsFlystack(s));
      if (cli === -1) continue;
      const at = `${file} ${id}`;
      const node = stepIndex(job, (s) => usesAction(s, "actions/setup-node"));
      expect({ at, node: job.steps[node]?.with?.["node-version"] }).toEqual({ at, node: 20 });
      expect({ at, order: stepIndex(job, (s) => usesAction(s, "hashicorp/setup-terraform")) < cli }).toEqual({ at, order: true });
      expect({ at, order: -1 < stepIndex(job, (s) => /^npm ci\b/.test(s.run ?? "")) }).toEqual({ at, order: true });
    }
  });
});

describe("plan.yml", () => {
  const job = () => plan().jobs.plan;
  const planStep = () => job().steps.find((s) => runsFlystack(s, "plan"))!;
  const commentStep = () => job().steps.find((s) => usesAction(s, "actions/github-script"))!;

  test("runs on pull requests, one matrix job per environment", () => {
    expect(Object.keys(plan().on)).toEqual(["pull_request"]);
    expect(job().strategy?.matrix?.environment).toEqual(["staging", "production"]);
  });

  test("checkout, setup-node (npm cache), Terraform, npm ci, npm test, then the plan", () => {
    const steps = job().steps;
    const order = [
      stepIndex(job(), (s) => usesAction(s, "actions/checkout")),
      stepIndex(job(), (s) => usesAction(s, "actions/setup-node") && s.with?.cache === "npm"),
      stepIndex(job(), (s) => usesAction(s, "hashicorp/setup-terraform")),
      stepIndex(job(), (s) => /^npm ci\b/.test(s.run ?? "")),
      stepIndex(job(), (s) => /^npm test\b/.test(s.run ?? "")),
      steps.indexOf(planStep()),
    ];
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  test("plans its environment with its own marker, with the cost change against the base branch", () => {
    expect(planStep().run).toBe('npx flystack plan "$ENVIRONMENT" --out plans --marker "$ENVIRONMENT" --cost-base "origin/$BASE_REF"');
    expect(planStep().env?.ENVIRONMENT).toBe("${{ matrix.environment }}");
    // The base ref comes in through env, never interpolated into the script.
    expect(planStep().env?.BASE_REF).toBe("${{ github.base_ref }}");
    expect(planStep()["continue-on-error"]).toBeUndefined();
  });

  test("uploads plans/ and cdktf.out/ (with the hidden provider lock file) per environment, even after a failure", () => {
    const upload = job().steps.find((s) => usesAction(s, "actions/upload-artifact"))!;
    expect(upload.if).toBe("always()");
    expect(upload.with?.name).toBe("plan-${{ matrix.environment }}");
    expect(String(upload.with?.path).split("\n")).toEqual(expect.arrayContaining(["plans/", "cdktf.out/"]));
    expect(upload.with?.["include-hidden-files"]).toBe(true);
  });

  test("ONE comment per environment: found by the hidden marker and updated in place, else created", () => {
    const step = commentStep();
    expect(step.if).toBe("always()");
    expect(job().steps.indexOf(step)).toBeGreaterThan(job().steps.indexOf(planStep()));
    expect(step.env?.ENVIRONMENT).toBe("${{ matrix.environment }}");
    const script = String(step.with?.script);
    expect(script).toContain("<!-- flystack-plan:${environment} -->");
    expect(script).toContain('readFileSync("plans/summary.md"');
    expect(script).toMatch(/github\.paginate\(github\.rest\.issues\.listComments/);
    expect(script).toMatch(/\.includes\(marker\)/);
    expect(script).toMatch(/github\.rest\.issues\.updateComment\(/);
    expect(script).toMatch(/github\.rest\.issues\.createComment\(/);
    // create only when nothing was found
    expect(script.indexOf("updateComment")).toBeLessThan(script.indexOf("createComment"));
    expect(script).toContain("65536");
  });

  test("a job for each environment's plan credentials; never the environments that apply", () => {
    expect(environmentName(job())).toBe("${{ matrix.environment }}-plan");
  });
});

describe("deploy.yml", () => {
  const jobs = () => deploy().jobs;
  const FORBIDDEN_IN_APPLY = [/flystack\s+plan/, /\bsynth\b/, /main\.ts/, /cdktf\s+(deploy|diff|synth)/, /--skip-synth/];

  test("runs on push to main only", () => {
    expect(deploy().on).toEqual({ push: { branches: ["main"] } });
  });

  test.each(["staging", "production"])("%s: planned by its plan job, which uploads plans/ and cdktf.out/", (env) => {
    const planJob = jobs()[`plan-${env}`];
    expect(planJob.steps.filter((s) => runsFlystack(s)).map((s) => s.run)).toEqual([`npx flystack plan ${env} --out plans --marker ${env}`]);
    const upload = planJob.steps.find((s) => usesAction(s, "actions/upload-artifact"))!;
    expect(upload.with?.name).toBe(`plan-${env}`);
    expect(String(upload.with?.path).split("\n")).toEqual(expect.arrayContaining(["plans/", "cdktf.out/"]));
    expect(upload.with?.["include-hidden-files"]).toBe(true);
    expect(environmentName(planJob)).toBe(`${env}-plan`);
  });

  test.each(["staging", "production"])("%s: the apply job applies exactly the plan job's artifact and never plans or synthesizes", (env) => {
    const apply = jobs()[`apply-${env}`];
    expect(environmentName(apply)).toBe(env);
    expect(needsOf(apply)).toContain(`plan-${env}`);
    const download = stepIndex(apply, (s) => usesAction(s, "actions/download-artifact"));
    expect(download).toBeGreaterThan(-1);
    expect(apply.steps[download].with?.name).toBe(jobs()[`plan-${env}`].steps.find((s) => usesAction(s, "actions/upload-artifact"))!.with?.name);
    const applySteps = apply.steps.filter((s) => runsFlystack(s));
    expect(applySteps).toHaveLength(1);
    expect(applySteps[0].run?.trim()).toBe(`npx flystack apply --plans plans ${env}`);
    expect(apply.steps.indexOf(applySteps[0])).toBeGreaterThan(download);
    for (const step of apply.steps) for (const re of FORBIDDEN_IN_APPLY) expect(step.run ?? "").not.toMatch(re);
    // flyctl for the release hooks, installed with Fly's action before the apply
    const flyctl = stepIndex(apply, (s) => usesAction(s, "superfly/flyctl-actions/setup-flyctl"));
    expect(flyctl).toBeGreaterThan(-1);
    expect(flyctl).toBeLessThan(apply.steps.indexOf(applySteps[0]));
  });

  test("production is applied by a job in the `production` environment (required reviewers) after staging", () => {
    const apply = jobs()["apply-production"];
    expect(apply.environment).toBe("production");
    expect(needsOf(apply)).toEqual(expect.arrayContaining(["plan-production", "apply-staging"]));
    expect(apply.if).toContain("needs.plan-production.result == 'success'");
    expect(apply.if).toContain("needs.apply-staging.result == 'success' || needs.apply-staging.result == 'skipped'");
    // only the apply job may use the environment with the reviewers
    for (const [id, job] of Object.entries(jobs())) if (id !== "apply-production") expect(environmentName(job)).not.toBe("production");
  });

  test.each([
    ["plan-staging", "deploy-staging"],
    ["apply-staging", "deploy-staging"],
    ["plan-production", "deploy-production"],
    ["apply-production", "deploy-production"],
  ])("%s: concurrency group %s, never cancelling in progress", (id, group) => {
    expect(jobs()[id].concurrency).toEqual({ group, "cancel-in-progress": false });
  });

  test("no workflow-level concurrency (it would serialize staging behind a production approval)", () => {
    expect(deploy().concurrency).toBeUndefined();
  });

  test.each(["staging", "production"])("apply-%s: the job summary shows plans/applied.md and the plan summary, even after a failure", (env) => {
    const summary = jobs()[`apply-${env}`].steps.find((s) => (s.run ?? "").includes("GITHUB_STEP_SUMMARY"))!;
    expect(summary.if).toBe("always()");
    expect(summary.run).toContain("plans/applied.md");
    expect(summary.run).toContain("plans/summary.md");
  });

  // The empty-secret refusal lives in flystack apply itself (__tests__/cli/apply-guards.test.ts).
  test.each(["staging", "production"])("apply-%s applies only its own reviewed plans", (env) => {
    const run = jobs()[`apply-${env}`].steps.find((s) => runsFlystack(s, "apply"))!.run!;
    expect(run.trim()).toBe(`npx flystack apply --plans plans ${env}`);
  });
});

describe("drift.yml", () => {
  const job = () => drift().jobs.drift;

  test("runs every 6 hours and on demand", () => {
    expect(drift().on.schedule).toEqual([{ cron: "0 */6 * * *" }]);
    expect(Object.keys(drift().on).sort()).toEqual(["schedule", "workflow_dispatch"]);
  });

  test("checks each environment, writing the Markdown report and the JSON", () => {
    expect(job().strategy?.matrix?.environment).toEqual(["staging", "production"]);
    const step = job().steps.find((s) => runsFlystack(s, "drift"))!;
    expect(step.id).toBe("drift");
    expect(step.run).toContain('npx flystack drift "$ENVIRONMENT" --report "drift-$ENVIRONMENT.md" --json > "drift-$ENVIRONMENT.json"');
    // 0 and 2 are results; anything else fails the job
    expect(step.run).toMatch(/\*\)[^\n]*exit 1/);
    expect(environmentName(job())).toBe("${{ matrix.environment }}-plan");
  });

  test("opens, updates or closes one issue per stack, only on a result (exit 0 or 2)", () => {
    const step = job().steps.find((s) => usesAction(s, "actions/github-script"))!;
    expect(step.if).toBe("steps.drift.outputs.exit-code == '0' || steps.drift.outputs.exit-code == '2'");
    const script = String(step.with?.script);
    expect(script).toContain('const LABEL = "drift"');
    expect(script).toContain("Drift detected: ${result.stack}");
    expect(script).toContain("<!-- flystack-drift:${result.stack} -->");
    expect(script).toMatch(/github\.rest\.issues\.listForRepo, \{[^}]*state: "open", labels: LABEL/);
    expect(script).toMatch(/github\.rest\.issues\.create\(\{[^}]*labels: \[LABEL\]/);
    expect(script).toMatch(/github\.rest\.issues\.update\(\{[^}]*state: "closed"/);
    expect(script).toContain('result.status === "drift"');
    expect(script).toContain('result.status === "clean"');
  });
});

describe("scripts/lint-workflows.sh (actionlint)", () => {
  const lint = (args: readonly string[]) =>
    spawnSync("bash", [path.join(root, "scripts", "lint-workflows.sh"), ...args], { cwd: root, encoding: "utf8", timeout: 60_000 });

  test("the workflows lint clean", () => {
    const result = lint([]);
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({ status: 0, stdout: "", stderr: "" });
  });

  test("a broken workflow fails with file:line:col: message [rule] findings", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-lint-"));
    try {
      const file = path.join(dir, "broken.yml");
      fs.writeFileSync(
        file,
        [
          "on: pull_request",
          "jobs:",
          "  a:",
          "    runs-on: ubuntu-latest",
          "    needs: nowhere",
          "    steps:",
          '      - run: echo "${{ github.event.pull_request.title }}"',
          "",
        ].join("\n"),
      );
      const result = lint([file]);
      expect(result.status).toBe(1);
      expect(result.stdout).toMatch(/broken\.yml:\d+:\d+: .*"nowhere".* \[job-needs\]/);
      expect(result.stdout).toMatch(/broken\.yml:7:\d+: .*potentially untrusted.* \[expression\]/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * The actions/github-script steps run here against a fake GitHub: github-script calls the script as
 * the body of an async function of (require, github, context, core, …); `process` is passed too,
 * so the test sets the step's env and the working directory's files without touching its own.
 */
describe("github-script steps, run against a fake GitHub", () => {
  type Call = { readonly method: string; readonly params: Record<string, unknown> };
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<unknown>;

  function scriptOf(workflow: Workflow, jobId: string): string {
    return String(workflow.jobs[jobId].steps.find((s) => usesAction(s, "actions/github-script"))!.with?.script);
  }

  function fakeGitHub(data: { comments?: unknown[]; issues?: unknown[]; label?: boolean }) {
    const calls: Call[] = [];
    const record = (method: string, result: unknown = {}) => async (params: Record<string, unknown>) => {
      calls.push({ method, params });
      return { data: result };
    };
    const github = {
      paginate: async (fn: { method: string }) => (fn.method === "listComments" ? data.comments ?? [] : data.issues ?? []),
      rest: {
        issues: {
          listComments: { method: "listComments" },
          listForRepo: { method: "listForRepo" },
          updateComment: record("updateComment"),
          createComment: record("createComment", { html_url: "https://example.test/c/1" }),
          create: record("create", { html_url: "https://example.test/i/1" }),
          update: record("update"),
          createLabel: record("createLabel"),
          getLabel: async (params: Record<string, unknown>) => {
            calls.push({ method: "getLabel", params });
            if (!data.label) throw Object.assign(new Error("Not Found"), { status: 404 });
            return { data: {} };
          },
        },
      },
    };
    return { github, calls };
  }

  async function runScript(script: string, env: Record<string, string>, dir: string, github: unknown, payload: unknown = {}) {
    const fsInDir = { ...fs, readFileSync: (p: string, enc: BufferEncoding) => fs.readFileSync(path.resolve(dir, p), enc) };
    const requireShim = (id: string) => (id === "node:fs" || id === "fs" ? fsInDir : require(id));
    const context = { repo: { owner: "acme", repo: "infra" }, serverUrl: "https://github.com", runId: 42, payload };
    const core = { info: () => undefined, warning: () => undefined };
    const fakeProcess = { env };
    await new AsyncFunction("require", "github", "context", "core", "process", script)(requireShim, github, context, core, fakeProcess);
  }

  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-gh-script-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe("plan.yml: the pull-request comment", () => {
    const script = () => scriptOf(plan(), "plan");
    const pr = { pull_request: { number: 7, head: { sha: "0123456789abcdef0123456789abcdef01234567" } } };
    const writeSummary = (text: string) => {
      fs.mkdirSync(path.join(dir, "plans"));
      fs.writeFileSync(path.join(dir, "plans", "summary.md"), text);
    };

    test("creates the comment when none carries the marker", async () => {
      writeSummary("<!-- flystack-plan:staging -->\n### staging: 1 to change\n");
      const { github, calls } = fakeGitHub({
        comments: [
          { id: 1, user: { login: "github-actions[bot]" }, body: "<!-- flystack-plan:production -->\nproduction" },
          { id: 2, user: { login: "someone" }, body: "<!-- flystack-plan:staging --> copied by a person" },
        ],
      });
      await runScript(script(), { ENVIRONMENT: "staging" }, dir, github, pr);
      expect(calls.map((c) => c.method)).toEqual(["createComment"]);
      const body = String(calls[0].params.body);
      expect(body.startsWith("<!-- flystack-plan:staging -->\n### staging: 1 to change")).toBe(true);
      expect(body).toContain("0123456");
      expect(calls[0].params.issue_number).toBe(7);
    });

    test("updates its own comment in place on the next push", async () => {
      writeSummary("<!-- flystack-plan:production -->\n### production: no changes\n");
      const { github, calls } = fakeGitHub({
        comments: [
          { id: 1, user: { login: "github-actions[bot]" }, body: "<!-- flystack-plan:staging -->\nstaging" },
          { id: 9, user: { login: "github-actions[bot]" }, body: "<!-- flystack-plan:production -->\nold plan" },
        ],
      });
      await runScript(script(), { ENVIRONMENT: "production" }, dir, github, pr);
      expect(calls.map((c) => [c.method, c.params.comment_id])).toEqual([["updateComment", 9]]);
      expect(String(calls[0].params.body)).toContain("production: no changes");
    });

    test("without a summary (an earlier step failed) says no plan was made, under the marker", async () => {
      const { github, calls } = fakeGitHub({ comments: [] });
      await runScript(script(), { ENVIRONMENT: "staging" }, dir, github, pr);
      expect(String(calls[0].params.body)).toMatch(/^<!-- flystack-plan:staging -->\n[\s\S]*No plan was made/);
    });

    test("never exceeds GitHub's 65,536-character limit", async () => {
      writeSummary(`<!-- flystack-plan:staging -->\n${"x".repeat(70_000)}\n`);
      const { github, calls } = fakeGitHub({ comments: [] });
      await runScript(script(), { ENVIRONMENT: "staging" }, dir, github, pr);
      expect(String(calls[0].params.body).length).toBeLessThanOrEqual(65_536);
    });
  });

  describe("drift.yml: the drift issues", () => {
    const script = () => scriptOf(drift(), "drift");
    const marker = "<!-- flystack-drift:production -->";
    const writeResult = (status: string, report = "## production\n\nfly_machine.api_web_iad_1: image changed") => {
      fs.writeFileSync(path.join(dir, "drift-production.json"), JSON.stringify({ stacks: [{ stack: "production", status, drift: [], pending: [] }] }));
      fs.writeFileSync(path.join(dir, "drift-production.md"), report);
    };
    const env = { ENVIRONMENT: "production" };

    test("drift without an open issue: creates the label and ONE issue", async () => {
      writeResult("drift");
      const { github, calls } = fakeGitHub({ issues: [{ number: 3, title: "Something else", body: "", pull_request: undefined }] });
      await runScript(script(), env, dir, github);
      expect(calls.map((c) => c.method)).toEqual(["getLabel", "createLabel", "create"]);
      const create = calls[2].params;
      expect(create.title).toBe("Drift detected: production");
      expect(create.labels).toEqual(["drift"]);
      expect(String(create.body)).toContain(marker);
      expect(String(create.body)).toContain("fly_machine.api_web_iad_1: image changed");
    });

    test("the same drift again: updates the open issue (found by its marker) without a new comment", async () => {
      writeResult("drift");
      const first = fakeGitHub({ label: true });
      await runScript(script(), env, dir, first.github);
      const body = String(first.calls.find((c) => c.method === "create")!.params.body);

      const { github, calls } = fakeGitHub({ label: true, issues: [{ number: 5, title: "renamed by someone", body, html_url: "u" }] });
      await runScript(script(), env, dir, github);
      expect(calls.map((c) => [c.method, c.params.issue_number])).toEqual([["getLabel", undefined], ["update", 5]]);
    });

    test("changed drift: updates the issue found by its title, and comments", async () => {
      writeResult("drift", "## production\n\nsomething new");
      const { github, calls } = fakeGitHub({ label: true, issues: [{ number: 5, title: "Drift detected: production", body: "older report", html_url: "u" }] });
      await runScript(script(), env, dir, github);
      expect(calls.map((c) => c.method)).toEqual(["getLabel", "update", "createComment"]);
    });

    test("clean again: comments and closes the open issue", async () => {
      writeResult("clean", "## production\n\nno drift");
      const { github, calls } = fakeGitHub({ label: true, issues: [{ number: 5, title: "Drift detected: production", body: `${marker}\nold`, html_url: "u" }] });
      await runScript(script(), env, dir, github);
      expect(calls.map((c) => c.method)).toEqual(["getLabel", "createComment", "update"]);
      expect(calls[2].params).toMatchObject({ issue_number: 5, state: "closed" });
    });

    test("clean without an issue, or an error: nothing is opened, changed or closed", async () => {
      for (const status of ["clean", "error"]) {
        writeResult(status);
        const { github, calls } = fakeGitHub({ label: true, issues: [{ number: 5, title: "Drift detected: staging", body: "", html_url: "u" }] });
        await runScript(script(), env, dir, github);
        expect(calls.map((c) => c.method)).toEqual(["getLabel"]);
      }
      writeResult("error");
      const { github, calls } = fakeGitHub({ label: true, issues: [{ number: 6, title: "Drift detected: production", body: marker, html_url: "u" }] });
      await runScript(script(), env, dir, github);
      expect(calls.map((c) => c.method)).toEqual(["getLabel"]);
    });
  });
});
