/**
 * The GitHub Actions workflows (.github/workflows): the pipeline follows the repository (no
 * environment or app-secret name in any workflow: every job runs over the matrix `flystack stacks
 * --json` emits), pinned actions, least privilege, secrets only on the steps that use them, the
 * plan → review → apply-the-same-plan flow in deploy order, drift issues, and a clean actionlint.
 * The checks are structural: they hold for whatever environments a team keeps in environments/.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing } from "cdktf";
import { parse } from "yaml";
import { buildApp } from "../../main";
import { projectCopy } from "../cli/harness";

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
  readonly strategy?: { readonly matrix?: Readonly<Record<string, unknown>>; readonly "fail-fast"?: unknown };
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
/**
 * How a step runs flystack: `bin/flystack` (the CLI npm ci compiled to dist/; never `npx flystack`, which
 * loads npm first), or `exec bin/flystack` where the step must hand the runner's cancellation signal
 * straight to flystack (no shell in between).
 */
const FLYSTACK = "(?:exec )?bin/flystack";
/** A step running flystack `<command>`, directly or as the command of `flystack with-secrets … --`. */
const runsFlystack = (step: Step, command?: string) =>
  new RegExp(`${FLYSTACK} (with-secrets "\\$STACK" -- )?${command ?? "(plan|apply|drift)"}\\b`).test(step.run ?? "");
const withSecrets = (step: Step) => new RegExp(`${FLYSTACK} with-secrets\\b`).test(step.run ?? "");
/** One line per step script (a folded `>-` scalar already is). */
const oneLine = (run: string | undefined) => (run ?? "").replace(/\s+/g, " ").trim();

const CREDENTIALS = ["FLY_API_TOKEN", "CLOUDFLARE_API_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"];
/** The private key that opens the sealed plan bundle: a secret of the environments that apply only. */
const PLAN_KEY = "FLYSTACK_PLAN_PRIVATE_KEY";
const UNSEAL_COMMAND = `bin/flystack unseal --plans plans --key env:${PLAN_KEY}`;
const unseals = (step: Step) => /bin\/flystack unseal\b/.test(step.run ?? "");
const SIGNING_KEY = "FLYSTACK_PLAN_SIGNING_KEY";
const SIGNING_ENVIRONMENT = "plan-signing";
const SIGN_COMMAND = `bin/flystack sign --plans plans --key env:${SIGNING_KEY}`;
const signs = (step: Step) => /bin\/flystack sign\b/.test(step.run ?? "");
const budgets = (step: Step) => /bin\/flystack budget\b/.test(step.run ?? "");
const ALL_SECRETS = "${{ toJSON(secrets) }}";
const MATRIX_ENVIRONMENT = "${{ matrix.environment }}";
const MATRIX_PLAN_ENVIRONMENT = "${{ matrix.environment }}-plan";
const STACKS_COMMAND = /^stacks=\$\(bin\/flystack stacks --json\)\necho "stacks=\$stacks" >> "\$GITHUB_OUTPUT"\n/;
/** plan.yml's matrix: the stacks whose synthesized JSON differs from the base branch's, and a summary of the others. */
const CHANGED_STACKS_COMMAND = /^stacks=\$\(bin\/flystack stacks --json --changed-since "origin\/\$BASE_REF" --summary-out plans\)\necho "stacks=\$stacks" >> "\$GITHUB_OUTPUT"\n/;
/** plan.yml's artifact of the stacks not planned: the one artifact name that is not per stack. */
const UNCHANGED_ARTIFACT = "flystack-unchanged";

/** What this repository synthesizes today: only to show the workflows name none of it. */
const synthesized = (() => {
  const built = buildApp({ environmentsDir: path.join(root, "environments") });
  const environments = built.environments.map((e) => e.name);
  const variables = new Set<string>();
  for (const stack of built.stacks) {
    const json = JSON.parse(Testing.synth(stack)) as { variable?: Record<string, unknown> };
    for (const name of Object.keys(json.variable ?? {})) variables.add(`TF_VAR_${name}`);
  }
  return { environments, variables: [...variables].sort() };
})();

test("the three workflows exist", () => {
  expect(files).toEqual(expect.arrayContaining(["deploy.yml", "drift.yml", "plan.yml"]));
});

describe("the pipeline follows the repository: no environment or app-secret name in any workflow", () => {
  test("no TF_VAR_<name> anywhere, not even in a comment", () => {
    for (const file of files) expect({ file, names: raw[file].match(/TF_VAR_[A-Za-z0-9]\w*/g) ?? [] }).toEqual({ file, names: [] });
  });

  test("no name of this repository's environments in any value (the check has names to look for)", () => {
    expect(synthesized.environments.length).toBeGreaterThan(0);
    expect(synthesized.variables.length).toBeGreaterThan(0);
    for (const file of files) {
      const values = JSON.stringify(workflows[file]); // parsed: comments left out
      for (const name of synthesized.environments) {
        expect({ file, name, found: new RegExp(`(^|[^\\w-])${name}([^\\w-]|$)`).test(values) }).toEqual({ file, name, found: false });
      }
    }
  });

  test("the only secrets named are the fixed credentials (and deploy's plan and signing keys); the apps' come as toJSON(secrets)", () => {
    for (const file of files) {
      const named = [...raw[file].matchAll(/secrets\.(\w+)/g)].map((m) => m[1]);
      const allowed = file === "deploy.yml" ? [...CREDENTIALS, PLAN_KEY, SIGNING_KEY] : CREDENTIALS;
      for (const name of named) expect({ file, name, credential: allowed.includes(name) }).toEqual({ file, name, credential: true });
    }
  });

  test("every job with a GitHub environment runs over a matrix from a job's output, and takes the environment from it", () => {
    const withEnvironment = allJobs().filter(({ job }) => job.environment !== undefined);
    expect(withEnvironment.length).toBeGreaterThan(0);
    for (const { file, id, job } of withEnvironment) {
      const at = `${file} ${id}`;
      // The one exception: deploy.yml's sign jobs, in the single signing environment of every stack.
      const expected = file === "deploy.yml" && id === "sign" ? SIGNING_ENVIRONMENT : expect.stringMatching(/^\$\{\{ matrix\.environment \}\}(-plan)?$/);
      expect({ at, environment: environmentName(job) }).toEqual({ at, environment: expected });
      expect({ at, matrix: job.strategy?.matrix }).toEqual({ at, matrix: { include: expect.stringMatching(/^\$\{\{ fromJSON\(needs\.[\w-]+\.outputs\.[\w-]+\) \}\}$/) } });
      const [, source] = /needs\.([\w-]+)\./.exec(String(job.strategy!.matrix!.include))!;
      expect({ at, needs: needsOf(job) }).toEqual({ at, needs: expect.arrayContaining([source]) });
      // An empty matrix is an error in GitHub Actions: the job is skipped instead.
      expect({ at, if: String(job.if) }).toEqual({ at, if: expect.stringMatching(/outputs\.[\w-]+ != '\[\]'/) });
      expect({ at, failFast: job.strategy?.["fail-fast"] }).toEqual({ at, failFast: false });
    }
  });

  test.each(["plan.yml", "deploy.yml", "drift.yml"])("%s: a `stacks` job without environment or secrets emits `flystack stacks --json` as its output", (file) => {
    const job = workflows[file].jobs.stacks;
    expect(job.environment).toBeUndefined();
    expect(job.outputs).toEqual({ stacks: "${{ steps.stacks.outputs.stacks }}" });
    const step = job.steps.find((s) => s.id === "stacks")!;
    expect(step.run).toMatch(file === "plan.yml" ? CHANGED_STACKS_COMMAND : STACKS_COMMAND);
    expect(JSON.stringify(job)).not.toMatch(/secrets/);
    expect(stepIndex(job, (s) => /^npm ci\b/.test(s.run ?? ""))).toBeLessThan(job.steps.indexOf(step));
    expect(stepIndex(job, (s) => /^npm ci\b/.test(s.run ?? ""))).toBeGreaterThan(-1);
  });

  test("every flystack command names its stack as \"$STACK\", set from the matrix, never a literal", () => {
    for (const { file, job, step } of allSteps()) {
      if (!new RegExp(`${FLYSTACK} (with-secrets|plan|apply|drift)\\b`).test(step.run ?? "")) continue;
      const at = `${file} ${job} ${step.name}`;
      expect({ at, stack: step.env?.STACK }).toEqual({ at, stack: "${{ matrix.stack }}" });
    }
  });

  test("artifact names and concurrency groups are per stack, from the matrix (but plan.yml's one flystack-unchanged, which no stack's can equal)", () => {
    for (const { file, job, step } of allSteps()) {
      if (!usesAction(step, "actions/upload-artifact")) continue;
      const at = `${file} ${job}`;
      if (file === "plan.yml" && job === "stacks") {
        expect({ at, name: step.with?.name }).toEqual({ at, name: UNCHANGED_ARTIFACT });
        continue;
      }
      // "<word>-<stack>", never "flystack-<stack>": a stack named "unchanged" cannot clash with flystack-unchanged.
      expect({ at, name: step.with?.name }).toEqual({ at, name: expect.stringMatching(/^(?!flystack-)[a-z]+-\$\{\{ matrix\.stack \}\}$/) });
    }
    for (const { file, id, job } of allJobs()) {
      if (job.concurrency === undefined) continue;
      const group = typeof job.concurrency === "string" ? job.concurrency : job.concurrency.group;
      expect({ at: `${file} ${id}`, group }).toEqual({ at: `${file} ${id}`, group: expect.stringMatching(/\$\{\{ matrix\.stack \}\}$/) });
    }
  });
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
    // Only the job that comments may write to the pull request; the plan jobs, which hold the credentials, may not.
    "plan.yml": { stacks: { contents: "read" }, plan: { contents: "read" }, comment: { contents: "read", "pull-requests": "write" } },
    "deploy.yml": {
      test: { contents: "read" },
      stacks: { contents: "read" },
      plan: { contents: "read" },
      changes: {},
      sign: { contents: "read" },
      "apply-unprotected": { contents: "read" },
      "apply-protected": { contents: "read" },
      "rollback-stacks": {},
      // Finding the last successful deployment reads the repository's deployments.
      rollback: { contents: "read", deployments: "read" },
    },
    "drift.yml": { stacks: { contents: "read" }, drift: { contents: "read", issues: "write" } },
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

  test("every checkout keeps its token out of the working tree", () => {
    for (const { file, job, step } of allSteps()) {
      if (usesAction(step, "actions/checkout")) expect({ at: `${file} ${job}`, persist: step.with?.["persist-credentials"] }).toEqual({ at: `${file} ${job}`, persist: false });
    }
  });
});

describe("secrets", () => {
  const secretRef = /\$\{\{[^}]*\bsecrets\b/;

  test.each(files)("%s: no secret in workflow-level or job-level env", (file) => {
    expect(JSON.stringify(workflows[file].env ?? {})).not.toMatch(secretRef);
    for (const job of Object.values(workflows[file].jobs)) expect(JSON.stringify(job.env ?? {})).not.toMatch(secretRef);
  });

  test("secrets appear only in the env of the steps that run flystack plan, drift or with-secrets (or unseal and sign, each its key alone; budget, the Fly token alone), never in run:, with: or if:", () => {
    for (const { file, job, step } of allSteps()) {
      const where = `${file} ${job} ${step.name ?? step.uses ?? step.run}`;
      expect({ where, run: step.run ?? "" }).toEqual({ where, run: expect.not.stringMatching(secretRef) });
      expect({ where, with: JSON.stringify(step.with ?? {}) }).toEqual({ where, with: expect.not.stringMatching(secretRef) });
      expect({ where, if: String(step.if ?? "") }).toEqual({ where, if: expect.not.stringMatching(secretRef) });
      if (unseals(step)) expect({ where, env: step.env }).toEqual({ where, env: { [PLAN_KEY]: `\${{ secrets.${PLAN_KEY} }}` } });
      else if (signs(step)) expect({ where, env: step.env }).toEqual({ where, env: { [SIGNING_KEY]: `\${{ secrets.${SIGNING_KEY} }}` } });
      // The error-budget check reads metrics: the Fly token alone.
      else if (budgets(step)) expect({ where, env: step.env }).toEqual({ where, env: { STACK: "${{ matrix.stack }}", FLY_API_TOKEN: "${{ secrets.FLY_API_TOKEN }}" } });
      else if (!withSecrets(step) && !runsFlystack(step, "(plan|drift)")) expect({ where, env: JSON.stringify(step.env ?? {}) }).toEqual({ where, env: expect.not.stringMatching(secretRef) });
      if (!unseals(step)) expect({ where, env: JSON.stringify(step.env ?? {}) }).toEqual({ where, env: expect.not.stringContaining(`secrets.${PLAN_KEY}`) });
      if (!signs(step)) expect({ where, env: JSON.stringify(step.env ?? {}) }).toEqual({ where, env: expect.not.stringContaining(`secrets.${SIGNING_KEY}`) });
    }
  });

  test("plan and drift steps get the credentials and no app secret; every apply runs through with-secrets with the credentials and SECRETS_JSON", () => {
    const steps = allSteps().filter(({ step }) => /bin\/flystack\s+(plan|apply|drift)\b|-- (plan|apply|drift)\b/.test(oneLine(step.run)));
    expect(steps.map(({ file, job }) => `${file} ${job}`).sort()).toEqual([
      "deploy.yml apply-protected",
      "deploy.yml apply-unprotected",
      "deploy.yml plan",
      "deploy.yml rollback",
      "deploy.yml rollback",
      "drift.yml drift",
      "plan.yml plan",
    ]);
    for (const { file, job, step } of steps) {
      const at = `${file} ${job}`;
      const applies = /(^|-- )apply\b/.test(oneLine(step.run).replace(/^exec bin\/flystack with-secrets "\$STACK" /, ""));
      for (const name of CREDENTIALS) expect({ at, name, value: step.env?.[name] }).toEqual({ at, name, value: `\${{ secrets.${name} }}` });
      const secretEnv = Object.entries(step.env ?? {}).filter(([, v]) => secretRef.test(String(v))).map(([k]) => k).sort();
      if (applies) {
        expect({ at, run: oneLine(step.run) }).toEqual({ at, run: expect.stringMatching(new RegExp(`${FLYSTACK} with-secrets "\\$STACK" -- apply `)) });
        expect({ at, value: step.env?.SECRETS_JSON }).toEqual({ at, value: ALL_SECRETS });
        expect({ at, secretEnv }).toEqual({ at, secretEnv: [...CREDENTIALS, "SECRETS_JSON"].sort() });
      } else {
        // Plans need no secret value (placeholders for the ephemeral secret variables).
        expect({ at, run: oneLine(step.run) }).toEqual({ at, run: expect.not.stringContaining("with-secrets") });
        expect({ at, secretEnv }).toEqual({ at, secretEnv: [...CREDENTIALS].sort() });
      }
    }
  });

  test("toJSON(secrets) appears once per with-secrets step and nowhere else", () => {
    const count = files.reduce((n, file) => n + (raw[file].match(/toJSON\(secrets\)/g) ?? []).length, 0);
    expect(count).toBe(allSteps().filter(({ step }) => withSecrets(step)).length);
  });

  test("nothing secret is written to $GITHUB_ENV or $GITHUB_OUTPUT by a step that holds secrets", () => {
    for (const { file, job, step } of allSteps()) {
      if (!secretRef.test(JSON.stringify(step.env ?? {}))) continue;
      expect({ at: `${file} ${job}`, run: step.run ?? "" }).toEqual({ at: `${file} ${job}`, run: expect.not.stringMatching(/GITHUB_ENV/) });
    }
  });

  test("synthesis runs in a step without secrets; the planning command then uses those stacks (--skip-synth)", () => {
    for (const { file, id, job } of allJobs()) {
      const secretStep = stepIndex(job, (s) => withSecrets(s));
      if (secretStep === -1) continue;
      const inner = oneLine(job.steps[secretStep].run).split(" -- ")[1];
      if (/^apply\b/.test(inner)) continue; // apply never synthesizes: it uses the plan artifact's cdktf.out
      const at = `${file} ${id}`;
      expect({ at, inner }).toEqual({ at, inner: expect.stringContaining("--skip-synth") });
      const synth = stepIndex(job, (s) => s.run === 'bin/flystack stacks "$STACK"');
      expect({ at, synthFirst: synth > -1 && synth < secretStep }).toEqual({ at, synthFirst: true });
      expect(JSON.stringify(job.steps[synth].env)).not.toMatch(secretRef);
    }
  });

  test("no untrusted github.event value is interpolated into a run: script", () => {
    for (const { file, job, step } of allSteps()) {
      expect({ at: `${file} ${job}`, run: step.run ?? "" }).toEqual({ at: `${file} ${job}`, run: expect.not.stringMatching(/\$\{\{[^}]*github\.(event|head_ref)/) });
    }
  });
});

describe("Terraform and Node", () => {
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

  test("every setup-node uses one Node LTS version, 22 or later (not 20)", () => {
    const versions = new Set(allSteps().filter(({ step }) => usesAction(step, "actions/setup-node")).map(({ step }) => step.with?.["node-version"]));
    expect(versions.size).toBe(1);
    const [version] = [...versions];
    expect([22, 24]).toContain(version);
  });

  test("every job that runs node or npm sets up Node first; every job that runs Terraform sets it up first and installs with npm ci", () => {
    for (const { file, id, job } of allJobs()) {
      const at = `${file} ${id}`;
      const first = stepIndex(job, (s) => /\b(node|npm|npx)\b/.test(s.run ?? ""));
      if (first === -1) continue;
      const node = stepIndex(job, (s) => usesAction(s, "actions/setup-node"));
      expect({ at, order: node > -1 && node < first }).toEqual({ at, order: true });
      const cli = stepIndex(job, (s) => runsFlystack(s));
      if (cli === -1) continue;
      expect({ at, order: -1 < stepIndex(job, (s) => usesAction(s, "hashicorp/setup-terraform")) && stepIndex(job, (s) => usesAction(s, "hashicorp/setup-terraform")) < cli }).toEqual({ at, order: true });
      expect({ at, order: -1 < stepIndex(job, (s) => /^npm ci\b/.test(s.run ?? "")) }).toEqual({ at, order: true });
    }
  });

  test("flystack runs as bin/flystack (dist/, compiled by npm ci earlier in the same job), never through npx or a TypeScript loader", () => {
    let checked = 0;
    for (const { file, id, job } of allJobs()) {
      job.steps.forEach((step, index) => {
        const run = step.run ?? "";
        const at = `${file} ${id} step ${index}`;
        expect({ at, slow: /npx\s+flystack|bin\/flystack\.js|tsx\s+cli\//.test(run) }).toEqual({ at, slow: false });
        if (!/(^|[\s($])bin\/flystack\b/.test(run)) return;
        checked++;
        const install = stepIndex(job, (s) => /^npm ci\b/.test(s.run ?? ""));
        expect({ at, installedBefore: install > -1 && install < index }).toEqual({ at, installedBefore: true });
      });
    }
    expect(checked).toBeGreaterThan(5);
  });
});

describe("plan.yml", () => {
  const job = () => plan().jobs.plan;
  const stacksJob = () => plan().jobs.stacks;
  const commentJob = () => plan().jobs.comment;
  const planStep = () => job().steps.find((s) => runsFlystack(s, "plan"))!;
  const commentStep = () => commentJob().steps.find((s) => usesAction(s, "actions/github-script"))!;
  const gatherStep = () => commentJob().steps.find((s) => /bin\/flystack summarize\b/.test(s.run ?? ""))!;
  const FORK = "github.event.pull_request.head.repo.full_name == github.repository";

  test("runs on pull requests: the stacks job, one plan job per changed stack, then one comment job; never for a fork", () => {
    expect(Object.keys(plan().on)).toEqual(["pull_request"]);
    expect(needsOf(job())).toEqual(["stacks"]);
    expect(job().strategy?.matrix).toEqual({ include: "${{ fromJSON(needs.stacks.outputs.stacks) }}" });
    expect(stacksJob().if).toContain(FORK);
    expect(job().if).toContain(FORK);
    expect(commentJob().if).toContain(FORK);
  });

  test("stacks: the matrix holds only the stacks changed since the base branch; the others go to the comment job as flystack-unchanged", () => {
    const step = stacksJob().steps.find((s) => s.id === "stacks")!;
    expect(step.run).toMatch(CHANGED_STACKS_COMMAND);
    // The base ref comes in through env, never interpolated into the script; the base branch must be fetched.
    expect(step.env).toEqual({ BASE_REF: "${{ github.base_ref }}" });
    const checkout = stacksJob().steps.find((s) => usesAction(s, "actions/checkout"))!;
    expect(checkout.with?.["fetch-depth"]).toBe(0);
    const uploads = stacksJob().steps.filter((s) => usesAction(s, "actions/upload-artifact"));
    expect(uploads).toHaveLength(1);
    expect(uploads[0].with).toMatchObject({ name: UNCHANGED_ARTIFACT, path: "plans/summary.json", "if-no-files-found": "error" });
    expect(stacksJob().steps.indexOf(uploads[0])).toBeGreaterThan(stacksJob().steps.indexOf(step));
  });

  test("checkout, setup-node (npm cache), Terraform, npm ci, npm test, synthesis, then the plan", () => {
    const steps = job().steps;
    const order = [
      stepIndex(job(), (s) => usesAction(s, "actions/checkout")),
      stepIndex(job(), (s) => usesAction(s, "actions/setup-node") && s.with?.cache === "npm"),
      stepIndex(job(), (s) => usesAction(s, "hashicorp/setup-terraform")),
      stepIndex(job(), (s) => /^npm ci\b/.test(s.run ?? "")),
      stepIndex(job(), (s) => /^npm test\b/.test(s.run ?? "")),
      stepIndex(job(), (s) => s.run === 'bin/flystack stacks "$STACK"'),
      steps.indexOf(planStep()),
    ];
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  test("stacks: the job summary lists the dashboards and panels the pull request changes", () => {
    const stacksJob = plan().jobs.stacks;
    const step = stacksJob.steps.find((s) => s.name === "Dashboards")!;
    expect(oneLine(step.run)).toBe('bin/flystack dashboards --changed-since "origin/$BASE_REF" >> "$GITHUB_STEP_SUMMARY"');
    expect(step.env).toEqual({ BASE_REF: "${{ github.base_ref }}" });
    expect(stepIndex(stacksJob, (s) => /^npm ci\b/.test(s.run ?? ""))).toBeLessThan(stacksJob.steps.indexOf(step));
  });

  test("plans its stack (synthesized in the job's own checkout), with the cost change against the base branch", () => {
    expect(oneLine(planStep().run)).toBe('bin/flystack plan "$STACK" --skip-synth --out plans --cost-base "origin/$BASE_REF"');
    expect(planStep().env?.BASE_REF).toBe("${{ github.base_ref }}");
    expect(planStep()["continue-on-error"]).toBeUndefined();
    expect(job().steps.find((s) => usesAction(s, "actions/checkout"))!.with?.["fetch-depth"]).toBe(0);
  });

  test("uploads only the plan summaries per stack, even after a failure: never the saved plan, its JSON or cdktf.out", () => {
    const uploads = job().steps.filter((s) => usesAction(s, "actions/upload-artifact"));
    expect(uploads).toHaveLength(1);
    const [upload] = uploads;
    expect(upload.if).toBe("always()");
    expect(upload.with?.name).toBe("plan-${{ matrix.stack }}");
    expect(String(upload.with?.path).trim().split("\n")).toEqual(["plans/summary.md", "plans/summary.json"]);
    expect(upload.with?.["include-hidden-files"]).toBeUndefined();
    // Nothing to seal: a pull request's plan is never applied.
    expect(oneLine(planStep().run)).not.toContain("--encrypt-to");
  });

  test("the plan jobs do not comment: only the comment job may write to the pull request, and it holds no secret or environment", () => {
    expect(job().steps.some((s) => usesAction(s, "actions/github-script"))).toBe(false);
    const writers = Object.entries(plan().jobs).filter(([, j]) => typeof j.permissions === "object" && j.permissions["pull-requests"] === "write");
    expect(writers.map(([id]) => id)).toEqual(["comment"]);
    expect(commentJob().environment).toBeUndefined();
    expect(JSON.stringify(commentJob())).not.toMatch(/secrets\./);
  });

  test("comment: after the stacks job and every plan job, also when plans failed or none ran, never when the stacks job failed", () => {
    expect(needsOf(commentJob()).sort()).toEqual(["plan", "stacks"]);
    expect(commentJob().if).toMatch(/^always\(\) && /);
    expect(commentJob().if).toContain("needs.stacks.result == 'success'");
    expect(commentJob().strategy).toBeUndefined();
  });

  test("comment: downloads flystack-unchanged and every plan-<stack>, and gathers them into one summary with the marker pr", () => {
    const downloads = commentJob().steps.filter((s) => usesAction(s, "actions/download-artifact"));
    expect(downloads.map((s) => s.with)).toEqual([
      { name: UNCHANGED_ARTIFACT, path: `gathered/${UNCHANGED_ARTIFACT}` },
      { pattern: "plan-*", path: "gathered" },
    ]);
    // "plan-*" never matches flystack-unchanged, and no plan artifact is called flystack-<anything>.
    expect(UNCHANGED_ARTIFACT.startsWith("plan-")).toBe(false);
    expect(oneLine(gatherStep().run)).toBe("bin/flystack summarize --gather gathered/*/ --out plans --marker pr");
    const steps = commentJob().steps;
    const order = [
      stepIndex(commentJob(), (s) => /^npm ci\b/.test(s.run ?? "")),
      ...downloads.map((d) => steps.indexOf(d)),
      steps.indexOf(gatherStep()),
      steps.indexOf(commentStep()),
    ];
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(gatherStep().env).toBeUndefined();
  });

  test("ONE comment for the pull request: found by the hidden marker and updated in place, else created", () => {
    const step = commentStep();
    expect(step.if).toBe("always()");
    expect(step.env).toEqual({ STACKS: "${{ needs.stacks.outputs.stacks }}" });
    const script = String(step.with?.script);
    expect(script).toContain('const marker = "<!-- flystack-plan:pr -->"');
    expect(script).toContain('read("plans/summary.md")');
    expect(script).toMatch(/github\.paginate\(github\.rest\.issues\.listComments/);
    expect(script).toMatch(/\.includes\(marker\)/);
    expect(script).toMatch(/github\.rest\.issues\.updateComment\(/);
    expect(script).toMatch(/github\.rest\.issues\.createComment\(/);
    // create only when nothing was found
    expect(script.indexOf("updateComment")).toBeLessThan(script.indexOf("createComment"));
    expect(script).toContain("65536");
  });

  test("each stack's plan credentials; never the environments that apply", () => {
    expect(environmentName(job())).toBe(MATRIX_PLAN_ENVIRONMENT);
  });

  test("every job has a timeout", () => {
    for (const [id, j] of Object.entries(plan().jobs)) expect({ id, timeout: (j as { "timeout-minutes"?: number })["timeout-minutes"] }).toEqual({ id, timeout: expect.any(Number) });
  });
});

describe("plan artifacts", () => {
  const uploads = () => allSteps().filter(({ step }) => usesAction(step, "actions/upload-artifact"));
  const pathsOf = (step: Step) => String(step.with?.path).trim().split("\n").map((p) => p.trim());

  test("no workflow uploads a saved plan, a plan JSON, cdktf.out or a whole plans folder", () => {
    expect(uploads().length).toBeGreaterThan(0);
    for (const { file, job, step } of uploads()) {
      for (const p of pathsOf(step)) {
        const at = `${file} ${job} ${p}`;
        expect({ at, readablePlan: /\.tfplan\b|plan\.json|cdktf\.out|^plans\/?$|\*/.test(p) }).toEqual({ at, readablePlan: false });
      }
    }
  });

  test("pull-request workflows upload summaries only", () => {
    const pr = files.filter((f) => "pull_request" in workflows[f].on || "pull_request_target" in workflows[f].on);
    expect(pr).toContain("plan.yml");
    for (const { file, job, step } of uploads().filter((u) => pr.includes(u.file))) {
      for (const p of pathsOf(step)) expect({ at: `${file} ${job}`, p }).toEqual({ at: `${file} ${job}`, p: expect.stringMatching(/(^|\/)summary\.(md|json)$/) });
    }
  });

  test("the only plan that travels is sealed, and it is opened only where it is applied", () => {
    const sealing = allSteps().filter(({ step }) => /--encrypt-to\b/.test(step.run ?? ""));
    expect(sealing.map(({ file, job }) => `${file} ${job}`)).toEqual(["deploy.yml plan"]);
    const unsealing = allSteps().filter(({ step }) => unseals(step) || /--decrypt-with\b/.test(step.run ?? ""));
    expect(unsealing.map(({ file, job }) => `${file} ${job}`).sort()).toEqual(["deploy.yml apply-protected", "deploy.yml apply-unprotected"]);
    for (const { file, job } of unsealing) expect(environmentName(workflows[file].jobs[job])).toBe(MATRIX_ENVIRONMENT);
  });
});

/** Runs a step's `run:` script with bash in `dir`, as the runner would. */
function runStep(step: Step, dir: string, env: Record<string, string>): { status: number | null; stdout: string; stderr: string; outputs: Record<string, string> } {
  const output = path.join(dir, "github-output");
  fs.writeFileSync(output, "");
  const result = spawnSync("bash", ["-e", "-c", step.run!], {
    cwd: dir,
    encoding: "utf8",
    env: { PATH: process.env.PATH, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: path.join(dir, "step-summary"), ...env },
  });
  const outputs = Object.fromEntries(fs.readFileSync(output, "utf8").split("\n").filter(Boolean).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, outputs };
}

describe("deploy.yml", () => {
  const jobs = () => deploy().jobs;
  const FORBIDDEN_IN_APPLY = [/flystack\s+(with-secrets\s+\S+\s+--\s+)?plan/, /flystack\s+stacks/, /\bsynth\b/, /main\.ts/, /cdktf\s+(deploy|diff|synth)/, /--skip-synth/];
  const APPLY_JOBS = ["apply-unprotected", "apply-protected"];

  test("runs on push to main only", () => {
    expect(deploy().on).toEqual({ push: { branches: ["main"] } });
  });

  test("plan: after the tests, every stack is planned in its -plan environment, sealed to its environment's public key; uploads the bundle and summaries only", () => {
    const planJob = jobs().plan;
    expect(needsOf(planJob).sort()).toEqual(["stacks", "test"]);
    expect(planJob.strategy?.matrix).toEqual({ include: "${{ fromJSON(needs.stacks.outputs.stacks) }}" });
    expect(environmentName(planJob)).toBe(MATRIX_PLAN_ENVIRONMENT);
    const planSteps = planJob.steps.filter((s) => runsFlystack(s));
    expect(planSteps.map((s) => oneLine(s.run))).toEqual([
      'bin/flystack plan "$STACK" --skip-synth --out plans --marker "$STACK" --encrypt-to ".github/plan-keys/$ENVIRONMENT.pub.pem"',
    ]);
    expect(planSteps[0].env?.ENVIRONMENT).toBe(MATRIX_ENVIRONMENT);
    const upload = planJob.steps.find((s) => usesAction(s, "actions/upload-artifact") && String(s.with?.name).startsWith("plan-"))!;
    expect(upload.with?.name).toBe("plan-${{ matrix.stack }}");
    expect(String(upload.with?.path).trim().split("\n")).toEqual(["plans/plan-bundle.enc", "plans/summary.md", "plans/summary.json"]);
    expect(upload.with?.["if-no-files-found"]).toBe("error");
    // As short as the approval window needs (docs/runbook.md, "Artifacts").
    expect(upload.with?.["retention-days"]).toBe(3);
  });

  test("changes: after every plan, without environment, secrets, checkout or permissions, emits the stacks to apply", () => {
    const gate = jobs().changes;
    expect(needsOf(gate).sort()).toEqual(["plan", "stacks"]);
    expect(gate.if).toContain("!cancelled()");
    expect(gate.environment).toBeUndefined();
    expect(gate.permissions).toEqual({});
    expect(JSON.stringify(gate)).not.toMatch(/secrets/);
    expect(stepIndex(gate, (s) => usesAction(s, "actions/checkout"))).toBe(-1);
    const download = gate.steps.find((s) => usesAction(s, "actions/download-artifact"))!;
    expect(download.with).toMatchObject({ pattern: "planned-*", "merge-multiple": true });
    expect(Object.keys(gate.outputs ?? {}).sort()).toEqual(["protected", "sign", "unprotected"]);
  });

  test("sign: every stack to apply is signed in the plan-signing environment (branch main only), holding the signing key alone; the apply jobs verify it before opening the bundle", () => {
    const sign = jobs().sign;
    expect(needsOf(sign)).toEqual(["changes"]);
    expect(environmentName(sign)).toBe(SIGNING_ENVIRONMENT);
    expect(sign.strategy?.matrix).toEqual({ include: "${{ fromJSON(needs.changes.outputs.sign) }}" });
    const download = stepIndex(sign, (s) => usesAction(s, "actions/download-artifact"));
    expect(sign.steps[download].with).toEqual({ name: "plan-${{ matrix.stack }}", path: "plans" });
    const step = stepIndex(sign, signs);
    expect(oneLine(sign.steps[step].run)).toBe(SIGN_COMMAND);
    expect(step).toBeGreaterThan(download);
    // Only the signature leaves the job.
    const upload = sign.steps.find((s) => usesAction(s, "actions/upload-artifact"))!;
    expect(upload.with).toMatchObject({ name: "signature-${{ matrix.stack }}", path: "plans/plan-bundle.enc.sig", "if-no-files-found": "error" });
    expect(sign.steps.filter((s) => runsFlystack(s))).toEqual([]);
    for (const id of APPLY_JOBS) {
      const apply = jobs()[id];
      expect(needsOf(apply)).toContain("sign");
      expect(String(apply.if)).toContain("needs.sign.result == 'success'");
      const signature = stepIndex(apply, (s) => usesAction(s, "actions/download-artifact") && s.with?.name === "signature-${{ matrix.stack }}");
      expect(signature).toBeGreaterThan(-1);
      expect(apply.steps[signature].with?.path).toBe("plans");
      expect(signature).toBeLessThan(stepIndex(apply, unseals));
    }
  });

  test.each(APPLY_JOBS)("%s: applies exactly its plan job's artifact in the stack's environment, and never plans or synthesizes", (id) => {
    const apply = jobs()[id];
    expect(environmentName(apply)).toBe(MATRIX_ENVIRONMENT);
    expect(needsOf(apply)).toContain("changes");
    expect(apply.strategy?.matrix).toEqual({ include: `\${{ fromJSON(needs.changes.outputs.${id.replace("apply-", "")}) }}` });
    const download = stepIndex(apply, (s) => usesAction(s, "actions/download-artifact"));
    expect(download).toBeGreaterThan(-1);
    expect(apply.steps[download].with?.name).toBe(jobs().plan.steps.find((s) => usesAction(s, "actions/upload-artifact"))!.with?.name);
    expect(apply.steps[download].with?.path).toBe("plans");
    // The sealed bundle is opened with the environment's private key, in a step of its own, before the apply.
    const unseal = stepIndex(apply, unseals);
    expect(oneLine(apply.steps[unseal].run)).toBe(UNSEAL_COMMAND);
    expect(unseal).toBeGreaterThan(download);
    const applySteps = apply.steps.filter((s) => runsFlystack(s));
    expect(applySteps).toHaveLength(1);
    expect(oneLine(applySteps[0].run)).toMatch(new RegExp(`^${FLYSTACK} with-secrets "\\$STACK" -- apply --plans plans "\\$STACK"$`));
    expect(apply.steps.indexOf(applySteps[0])).toBeGreaterThan(unseal);
    expect(applySteps[0].env?.[PLAN_KEY]).toBeUndefined();
    for (const step of apply.steps) for (const re of FORBIDDEN_IN_APPLY) expect(step.run ?? "").not.toMatch(re);
    // flyctl for the release hooks, installed with Fly's action before the apply
    const flyctl = stepIndex(apply, (s) => usesAction(s, "superfly/flyctl-actions/setup-flyctl"));
    expect(flyctl).toBeGreaterThan(-1);
    expect(flyctl).toBeLessThan(apply.steps.indexOf(applySteps[0]));
  });

  test("protected stacks are applied after the unprotected ones applied (or had nothing to apply), each after its environment's reviewers approve", () => {
    const apply = jobs()["apply-protected"];
    expect(needsOf(apply)).toEqual(expect.arrayContaining(["changes", "apply-unprotected"]));
    expect(apply.if).toContain("!cancelled()");
    expect(apply.if).toContain("needs.changes.result == 'success'");
    expect(apply.if).toContain("needs.apply-unprotected.result == 'success' || needs.apply-unprotected.result == 'skipped'");
    // only the apply jobs (and the rollback, which applies) use the environments that apply (and hold the reviewers)
    for (const [id, job] of Object.entries(jobs())) {
      if (!APPLY_JOBS.includes(id) && id !== "rollback") expect(environmentName(job) ?? "").not.toBe(MATRIX_ENVIRONMENT);
    }
  });

  test.each(["plan", ...APPLY_JOBS])("%s: concurrency group deploy-<stack>, never cancelling in progress", (id) => {
    expect(jobs()[id].concurrency).toEqual({ group: "deploy-${{ matrix.stack }}", "cancel-in-progress": false });
  });

  test("no workflow-level concurrency (it would serialize the unprotected stacks behind an approval)", () => {
    expect(deploy().concurrency).toBeUndefined();
  });

  test.each(APPLY_JOBS)("%s: the job summary shows plans/applied.md and the plan summary, even after a failure", (id) => {
    const summary = jobs()[id].steps.find((s) => s.name === "Job summary")!;
    expect(summary.if).toBe("always()");
    expect(summary.run).toContain("plans/applied.md");
    expect(summary.run).toContain("plans/summary.md");
  });

  test.each(APPLY_JOBS)("%s: the error budget is checked after unsealing and before applying, into the job summary; a failed canary marks the stack for rollback", (id) => {
    const apply = jobs()[id];
    const budget = stepIndex(apply, budgets);
    expect(budget).toBeGreaterThan(stepIndex(apply, unseals));
    expect(budget).toBeLessThan(stepIndex(apply, (s) => runsFlystack(s, "apply")));
    expect(apply.steps[budget].run).toContain('bin/flystack budget "$STACK" > budget.md || status=$?');
    expect(apply.steps[budget].run).toContain('cat budget.md >> "$GITHUB_STEP_SUMMARY"');
    const mark = apply.steps.find((s) => s.name === "Mark a failed canary for rollback")!;
    expect(mark.if).toBe("failure()");
    const upload = apply.steps.find((s) => s.with?.name === "rollback-${{ matrix.stack }}")!;
    expect(upload).toMatchObject({ if: "failure()", with: { path: "rollback/", "if-no-files-found": "ignore" } });
  });

  test("rollback: after the applies, each stack whose canary failed is planned and applied at the last deployed commit, in its environment, with the same checks", () => {
    const list = jobs()["rollback-stacks"];
    expect(needsOf(list).sort()).toEqual(["apply-protected", "apply-unprotected"]);
    expect(list.permissions).toEqual({});
    expect(JSON.stringify(list)).not.toMatch(/secrets\./);
    const rollback = jobs().rollback;
    expect(needsOf(rollback)).toEqual(["rollback-stacks"]);
    expect(rollback.strategy?.matrix).toEqual({ include: "${{ fromJSON(needs.rollback-stacks.outputs.stacks) }}" });
    expect(rollback.concurrency).toEqual({ group: "deploy-${{ matrix.stack }}", "cancel-in-progress": false });
    const order = ["Last deployed commit", "Synthesize", "Plan at the last deployed commit", "Apply the rollback"].map((name) => stepIndex(rollback, (s) => s.name === name));
    expect(order.every((at, i) => at > -1 && (i === 0 || at > order[i - 1]))).toBe(true);
    expect(rollback.steps[order[0]].run).toContain("git checkout --quiet \"$sha\"");
    expect(oneLine(rollback.steps[order[2]].run)).toBe('bin/flystack plan "$STACK" --skip-synth --out rollback-plans --marker "$STACK-rollback"');
    expect(oneLine(rollback.steps[order[3]].run)).toBe('exec bin/flystack with-secrets "$STACK" -- apply --plans rollback-plans "$STACK"');
    const checkout = rollback.steps.find((s) => usesAction(s, "actions/checkout"))!;
    expect(checkout.with?.["fetch-depth"]).toBe(0);
  });

  describe("the scripts that decide what is applied, run on fixture stacks", () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-deploy-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const anythingToApply = () => jobs().plan.steps.find((s) => s.name === "Anything to apply?")!;
    const gateStep = () => jobs().changes.steps.find((s) => s.id === "changes")!;

    test("plan: a plan without changes is recorded as such in planned/<stack>.json; an unreadable summary counts as changes", () => {
      fs.mkdirSync(path.join(dir, "plans"));
      fs.writeFileSync(path.join(dir, "plans", "summary.json"), JSON.stringify({ stacks: [{ stack: "blue", status: "no-changes" }] }));
      expect(runStep(anythingToApply(), dir, { STACK: "blue" }).status).toBe(0);
      expect(JSON.parse(fs.readFileSync(path.join(dir, "planned", "blue.json"), "utf8"))).toEqual({ stack: "blue", changes: false });
      fs.writeFileSync(path.join(dir, "plans", "summary.json"), JSON.stringify({ stacks: [{ stack: "blue", status: "changes" }] }));
      runStep(anythingToApply(), dir, { STACK: "blue" });
      expect(JSON.parse(fs.readFileSync(path.join(dir, "planned", "blue.json"), "utf8"))).toEqual({ stack: "blue", changes: true });
      fs.rmSync(path.join(dir, "plans"), { recursive: true });
      const unreadable = runStep(anythingToApply(), dir, { STACK: "blue" });
      expect(unreadable.stdout).toContain("::warning::could not read plans/summary.json");
      expect(JSON.parse(fs.readFileSync(path.join(dir, "planned", "blue.json"), "utf8"))).toEqual({ stack: "blue", changes: true });
      // the planned-<stack> artifact carries it to the changes job
      const upload = jobs().plan.steps.find((s) => s.with?.name === "planned-${{ matrix.stack }}")!;
      expect(upload.with?.path).toBe("planned/");
    });

    const STACKS = [
      { stack: "blue", environment: "blue", protected: false, secrets: [] },
      { stack: "teal", environment: "teal", protected: false, secrets: [] },
      { stack: "green", environment: "green", protected: true, secrets: ["TF_VAR_x_Y"] },
    ];
    const gate = (planned: Record<string, boolean>) => {
      fs.mkdirSync(path.join(dir, "planned"), { recursive: true });
      for (const [stack, changes] of Object.entries(planned)) fs.writeFileSync(path.join(dir, "planned", `${stack}.json`), JSON.stringify({ stack, changes }));
      const result = runStep(gateStep(), dir, { STACKS: JSON.stringify(STACKS) });
      expect(result.status).toBe(0);
      const names = (key: string) => (JSON.parse(result.outputs[key]) as { stack: string }[]).map((s) => s.stack);
      return { unprotected: names("unprotected"), protected: names("protected"), stdout: result.stdout, entries: JSON.parse(result.outputs.protected) as unknown[] };
    };

    test("changes: every stack planned with changes: the unprotected first, then the protected (whole matrix entries)", () => {
      const result = gate({ blue: true, teal: true, green: true });
      expect([result.unprotected, result.protected]).toEqual([["blue", "teal"], ["green"]]);
      expect(result.entries).toEqual([STACKS[2]]);
    });

    test("changes: a stack without changes is not applied and, if protected, asks for no approval", () => {
      expect(gate({ blue: false, teal: true, green: false })).toMatchObject({ unprotected: ["teal"], protected: [] });
    });

    test("apply: a failed canary (applied.md says so) is written as rollback/<stack>.json; any other failure is not", () => {
      const mark = jobs()["apply-unprotected"].steps.find((s) => s.name === "Mark a failed canary for rollback")!;
      fs.mkdirSync(path.join(dir, "plans"));
      fs.writeFileSync(path.join(dir, "plans", "applied.md"), "## flystack apply\n\n- **blue**: failed; the state shows no change: nothing of it was applied.\n");
      expect(runStep(mark, dir, { STACK: "blue", ENVIRONMENT: "blue", PROTECTED: "false" }).status).toBe(0);
      expect(fs.existsSync(path.join(dir, "rollback"))).toBe(false);
      fs.writeFileSync(path.join(dir, "plans", "applied.md"), "## flystack apply\n\n- **green**: canary gate failed (the canary runs the new release, the rest of its group the old one), **part of it was applied**: …\n");
      expect(runStep(mark, dir, { STACK: "green", ENVIRONMENT: "green", PROTECTED: "true" }).status).toBe(0);
      expect(JSON.parse(fs.readFileSync(path.join(dir, "rollback", "green.json"), "utf8"))).toEqual({ stack: "green", environment: "green", protected: true });
      // The rollback-stacks job turns the files into the rollback matrix.
      const list = jobs()["rollback-stacks"].steps.find((s) => s.id === "stacks")!;
      const result = runStep(list, dir, {});
      expect(JSON.parse(result.outputs.stacks)).toEqual([{ stack: "green", environment: "green", protected: true }]);
      fs.rmSync(path.join(dir, "rollback"), { recursive: true });
      expect(JSON.parse(runStep(list, dir, {}).outputs.stacks)).toEqual([]);
    });

    test("rollback: the last deployed commit is the newest successful deployment of the environment other than the failed one", async () => {
      const http = await import("node:http");
      const deployments = [
        { id: 5, sha: "f00d5", statuses: [{ state: "in_progress" }] }, // this rollback's own job
        { id: 4, sha: "bad44", statuses: [{ state: "failure" }] }, // the failed deploy
        { id: 3, sha: "c0ffee3", statuses: [{ state: "success" }] },
        { id: 2, sha: "bee2", statuses: [{ state: "success" }] },
      ];
      const seen: string[] = [];
      const server = http.createServer((req, res) => {
        seen.push(`${req.url} ${req.headers.authorization}`);
        const url = new URL(req.url ?? "/", "http://x");
        const statuses = /^\/repos\/acme\/infra\/deployments\/(\d+)\/statuses$/.exec(url.pathname);
        let body: unknown = [];
        if (url.pathname === "/repos/acme/infra/deployments" && url.searchParams.get("environment") === "production" && url.searchParams.get("page") === "1") body = deployments.map(({ id, sha }) => ({ id, sha }));
        else if (statuses) body = deployments.find((d) => d.id === Number(statuses[1]))?.statuses ?? [];
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(body));
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const api = `http://127.0.0.1:${(server.address() as import("node:net").AddressInfo).port}`;
      const run = (failed: string, environment = "production") =>
        new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
          const child = require("node:child_process").spawn(process.execPath, [path.join(root, "scripts", "last-deployed-commit.cjs")], {
            env: { PATH: process.env.PATH, GITHUB_API_URL: api, GITHUB_REPOSITORY: "acme/infra", GH_TOKEN: "gh-token", ENVIRONMENT: environment, FAILED_SHA: failed },
          });
          let stdout = "";
          let stderr = "";
          child.stdout.on("data", (c: Buffer) => (stdout += c));
          child.stderr.on("data", (c: Buffer) => (stderr += c));
          child.on("close", (code: number | null) => resolve({ code, stdout, stderr }));
        });
      try {
        expect(await run("bad44")).toEqual({ code: 0, stdout: "c0ffee3\n", stderr: "" });
        expect(await run("c0ffee3")).toEqual({ code: 0, stdout: "bee2\n", stderr: "" });
        expect(seen.every((line) => line.endsWith("Bearer gh-token"))).toBe(true);
        const none = await run("bad44", "staging");
        expect(none.code).toBe(1);
        expect(none.stderr).toContain('last-deployed-commit: no successful deployment to the environment "staging" other than bad44: nothing to roll back to');
      } finally {
        server.close();
      }
    });

    test("changes: a stack whose plan failed is not applied, and holds back every protected stack if it is unprotected", () => {
      const unprotectedFailed = gate({ blue: true, green: true });
      expect(unprotectedFailed).toMatchObject({ unprotected: ["blue"], protected: [] });
      expect(unprotectedFailed.stdout).toContain("::error::teal: no successful plan");
      expect(unprotectedFailed.stdout).toContain("**green** (protected): held back: teal did not plan");
      fs.rmSync(path.join(dir, "planned"), { recursive: true });
      expect(gate({ blue: true, teal: false })).toMatchObject({ unprotected: ["blue"], protected: [] });
    });
  });
});

describe("drift.yml", () => {
  const job = () => drift().jobs.drift;

  test("runs every 6 hours and on demand", () => {
    expect(drift().on.schedule).toEqual([{ cron: "0 */6 * * *" }]);
    expect(Object.keys(drift().on).sort()).toEqual(["schedule", "workflow_dispatch"]);
  });

  test("checks each stack in its -plan environment, writing the Markdown report and the JSON", () => {
    expect(needsOf(job())).toEqual(["stacks"]);
    expect(job().strategy?.matrix).toEqual({ include: "${{ fromJSON(needs.stacks.outputs.stacks) }}" });
    const step = job().steps.find((s) => runsFlystack(s, "drift"))!;
    expect(step.id).toBe("drift");
    expect(step.run).toContain('bin/flystack drift "$STACK" --skip-synth --require-audit --report "drift-$STACK.md" --json > "drift-$STACK.json"');
    // 0 and 2 are results; anything else fails the job
    expect(step.run).toMatch(/\*\)[^\n]*exit 1/);
    expect(environmentName(job())).toBe(MATRIX_PLAN_ENVIRONMENT);
  });

  test("opens, updates or closes one issue per stack, only on a result (exit 0 or 2)", () => {
    const step = job().steps.find((s) => usesAction(s, "actions/github-script"))!;
    expect(step.if).toBe("steps.drift.outputs.exit-code == '0' || steps.drift.outputs.exit-code == '2'");
    expect(step.env?.STACK).toBe("${{ matrix.stack }}");
    const script = String(step.with?.script);
    expect(script).toContain('const LABEL = "drift"');
    expect(script).toContain("Drift detected: ${result.stack}");
    // The issue says what found it: Terraform's refresh and the Fly audit, and the ways back.
    expect(script).toMatch(/Terraform's refresh, and the Fly audit/);
    expect(script).toContain("flystack plan --reconcile");
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
    const script = () => scriptOf(plan(), "comment");
    const MARKER = "<!-- flystack-plan:pr -->";
    const pr = { pull_request: { number: 7, head: { sha: "0123456789abcdef0123456789abcdef01234567" } } };
    const matrix = (...stacks: string[]) => ({ STACKS: JSON.stringify(stacks.map((stack) => ({ stack, environment: stack, protected: false, secrets: [] }))) });
    /** What `flystack summarize --gather` writes in plans/. */
    const writeGathered = (markdown: string, stacks: string[]) => {
      fs.mkdirSync(path.join(dir, "plans"), { recursive: true });
      fs.writeFileSync(path.join(dir, "plans", "summary.md"), markdown);
      fs.writeFileSync(path.join(dir, "plans", "summary.json"), JSON.stringify({ stacks: stacks.map((stack) => ({ stack, status: "changes" })) }));
    };

    test("creates the comment when none carries the marker (not an old per-stack comment, not a person's copy)", async () => {
      writeGathered(`${MARKER}\n\n## Terraform plan\n\n### blue: 1 to change\n`, ["blue"]);
      const { github, calls } = fakeGitHub({
        comments: [
          { id: 1, user: { login: "github-actions[bot]" }, body: "<!-- flystack-plan:blue -->\nblue" },
          { id: 2, user: { login: "someone" }, body: `${MARKER} copied by a person` },
        ],
      });
      await runScript(script(), matrix("blue"), dir, github, pr);
      expect(calls.map((c) => c.method)).toEqual(["createComment"]);
      const body = String(calls[0].params.body);
      expect(body.startsWith(`${MARKER}\n\n## Terraform plan\n\n### blue: 1 to change`)).toBe(true);
      expect(body).toContain("0123456");
      expect(body).not.toContain("No plan was made");
      expect(calls[0].params.issue_number).toBe(7);
    });

    test("updates its own comment in place on the next push", async () => {
      writeGathered(`${MARKER}\n### green: no changes\n`, ["green"]);
      const { github, calls } = fakeGitHub({
        comments: [
          { id: 1, user: { login: "github-actions[bot]" }, body: "<!-- flystack-plan:blue -->\nblue" },
          { id: 9, user: { login: "github-actions[bot]" }, body: `${MARKER}\nold plans` },
        ],
      });
      await runScript(script(), matrix("green"), dir, github, pr);
      expect(calls.map((c) => [c.method, c.params.comment_id])).toEqual([["updateComment", 9]]);
      expect(String(calls[0].params.body)).toContain("green: no changes");
    });

    test("names, at the top, the matrix stacks whose plan job failed before planning (no summary gathered)", async () => {
      writeGathered(`${MARKER}\n### blue: 1 to change\n`, ["blue"]);
      const { github, calls } = fakeGitHub({ comments: [] });
      await runScript(script(), matrix("blue", "green", "teal"), dir, github, pr);
      const body = String(calls[0].params.body);
      expect(body).toMatch(/^<!-- flystack-plan:pr -->\n\n:x: No plan was made for `green`, `teal`: [^\n]*\n### blue: 1 to change/);
    });

    test("without a gathered summary (a step of the comment job failed) says so, under the marker", async () => {
      const { github, calls } = fakeGitHub({ comments: [] });
      await runScript(script(), matrix("blue"), dir, github, pr);
      expect(String(calls[0].params.body)).toMatch(/^<!-- flystack-plan:pr -->\n[\s\S]*were not gathered/);
    });

    test("never exceeds GitHub's 65,536-character limit", async () => {
      writeGathered(`${MARKER}\n${"x".repeat(70_000)}\n`, []);
      const { github, calls } = fakeGitHub({ comments: [] });
      await runScript(script(), matrix("blue"), dir, github, pr);
      expect(String(calls[0].params.body).length).toBeLessThanOrEqual(65_536);
    });

    /**
     * The jobs' own scripts on a git copy of this project whose pull request changes nothing: the
     * stacks step (real `--changed-since` against origin/main), the artifact's way to the comment job,
     * the gather step, then the comment script. `bin/flystack` is a shim to this checkout's CLI.
     */
    test("no stack changed: an empty matrix, and ONE comment saying every stack was skipped as unchanged", async () => {
      const project = projectCopy();
      try {
        const git = (...args: string[]) => {
          const result = spawnSync("git", ["-c", "user.name=flystack test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: project, encoding: "utf8" });
          expect({ args, stderr: result.status === 0 ? "" : result.stderr }).toEqual({ args, stderr: "" });
        };
        fs.mkdirSync(path.join(project, "bin"), { recursive: true });
        fs.writeFileSync(path.join(project, "bin", "flystack"), `#!/usr/bin/env bash\nexec node ${JSON.stringify(path.join(root, "bin", "flystack.js"))} "$@"\n`, { mode: 0o755 });
        fs.appendFileSync(path.join(project, ".gitignore"), "\nnode_modules\n/gathered/\ngithub-output\nstep-summary\n");
        git("init", "-q");
        git("add", "-A");
        git("commit", "-q", "-m", "base");
        git("update-ref", "refs/remotes/origin/main", "HEAD");
        const env = { HOME: os.homedir(), BASE_REF: "main" };

        const stacksStep = plan().jobs.stacks.steps.find((s) => s.id === "stacks")!;
        const listed = runStep(stacksStep, project, env);
        expect({ status: listed.status, stderr: listed.status === 0 ? "" : listed.stderr }).toEqual({ status: 0, stderr: "" });
        expect(listed.outputs.stacks).toBe("[]");
        const skipped = (JSON.parse(fs.readFileSync(path.join(project, "plans", "summary.json"), "utf8")) as { skipped: { stack: string }[] }).skipped.map((s) => s.stack);
        expect(skipped.length).toBeGreaterThan(0);

        // The upload (plans/summary.json) and download (name → path) of flystack-unchanged; no plan job ran.
        const upload = plan().jobs.stacks.steps.find((s) => usesAction(s, "actions/upload-artifact"))!;
        const download = plan().jobs.comment.steps.find((s) => s.with?.name === UNCHANGED_ARTIFACT)!;
        fs.mkdirSync(path.join(project, String(download.with?.path)), { recursive: true });
        fs.renameSync(path.join(project, String(upload.with?.path)), path.join(project, String(download.with?.path), "summary.json"));
        fs.rmSync(path.join(project, "plans"), { recursive: true });

        const gather = plan().jobs.comment.steps.find((s) => /bin\/flystack summarize\b/.test(s.run ?? ""))!;
        const gathered = runStep(gather, project, env);
        expect({ status: gathered.status, stderr: gathered.status === 0 ? "" : gathered.stderr }).toEqual({ status: 0, stderr: "" });

        const { github, calls } = fakeGitHub({ comments: [] });
        await runScript(script(), { STACKS: listed.outputs.stacks }, project, github, pr);
        expect(calls.map((c) => c.method)).toEqual(["createComment"]);
        const body = String(calls[0].params.body);
        expect(body.startsWith(`${MARKER}\n`)).toBe(true);
        expect(body).toContain(`${skipped.length} stack${skipped.length === 1 ? "" : "s"} not planned, unchanged since origin/main: ${skipped.map((s) => `\`${s}\``).join(", ")}.`);
        expect(body).toContain("No stacks were planned.");
        expect(body).not.toContain("No plan was made");
      } finally {
        spawnSync("git", ["worktree", "prune"], { cwd: project });
        fs.rmSync(project, { recursive: true, force: true });
      }
    }, 120_000);
  });

  describe("drift.yml: the drift issues", () => {
    const script = () => scriptOf(drift(), "drift");
    const marker = "<!-- flystack-drift:green -->";
    const writeResult = (status: string, report = "## green\n\nfly_machine.api_web_iad_1: image changed") => {
      fs.writeFileSync(path.join(dir, "drift-green.json"), JSON.stringify({ stacks: [{ stack: "green", status, drift: [], pending: [] }] }));
      fs.writeFileSync(path.join(dir, "drift-green.md"), report);
    };
    const env = { STACK: "green" };

    test("drift without an open issue: creates the label and ONE issue", async () => {
      writeResult("drift");
      const { github, calls } = fakeGitHub({ issues: [{ number: 3, title: "Something else", body: "", pull_request: undefined }] });
      await runScript(script(), env, dir, github);
      expect(calls.map((c) => c.method)).toEqual(["getLabel", "createLabel", "create"]);
      const create = calls[2].params;
      expect(create.title).toBe("Drift detected: green");
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
      writeResult("drift", "## green\n\nsomething new");
      const { github, calls } = fakeGitHub({ label: true, issues: [{ number: 5, title: "Drift detected: green", body: "older report", html_url: "u" }] });
      await runScript(script(), env, dir, github);
      expect(calls.map((c) => c.method)).toEqual(["getLabel", "update", "createComment"]);
    });

    test("clean again: comments and closes the open issue", async () => {
      writeResult("clean", "## green\n\nno drift");
      const { github, calls } = fakeGitHub({ label: true, issues: [{ number: 5, title: "Drift detected: green", body: `${marker}\nold`, html_url: "u" }] });
      await runScript(script(), env, dir, github);
      expect(calls.map((c) => c.method)).toEqual(["getLabel", "createComment", "update"]);
      expect(calls[2].params).toMatchObject({ issue_number: 5, state: "closed" });
    });

    test("clean without an issue, or an error: nothing is opened, changed or closed", async () => {
      for (const status of ["clean", "error"]) {
        writeResult(status);
        const { github, calls } = fakeGitHub({ label: true, issues: [{ number: 5, title: "Drift detected: blue", body: "", html_url: "u" }] });
        await runScript(script(), env, dir, github);
        expect(calls.map((c) => c.method)).toEqual(["getLabel"]);
      }
      writeResult("error");
      const { github, calls } = fakeGitHub({ label: true, issues: [{ number: 6, title: "Drift detected: green", body: marker, html_url: "u" }] });
      await runScript(script(), env, dir, github);
      expect(calls.map((c) => c.method)).toEqual(["getLabel"]);
    });
  });
});
