/**
 * The GitHub Actions workflows (.github/workflows): the pipeline follows the repository (no
 * environment or app-secret name in any workflow: every job runs over the batches `flystack stacks
 * --json --max-jobs 32` emits), within GitHub's 256 jobs per matrix for any number of stacks (a
 * matrix of 10,000 stacks is rendered), tests run once and synthesis once per run (its artifact
 * reused by every plan and drift job), a Terraform plugin cache keyed by the pinned providers,
 * pinned actions, least privilege, secrets only on the steps that use them, the plan → review →
 * apply-the-same-plan flow in deploy order, drift issues, and a clean actionlint. The checks are
 * structural: they hold for whatever environments a team keeps in environments/.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing } from "cdktf";
import { parse } from "yaml";
import { buildApp } from "../../main";
import { flystack, projectCopy } from "../cli/harness";

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
  new RegExp(`${FLYSTACK} (with-secrets "\\$\\{stacks\\[@\\]\\}" -- )?${command ?? "(plan|apply|drift)"}\\b`).test(step.run ?? "");
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
/** Each workflow's `stacks` job: its batches (at most 32) and its synthesized artifact (and, in deploy.yml, the synthesis kept for pull requests). */
const STACKS_COMMANDS: Record<string, RegExp> = {
  "deploy.yml": /^stacks=\$\(bin\/flystack stacks --json --max-jobs 32 --save-cache \.flystack-cache\/synthesis --artifact synthesized\)\necho "stacks=\$stacks" >> "\$GITHUB_OUTPUT"\n/,
  "drift.yml": /^stacks=\$\(bin\/flystack stacks --json --max-jobs 32 --artifact synthesized\)\necho "stacks=\$stacks" >> "\$GITHUB_OUTPUT"\n/,
  // The stacks whose synthesized JSON differs from the base revision's, and a summary of the others.
  "plan.yml": /^stacks=\$\(bin\/flystack stacks --json --max-jobs 32 --changed-since "\$BASE_SHA" --base-cache \.flystack-cache\/synthesis --summary-out plans --artifact synthesized\)\necho "stacks=\$stacks" >> "\$GITHUB_OUTPUT"\n/,
};
/** plan.yml's artifact of the stacks not planned. */
const UNCHANGED_ARTIFACT = "flystack-unchanged";
/** The stacks job's synthesis (`--artifact synthesized`), which the plan and drift jobs plan from. */
const SYNTHESIZED_ARTIFACT = "flystack-synthesized";
/** The batches as a file (batches.json), for the jobs that read them all: a step's environment holds at most 128 KB. */
const BATCHES_ARTIFACT = "flystack-batches";
/** The artifacts of a run, not of a batch: their names start with "flystack-", which no batch's does. */
const RUN_ARTIFACTS = [UNCHANGED_ARTIFACT, SYNTHESIZED_ARTIFACT, BATCHES_ARTIFACT];
/** How a step gets its batch's stacks: the matrix entry's list, joined, then read into an array. */
const MATRIX_STACKS = "${{ join(matrix.stacks, ' ') }}";
const READ_STACKS = 'read -ra stacks <<< "$STACKS"';

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

  test.each(["plan.yml", "deploy.yml", "drift.yml"])("%s: a `stacks` job without environment or secrets emits `flystack stacks --json --max-jobs 32` as its output", (file) => {
    const job = workflows[file].jobs.stacks;
    expect(job.environment).toBeUndefined();
    expect(job.outputs).toMatchObject({ stacks: "${{ steps.stacks.outputs.stacks }}" });
    const step = job.steps.find((s) => s.id === "stacks")!;
    expect(step.run).toMatch(STACKS_COMMANDS[file]);
    expect(JSON.stringify(job)).not.toMatch(/secrets/);
    expect(stepIndex(job, (s) => /^npm ci\b/.test(s.run ?? ""))).toBeLessThan(job.steps.indexOf(step));
    expect(stepIndex(job, (s) => /^npm ci\b/.test(s.run ?? ""))).toBeGreaterThan(-1);
  });

  test("every flystack command of a matrix job takes its batch's stacks from the matrix (or, to apply, those the error budget allows), never a literal", () => {
    let checked = 0;
    for (const { file, job, step } of allSteps()) {
      if (!new RegExp(`${FLYSTACK} (with-secrets|plan|apply|drift|budget)\\b`).test(step.run ?? "")) continue;
      checked++;
      const at = `${file} ${job} ${step.name}`;
      const run = step.run ?? "";
      // Every stack argument is the array, quoted: "${stacks[@]}".
      expect({ at, run }).toEqual({ at, run: expect.stringMatching(/(plan|apply|drift|budget|with-secrets) "\$\{stacks\[@\]\}"/) });
      expect({ at, quoted: /\$STACK\b|\$\{?stacks\[@\]\}?(?!")/.test(run.replace(/"\$\{stacks\[@\]\}"/g, "")) }).toEqual({ at, quoted: false });
      if (/^mapfile -t stacks < allowed-stacks$/m.test(run)) {
        // The apply of an apply job: the stacks the budget step of the same job allowed.
        const budget = workflows[file].jobs[job].steps.find((s) => budgets(s))!;
        expect({ at, budget: budget.env?.STACKS, writes: budget.run }).toEqual({ at, budget: MATRIX_STACKS, writes: expect.stringContaining("--allowed-out allowed-stacks") });
        continue;
      }
      expect({ at, stacks: step.env?.STACKS, read: run.split("\n")[0] }).toEqual({ at, stacks: MATRIX_STACKS, read: READ_STACKS });
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });

  test("artifact names and concurrency groups are per batch, from the matrix (but the run's own flystack-* artifacts, which no batch's can equal)", () => {
    for (const { file, job, step } of allSteps()) {
      if (!usesAction(step, "actions/upload-artifact")) continue;
      const at = `${file} ${job}`;
      if (job === "stacks") {
        expect({ at, name: RUN_ARTIFACTS.includes(String(step.with?.name)) }).toEqual({ at, name: true });
        continue;
      }
      // "<word>-<batch>", never "flystack-<batch>".
      expect({ at, name: step.with?.name }).toEqual({ at, name: expect.stringMatching(/^(?!flystack-)[a-z]+-\$\{\{ matrix\.batch \}\}$/) });
    }
    for (const { file, id, job } of allJobs()) {
      if (job.concurrency === undefined) continue;
      const group = typeof job.concurrency === "string" ? job.concurrency : job.concurrency.group;
      expect({ at: `${file} ${id}`, group }).toEqual({ at: `${file} ${id}`, group: expect.stringMatching(/\$\{\{ matrix\.batch \}\}$/) });
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
    "plan.yml": { test: { contents: "read" }, stacks: { contents: "read" }, plan: { contents: "read" }, comment: { contents: "read", "pull-requests": "write" } },
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
      else if (budgets(step)) expect({ where, env: step.env }).toEqual({ where, env: { STACKS: MATRIX_STACKS, FLY_API_TOKEN: "${{ secrets.FLY_API_TOKEN }}" } });
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
      const applies = /(^|-- )apply\b/.test(oneLine(step.run));
      for (const name of CREDENTIALS) expect({ at, name, value: step.env?.[name] }).toEqual({ at, name, value: `\${{ secrets.${name} }}` });
      const secretEnv = Object.entries(step.env ?? {}).filter(([, v]) => secretRef.test(String(v))).map(([k]) => k).sort();
      if (applies) {
        expect({ at, run: oneLine(step.run) }).toEqual({ at, run: expect.stringMatching(new RegExp(`${FLYSTACK} with-secrets "\\$\\{stacks\\[@\\]\\}" -- apply `)) });
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

  test("every plan and drift uses a synthesis made without secrets (--skip-synth): the stacks job's artifact, or (rollback) a step of its own", () => {
    const planning = allSteps().filter(({ step }) => runsFlystack(step, "(plan|drift)"));
    expect(planning.length).toBeGreaterThanOrEqual(4);
    for (const { file, job: id, step } of planning) {
      const at = `${file} ${id}`;
      const job = workflows[file].jobs[id];
      expect({ at, run: oneLine(step.run) }).toEqual({ at, run: expect.stringContaining("--skip-synth") });
      const index = job.steps.indexOf(step);
      const download = stepIndex(job, (s) => usesAction(s, "actions/download-artifact") && s.with?.name === SYNTHESIZED_ARTIFACT);
      const synth = stepIndex(job, (s) => /^bin\/flystack stacks\b/.test(s.run ?? ""));
      if (id === "rollback") {
        // The rollback plans the last deployed commit: synthesized there, in a step without secrets.
        expect({ at, synthFirst: synth > -1 && synth < index, download }).toEqual({ at, synthFirst: true, download: -1 });
        expect(JSON.stringify(job.steps[synth].env ?? {})).not.toMatch(secretRef);
      } else {
        expect({ at, downloadFirst: download > -1 && download < index, synth }).toEqual({ at, downloadFirst: true, synth: -1 });
      }
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
  const testJob = () => plan().jobs.test;
  const commentJob = () => plan().jobs.comment;
  const planStep = () => job().steps.find((s) => runsFlystack(s, "plan"))!;
  const commentStep = () => commentJob().steps.find((s) => usesAction(s, "actions/github-script"))!;
  const gatherStep = () => commentJob().steps.find((s) => /bin\/flystack summarize\b/.test(s.run ?? ""))!;
  const FORK = "github.event.pull_request.head.repo.full_name == github.repository";

  test("runs on pull requests: the test job, the stacks job, one plan job per batch of changed stacks, then one comment job; never a fork's plans", () => {
    expect(Object.keys(plan().on)).toEqual(["pull_request"]);
    expect(needsOf(job())).toEqual(["stacks"]);
    expect(job().strategy?.matrix).toEqual({ include: "${{ fromJSON(needs.stacks.outputs.stacks) }}" });
    expect(stacksJob().if).toContain(FORK);
    expect(job().if).toContain(FORK);
    expect(commentJob().if).toContain(FORK);
  });

  test("the test suite runs once, in its own job without secrets or environment; no plan job runs it", () => {
    const tests = Object.entries(plan().jobs).filter(([, j]) => j.steps.some((s) => /^npm test\b/.test(s.run ?? "")));
    expect(tests.map(([id]) => id)).toEqual(["test"]);
    expect(testJob().strategy).toBeUndefined();
    expect(testJob().environment).toBeUndefined();
    expect(JSON.stringify(testJob())).not.toMatch(/secrets/);
    const order = [
      stepIndex(testJob(), (s) => usesAction(s, "actions/checkout")),
      stepIndex(testJob(), (s) => usesAction(s, "hashicorp/setup-terraform")),
      stepIndex(testJob(), (s) => /^npm ci\b/.test(s.run ?? "")),
      stepIndex(testJob(), (s) => s.run === "npm test -- --ci"),
    ];
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  test("stacks: the base revision is the merge commit's first parent; its synthesis comes from the cache keyed by its commit", () => {
    const base = stacksJob().steps.find((s) => s.id === "base")!;
    expect(base.run).toBe('echo "sha=$(git rev-parse HEAD^1)" >> "$GITHUB_OUTPUT"');
    expect(stacksJob().steps.find((s) => usesAction(s, "actions/checkout"))!.with?.["fetch-depth"]).toBe(2);
    const cache = stacksJob().steps.find((s) => usesAction(s, "actions/cache"))!;
    // The path is the one --base-cache names; the key is the one deploy.yml saves for each commit of main.
    expect(cache.with).toEqual({ path: ".flystack-cache/synthesis", key: "flystack-synthesis-${{ steps.base.outputs.sha }}" });
    const saved = deploy().jobs.stacks.steps.find((s) => usesAction(s, "actions/cache/save"))!;
    expect(saved.with).toEqual({ path: ".flystack-cache/synthesis", key: "flystack-synthesis-${{ github.sha }}" });
    const order = [stacksJob().steps.indexOf(base), stacksJob().steps.indexOf(cache), stepIndex(stacksJob(), (s) => s.id === "stacks")];
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  test("stacks: the matrix holds the batches of the stacks changed since the base revision; the others go to the comment job as flystack-unchanged, the synthesis to the plan jobs as flystack-synthesized", () => {
    const step = stacksJob().steps.find((s) => s.id === "stacks")!;
    expect(step.run).toMatch(STACKS_COMMANDS["plan.yml"]);
    // The base comes in through env, never interpolated into the script.
    expect(step.env).toEqual({ BASE_SHA: "${{ steps.base.outputs.sha }}" });
    expect(stacksJob().outputs).toEqual({ stacks: "${{ steps.stacks.outputs.stacks }}", base: "${{ steps.base.outputs.sha }}" });
    const uploads = stacksJob().steps.filter((s) => usesAction(s, "actions/upload-artifact"));
    expect(uploads.map((u) => u.with)).toEqual([
      expect.objectContaining({ name: BATCHES_ARTIFACT, path: "batches.json", "if-no-files-found": "error" }),
      expect.objectContaining({ name: UNCHANGED_ARTIFACT, path: "plans/summary.json", "if-no-files-found": "error" }),
      expect.objectContaining({ name: SYNTHESIZED_ARTIFACT, path: "synthesized/", "if-no-files-found": "error" }),
    ]);
    expect(step.run).toContain('echo "$stacks" > batches.json');
    for (const upload of uploads) expect(stacksJob().steps.indexOf(upload)).toBeGreaterThan(stacksJob().steps.indexOf(step));
  });

  test("plan: checkout, setup-node (npm cache), Terraform, npm ci, the stacks job's synthesis, the plugin cache, then the plan; no synthesis and no tests of its own", () => {
    const steps = job().steps;
    const order = [
      stepIndex(job(), (s) => usesAction(s, "actions/checkout")),
      stepIndex(job(), (s) => usesAction(s, "actions/setup-node") && s.with?.cache === "npm"),
      stepIndex(job(), (s) => usesAction(s, "hashicorp/setup-terraform")),
      stepIndex(job(), (s) => /^npm ci\b/.test(s.run ?? "")),
      stepIndex(job(), (s) => usesAction(s, "actions/download-artifact") && s.with?.name === SYNTHESIZED_ARTIFACT),
      stepIndex(job(), (s) => s.name === "Terraform plugin cache"),
      stepIndex(job(), (s) => usesAction(s, "actions/cache")),
      steps.indexOf(planStep()),
    ];
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(steps.some((s) => /^npm test\b|bin\/flystack stacks\b/.test(s.run ?? ""))).toBe(false);
  });

  test("stacks: the job summary lists the dashboards and panels the pull request changes", () => {
    const step = stacksJob().steps.find((s) => s.name === "Dashboards")!;
    expect(oneLine(step.run)).toBe('bin/flystack dashboards --changed-since "$BASE_SHA" >> "$GITHUB_STEP_SUMMARY"');
    expect(step.env).toEqual({ BASE_SHA: "${{ steps.base.outputs.sha }}" });
    expect(stepIndex(stacksJob(), (s) => /^npm ci\b/.test(s.run ?? ""))).toBeLessThan(stacksJob().steps.indexOf(step));
  });

  test("plans its batch (--parallel 8) from the downloaded synthesis, with the cost change against the base revision's synthesis of the same stacks", () => {
    expect(oneLine(planStep().run)).toBe(`${READ_STACKS} bin/flystack plan "\${stacks[@]}" --skip-synth --parallel 8 --out plans --cost-base "$BASE_SHA" --base-from base.out`);
    expect(planStep().env?.BASE_SHA).toBe("${{ needs.stacks.outputs.base }}");
    expect(planStep()["continue-on-error"]).toBeUndefined();
    // The download lands the artifact's cdktf.out/ and base.out/ in the checkout.
    expect(job().steps.find((s) => s.with?.name === SYNTHESIZED_ARTIFACT)!.with).toEqual({ name: SYNTHESIZED_ARTIFACT, path: "." });
  });

  test("uploads only the plan summaries per batch, even after a failure: never the saved plans, their JSON or cdktf.out", () => {
    const uploads = job().steps.filter((s) => usesAction(s, "actions/upload-artifact"));
    expect(uploads).toHaveLength(1);
    const [upload] = uploads;
    expect(upload.if).toBe("always()");
    expect(upload.with?.name).toBe("plan-${{ matrix.batch }}");
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

  test("comment: downloads flystack-unchanged and every plan-<batch>, and gathers them into one summary with the marker pr", () => {
    const downloads = commentJob().steps.filter((s) => usesAction(s, "actions/download-artifact"));
    expect(downloads.map((s) => s.with)).toEqual([
      { name: BATCHES_ARTIFACT, path: "batches" },
      { name: UNCHANGED_ARTIFACT, path: `gathered/${UNCHANGED_ARTIFACT}` },
      { pattern: "plan-*", path: "gathered" },
    ]);
    // "plan-*" never matches the run's own artifacts, and no batch's artifact is called flystack-<anything>.
    for (const name of RUN_ARTIFACTS) expect(name.startsWith("plan-")).toBe(false);
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
    // The batches come as a file (batches/batches.json), never through the environment.
    expect(step.env).toBeUndefined();
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

  test("each batch's plan credentials; never the environments that apply", () => {
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

  test("the synthesized artifact is only what --artifact wrote, in a stacks job that holds no secret and runs no Terraform", () => {
    const synthesized = uploads().filter(({ step }) => step.with?.name === SYNTHESIZED_ARTIFACT);
    expect(synthesized.map(({ file, job }) => `${file} ${job}`).sort()).toEqual(["deploy.yml stacks", "drift.yml stacks", "plan.yml stacks"]);
    for (const { file, job: id, step } of synthesized) {
      const job = workflows[file].jobs[id];
      expect(pathsOf(step)).toEqual(["synthesized/"]);
      expect(job.steps.find((s) => s.id === "stacks")!.run).toContain("--artifact synthesized");
      expect(JSON.stringify(job)).not.toMatch(/secrets/);
      expect(job.steps.some((s) => usesAction(s, "hashicorp/setup-terraform"))).toBe(false);
    }
  });

  test("pull-request workflows upload summaries, the batches and the synthesis only", () => {
    const pr = files.filter((f) => "pull_request" in workflows[f].on || "pull_request_target" in workflows[f].on);
    expect(pr).toContain("plan.yml");
    for (const { file, job, step } of uploads().filter((u) => pr.includes(u.file))) {
      if (step.with?.name === SYNTHESIZED_ARTIFACT) continue;
      if (step.with?.name === BATCHES_ARTIFACT) {
        expect(pathsOf(step)).toEqual(["batches.json"]);
        continue;
      }
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

describe("the Terraform plugin cache", () => {
  const CACHE_DIR = "${{ runner.temp }}/terraform-plugin-cache";
  const KEY = "terraform-providers-${{ runner.os }}-${{ runner.arch }}-${{ hashFiles('providers/versions.json', 'providers/terraform.lock.hcl') }}";

  test("every job that runs Terraform through flystack sets TF_PLUGIN_CACHE_DIR and restores the cache, keyed by the pinned providers and the lock file, before it", () => {
    const terraformJobs = allJobs().filter(({ job }) => job.steps.some((s) => runsFlystack(s)));
    expect(terraformJobs.map(({ file, id }) => `${file} ${id}`).sort()).toEqual([
      "deploy.yml apply-protected",
      "deploy.yml apply-unprotected",
      "deploy.yml plan",
      "deploy.yml rollback",
      "drift.yml drift",
      "plan.yml plan",
    ]);
    for (const { file, id, job } of terraformJobs) {
      const at = `${file} ${id}`;
      const setting = stepIndex(job, (s) => s.name === "Terraform plugin cache");
      expect({ at, run: job.steps[setting]?.run }).toEqual({
        at,
        run: 'echo "TF_PLUGIN_CACHE_DIR=$RUNNER_TEMP/terraform-plugin-cache" >> "$GITHUB_ENV"\nmkdir -p "$RUNNER_TEMP/terraform-plugin-cache"\n',
      });
      const cache = stepIndex(job, (s) => usesAction(s, "actions/cache"));
      expect({ at, with: job.steps[cache]?.with }).toEqual({ at, with: { path: CACHE_DIR, key: KEY } });
      const first = stepIndex(job, (s) => runsFlystack(s));
      expect({ at, order: setting > -1 && setting < cache && cache < first }).toEqual({ at, order: true });
    }
  });

  test("the key names files that exist and pin the providers; nothing lets Terraform use a cached provider the lock file does not vouch for", () => {
    const versions = JSON.parse(fs.readFileSync(path.join(root, "providers", "versions.json"), "utf8")) as Record<string, { version?: string }>;
    expect(Object.values(versions).filter((p) => typeof p === "object" && p.version).length).toBeGreaterThan(0);
    for (const file of files) expect({ file, breaks: /TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE/.test(raw[file]) }).toEqual({ file, breaks: false });
  });
});

describe("GitHub's 256 jobs per matrix, for any number of stacks", () => {
  /** A cdktf.out of `perEnvironment` stacks in each environment (protected ones last), as the stacks job lists them. */
  function fixtureOut(dir: string, environments: readonly { name: string; protected: boolean; stacks: number }[]): void {
    const manifest: Record<string, unknown> = {};
    for (const env of environments) {
      for (let i = 0; i < env.stacks; i++) {
        const name = `${env.name}_app${i}`;
        fs.mkdirSync(path.join(dir, "cdktf.out", "stacks", name), { recursive: true });
        fs.writeFileSync(
          path.join(dir, "cdktf.out", "stacks", name, "cdk.tf.json"),
          JSON.stringify({ "//": { flystack: { environment: env.name, protected: env.protected, app: `app${i}` } }, variable: { [`app${i}_DATABASE_URL`]: { type: "string", sensitive: true, ephemeral: true } } }),
        );
        manifest[name] = { name, workingDirectory: `stacks/${name}`, dependencies: [] };
      }
    }
    fs.writeFileSync(path.join(dir, "cdktf.out", "manifest.json"), JSON.stringify({ version: "0.21.0", stacks: manifest }));
  }

  test("10,000 stacks: every matrix of plan.yml, deploy.yml and drift.yml stays within 256 jobs, and the stacks output within a job's 1 MB", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-matrix-"));
    try {
      fixtureOut(dir, [
        { name: "customers", protected: false, stacks: 9_000 },
        { name: "staging", protected: false, stacks: 1 },
        { name: "enterprise", protected: true, stacks: 999 },
      ]);
      for (const file of ["plan.yml", "deploy.yml", "drift.yml"]) {
        // The stacks job's own flystack options for the batches (the others concern synthesis).
        const command = workflows[file].jobs.stacks.steps.find((s) => s.id === "stacks")!.run!;
        const maxJobs = /--max-jobs (\d+)/.exec(command)![1];
        const { code, stdout: out } = await flystack(dir, ["stacks", "--json", "--skip-synth", "--max-jobs", maxJobs]);
        expect({ file, code }).toEqual({ file, code: 0 });
        expect(Buffer.byteLength(out)).toBeLessThan(1_000_000);
        const batches = JSON.parse(out) as { batch: string; environment: string; protected: boolean; stacks: string[] }[];
        expect({ file, jobs: batches.length }).toEqual({ file, jobs: 32 });
        expect(batches.flatMap((b) => b.stacks)).toHaveLength(10_000);
        // Every job whose matrix is the stacks output: as many jobs as batches.
        for (const [id, job] of Object.entries(workflows[file].jobs)) {
          if (job.strategy?.matrix?.include === "${{ fromJSON(needs.stacks.outputs.stacks) }}") expect({ file, id, jobs: batches.length }).toEqual({ file, id, jobs: 32 });
        }
        if (file !== "deploy.yml") continue;
        // deploy.yml: every stack planned with changes; the changes job's matrices are batches too.
        fs.rmSync(path.join(dir, "planned"), { recursive: true, force: true });
        fs.mkdirSync(path.join(dir, "planned"));
        for (const b of batches) fs.writeFileSync(path.join(dir, "planned", `${b.batch}.json`), JSON.stringify({ batch: b.batch, stacks: Object.fromEntries(b.stacks.map((st) => [st, "changes"])) }));
        fs.writeFileSync(path.join(dir, "batches.json"), out);
        const gate = runStep(deploy().jobs.changes.steps.find((s) => s.id === "changes")!, dir, {});
        expect(gate.status).toBe(0);
        for (const output of ["unprotected", "protected", "sign"]) {
          const entries = JSON.parse(gate.outputs[output]) as unknown[];
          expect({ output, within: entries.length <= 256, bytes: Buffer.byteLength(gate.outputs[output]) < 1_000_000 }).toEqual({ output, within: true, bytes: true });
        }
        expect((JSON.parse(gate.outputs.sign) as unknown[]).length).toBe(32);
        // Every canary failed: the rollback matrix is one entry per environment.
        fs.mkdirSync(path.join(dir, "rollback"), { recursive: true });
        for (const b of batches) for (const stack of b.stacks) fs.writeFileSync(path.join(dir, "rollback", `${stack}.json`), JSON.stringify({ stack, environment: b.environment, protected: b.protected }));
        const rollback = runStep(deploy().jobs["rollback-stacks"].steps.find((s) => s.id === "stacks")!, dir, {});
        expect((JSON.parse(rollback.outputs.stacks) as { environment: string }[]).map((b) => b.environment).sort()).toEqual(["customers", "enterprise", "staging"]);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
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

  test("stacks: one synthesis, uploaded for the plan jobs and saved (never restored) for pull requests based on this commit", () => {
    const stacks = jobs().stacks;
    const step = stacks.steps.find((s) => s.id === "stacks")!;
    expect(step.run).toMatch(STACKS_COMMANDS["deploy.yml"]);
    const save = stacks.steps.find((s) => usesAction(s, "actions/cache/save"))!;
    expect(save.with).toEqual({ path: ".flystack-cache/synthesis", key: "flystack-synthesis-${{ github.sha }}" });
    expect(stacks.steps.indexOf(save)).toBeGreaterThan(stacks.steps.indexOf(step));
    // deploy.yml restores nothing another run wrote, but for the plugin cache, whose providers Terraform checks against the lock.
    for (const { job, step: s } of allSteps().filter((x) => x.file === "deploy.yml")) {
      if (usesAction(s, "actions/cache") || usesAction(s, "actions/cache/restore")) expect({ job, path: s.with?.path }).toEqual({ job, path: "${{ runner.temp }}/terraform-plugin-cache" });
    }
  });

  test("the tests run once, before any plan", () => {
    const tests = Object.entries(jobs()).filter(([, j]) => j.steps.some((s) => /^npm test\b/.test(s.run ?? "")));
    expect(tests.map(([id]) => id)).toEqual(["test"]);
    expect(needsOf(jobs().plan)).toContain("test");
  });

  test("plan: after the tests, every batch is planned in its -plan environment from the one synthesis, sealed to its environment's public key; uploads the bundle and summaries only", () => {
    const planJob = jobs().plan;
    expect(needsOf(planJob).sort()).toEqual(["stacks", "test"]);
    expect(planJob.strategy?.matrix).toEqual({ include: "${{ fromJSON(needs.stacks.outputs.stacks) }}" });
    expect(environmentName(planJob)).toBe(MATRIX_PLAN_ENVIRONMENT);
    const planSteps = planJob.steps.filter((s) => runsFlystack(s));
    expect(planSteps.map((s) => oneLine(s.run))).toEqual([
      `${READ_STACKS} bin/flystack plan "\${stacks[@]}" --skip-synth --parallel 8 --out plans --marker "$BATCH" --encrypt-to ".github/plan-keys/$ENVIRONMENT.pub.pem"`,
    ]);
    expect(planSteps[0].env).toMatchObject({ ENVIRONMENT: MATRIX_ENVIRONMENT, BATCH: "${{ matrix.batch }}" });
    expect(planJob.steps.find((s) => s.with?.name === SYNTHESIZED_ARTIFACT)!.with).toEqual({ name: SYNTHESIZED_ARTIFACT, path: "." });
    const upload = planJob.steps.find((s) => usesAction(s, "actions/upload-artifact") && String(s.with?.name).startsWith("plan-"))!;
    expect(upload.with?.name).toBe("plan-${{ matrix.batch }}");
    expect(upload.if).toBe("${{ !cancelled() }}");
    expect(String(upload.with?.path).trim().split("\n")).toEqual(["plans/plan-bundle.enc", "plans/summary.md", "plans/summary.json"]);
    expect(upload.with?.["if-no-files-found"]).toBe("error");
    // As short as the approval window needs (docs/runbook.md, "Artifacts").
    expect(upload.with?.["retention-days"]).toBe(3);
  });

  test("changes: after every plan, without environment, secrets, checkout or permissions, emits the batches to apply", () => {
    const gate = jobs().changes;
    expect(needsOf(gate).sort()).toEqual(["plan", "stacks"]);
    expect(gate.if).toContain("!cancelled()");
    expect(gate.environment).toBeUndefined();
    expect(gate.permissions).toEqual({});
    expect(JSON.stringify(gate)).not.toMatch(/secrets/);
    expect(stepIndex(gate, (s) => usesAction(s, "actions/checkout"))).toBe(-1);
    const downloads = gate.steps.filter((s) => usesAction(s, "actions/download-artifact")).map((s) => s.with);
    expect(downloads).toEqual([{ name: BATCHES_ARTIFACT, path: "." }, expect.objectContaining({ pattern: "planned-*", "merge-multiple": true })]);
    expect(Object.keys(gate.outputs ?? {}).sort()).toEqual(["protected", "sign", "unprotected"]);
  });

  test("sign: every batch to apply is signed in the plan-signing environment (branch main only), holding the signing key alone; the apply jobs verify it before opening the bundle", () => {
    const sign = jobs().sign;
    expect(needsOf(sign)).toEqual(["changes"]);
    expect(environmentName(sign)).toBe(SIGNING_ENVIRONMENT);
    expect(sign.strategy?.matrix).toEqual({ include: "${{ fromJSON(needs.changes.outputs.sign) }}" });
    const download = stepIndex(sign, (s) => usesAction(s, "actions/download-artifact"));
    expect(sign.steps[download].with).toEqual({ name: "plan-${{ matrix.batch }}", path: "plans" });
    const step = stepIndex(sign, signs);
    expect(oneLine(sign.steps[step].run)).toBe(SIGN_COMMAND);
    expect(step).toBeGreaterThan(download);
    // Only the signature leaves the job.
    const upload = sign.steps.find((s) => usesAction(s, "actions/upload-artifact"))!;
    expect(upload.with).toMatchObject({ name: "signature-${{ matrix.batch }}", path: "plans/plan-bundle.enc.sig", "if-no-files-found": "error" });
    expect(sign.steps.filter((s) => runsFlystack(s))).toEqual([]);
    for (const id of APPLY_JOBS) {
      const apply = jobs()[id];
      expect(needsOf(apply)).toContain("sign");
      expect(String(apply.if)).toContain("needs.sign.result == 'success'");
      const signature = stepIndex(apply, (s) => usesAction(s, "actions/download-artifact") && s.with?.name === "signature-${{ matrix.batch }}");
      expect(signature).toBeGreaterThan(-1);
      expect(apply.steps[signature].with?.path).toBe("plans");
      expect(signature).toBeLessThan(stepIndex(apply, unseals));
    }
  });

  test.each(APPLY_JOBS)("%s: applies exactly its plan job's artifact in the batch's environment (--parallel 8), and never plans or synthesizes", (id) => {
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
    expect(oneLine(applySteps[0].run)).toMatch(/^mapfile -t stacks < allowed-stacks .* exec bin\/flystack with-secrets "\$\{stacks\[@\]\}" -- apply --plans plans --parallel 8 "\$\{stacks\[@\]\}"$/);
    expect(apply.steps.indexOf(applySteps[0])).toBeGreaterThan(unseal);
    expect(applySteps[0].env?.[PLAN_KEY]).toBeUndefined();
    for (const step of apply.steps) for (const re of FORBIDDEN_IN_APPLY) expect(step.run ?? "").not.toMatch(re);
    // flyctl for the release hooks, installed with Fly's action before the apply
    const flyctl = stepIndex(apply, (s) => usesAction(s, "superfly/flyctl-actions/setup-flyctl"));
    expect(flyctl).toBeGreaterThan(-1);
    expect(flyctl).toBeLessThan(apply.steps.indexOf(applySteps[0]));
  });

  test("protected batches are applied after the unprotected ones applied (or had nothing to apply), each after its environment's reviewers approve", () => {
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

  test.each(["plan", ...APPLY_JOBS, "rollback"])("%s: concurrency group deploy-<batch>, never cancelling in progress", (id) => {
    expect(jobs()[id].concurrency).toEqual({ group: "deploy-${{ matrix.batch }}", "cancel-in-progress": false });
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

  test.each(APPLY_JOBS)("%s: the error budget is checked after unsealing and before applying, into the job summary, holding back its own stacks only; failed canaries are marked for rollback", (id) => {
    const apply = jobs()[id];
    const budget = stepIndex(apply, budgets);
    expect(budget).toBeGreaterThan(stepIndex(apply, unseals));
    expect(budget).toBeLessThan(stepIndex(apply, (s) => runsFlystack(s, "apply")));
    expect(apply.steps[budget].run).toContain('bin/flystack budget "${stacks[@]}" --allowed-out allowed-stacks > budget.md || status=$?');
    expect(apply.steps[budget].run).toContain('cat budget.md >> "$GITHUB_STEP_SUMMARY"');
    // The job still fails when the budget held a stack back, after the others were applied.
    const held = apply.steps.find((s) => s.name === "Stacks held back by their error budget")!;
    expect(held.if).toBe("${{ !cancelled() && steps.budget.outputs.held == 'true' }}");
    expect(apply.steps.indexOf(held)).toBeGreaterThan(stepIndex(apply, (s) => runsFlystack(s, "apply")));
    const mark = apply.steps.find((s) => s.name === "Mark failed canaries for rollback")!;
    expect(mark.if).toBe("failure()");
    const upload = apply.steps.find((s) => s.with?.name === "rollback-${{ matrix.batch }}")!;
    expect(upload).toMatchObject({ if: "failure()", with: { path: "rollback/", "if-no-files-found": "ignore" } });
  });

  test("rollback: after the applies, each environment's stacks whose canary failed are planned and applied at its last deployed commit, with the same checks", () => {
    const list = jobs()["rollback-stacks"];
    expect(needsOf(list).sort()).toEqual(["apply-protected", "apply-unprotected"]);
    expect(list.permissions).toEqual({});
    expect(JSON.stringify(list)).not.toMatch(/secrets\./);
    const rollback = jobs().rollback;
    expect(needsOf(rollback)).toEqual(["rollback-stacks"]);
    expect(rollback.strategy?.matrix).toEqual({ include: "${{ fromJSON(needs.rollback-stacks.outputs.stacks) }}" });
    const order = ["Last deployed commit", "Synthesize", "Plan at the last deployed commit", "Apply the rollback"].map((name) => stepIndex(rollback, (s) => s.name === name));
    expect(order.every((at, i) => at > -1 && (i === 0 || at > order[i - 1]))).toBe(true);
    expect(rollback.steps[order[0]].run).toContain('git checkout --quiet "$sha"');
    expect(oneLine(rollback.steps[order[2]].run)).toBe(`${READ_STACKS} bin/flystack plan "\${stacks[@]}" --skip-synth --parallel 8 --out rollback-plans --marker "$BATCH"`);
    expect(oneLine(rollback.steps[order[3]].run)).toBe(`${READ_STACKS} exec bin/flystack with-secrets "\${stacks[@]}" -- apply --plans rollback-plans --parallel 8 "\${stacks[@]}"`);
    const checkout = rollback.steps.find((s) => usesAction(s, "actions/checkout"))!;
    expect(checkout.with?.["fetch-depth"]).toBe(0);
  });

  describe("the scripts that decide what is applied, run on fixture batches", () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-deploy-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const anythingToApply = () => jobs().plan.steps.find((s) => s.name === "Anything to apply?")!;
    const gateStep = () => jobs().changes.steps.find((s) => s.id === "changes")!;
    const planned = (batch: string) => JSON.parse(fs.readFileSync(path.join(dir, "planned", `${batch}.json`), "utf8")) as { batch: string; stacks: Record<string, string> };

    test("plan: each stack's outcome from the summary into planned/<batch>.json; a stack missing from it failed; an unreadable summary counts by the plan step's outcome", () => {
      fs.mkdirSync(path.join(dir, "plans"));
      fs.writeFileSync(path.join(dir, "plans", "summary.json"), JSON.stringify({ stacks: [{ stack: "blue_a", status: "no-changes" }, { stack: "blue_b", status: "changes" }, { stack: "blue_c", status: "failed" }] }));
      expect(runStep(anythingToApply(), dir, { STACKS: "blue_a blue_b blue_c blue_d", BATCH: "blue-1", PLAN_OUTCOME: "failure" }).status).toBe(0);
      expect(planned("blue-1")).toEqual({ batch: "blue-1", stacks: { blue_a: "no-changes", blue_b: "changes", blue_c: "failed", blue_d: "failed" } });
      fs.rmSync(path.join(dir, "plans"), { recursive: true });
      const unreadable = runStep(anythingToApply(), dir, { STACKS: "blue_a blue_b", BATCH: "blue-1", PLAN_OUTCOME: "success" });
      expect(unreadable.stdout).toContain("::warning::could not read plans/summary.json");
      expect(planned("blue-1").stacks).toEqual({ blue_a: "changes", blue_b: "changes" });
      runStep(anythingToApply(), dir, { STACKS: "blue_a", BATCH: "blue-1", PLAN_OUTCOME: "failure" });
      expect(planned("blue-1").stacks).toEqual({ blue_a: "failed" });
      // the planned-<batch> artifact carries it to the changes job, also after a failed plan step
      const upload = jobs().plan.steps.find((s) => s.with?.name === "planned-${{ matrix.batch }}")!;
      expect(upload).toMatchObject({ if: "${{ !cancelled() }}", with: { path: "planned/" } });
      expect(anythingToApply().if).toBe("${{ !cancelled() }}");
    });

    const BATCHES = [
      { batch: "blue-1", environment: "blue", protected: false, stacks: ["blue_a", "blue_b"] },
      { batch: "teal-1", environment: "teal", protected: false, stacks: ["teal"] },
      { batch: "green-1", environment: "green", protected: true, stacks: ["green_a", "green_b"] },
    ];
    const gate = (results: Record<string, Record<string, string>>) => {
      fs.mkdirSync(path.join(dir, "planned"), { recursive: true });
      for (const [batch, stacks] of Object.entries(results)) fs.writeFileSync(path.join(dir, "planned", `${batch}.json`), JSON.stringify({ batch, stacks }));
      fs.writeFileSync(path.join(dir, "batches.json"), JSON.stringify(BATCHES));
      const result = runStep(gateStep(), dir, {});
      expect(result.status).toBe(0);
      const read = (key: string) => JSON.parse(result.outputs[key]) as { batch: string; stacks: string[] }[];
      return { unprotected: read("unprotected"), protected: read("protected"), sign: read("sign"), stdout: result.stdout };
    };

    test("changes: every stack planned with changes: the unprotected batches first, then the protected; each batch as planned, cut down to its stacks with changes", () => {
      const result = gate({ "blue-1": { blue_a: "changes", blue_b: "no-changes" }, "teal-1": { teal: "changes" }, "green-1": { green_a: "changes", green_b: "changes" } });
      expect(result.unprotected).toEqual([{ ...BATCHES[0], stacks: ["blue_a"] }, BATCHES[1]]);
      expect(result.protected).toEqual([BATCHES[2]]);
      expect(result.sign.map((b) => b.batch)).toEqual(["blue-1", "teal-1", "green-1"]);
    });

    test("changes: a batch without changes is not applied and, if protected, asks for no approval", () => {
      const result = gate({ "blue-1": { blue_a: "no-changes", blue_b: "no-changes" }, "teal-1": { teal: "changes" }, "green-1": { green_a: "no-changes", green_b: "no-changes" } });
      expect(result.unprotected.map((b) => b.batch)).toEqual(["teal-1"]);
      expect(result.protected).toEqual([]);
    });

    test("changes: a stack whose plan failed is not applied, and holds back every protected stack if it is unprotected", () => {
      const failed = gate({ "blue-1": { blue_a: "changes", blue_b: "failed" }, "teal-1": { teal: "changes" }, "green-1": { green_a: "changes", green_b: "changes" } });
      expect(failed.unprotected).toEqual([{ ...BATCHES[0], stacks: ["blue_a"] }, BATCHES[1]]);
      expect(failed.protected).toEqual([]);
      expect(failed.stdout).toContain("1 without a successful plan: blue_b");
      expect(failed.stdout).toContain("2 protected held back: blue_b did not plan");
      // A batch whose plan job never got as far as its results: all its stacks count as failed.
      fs.rmSync(path.join(dir, "planned"), { recursive: true });
      const missing = gate({ "blue-1": { blue_a: "changes", blue_b: "changes" }, "green-1": { green_a: "changes", green_b: "changes" } });
      expect(missing.stdout).toContain("::error::batch teal-1: no plan results");
      expect(missing.protected).toEqual([]);
    });

    test("apply: the stacks whose canary failed (plans/applied.json's last run) are written as rollback/<stack>.json; other failures are not", () => {
      const mark = jobs()["apply-unprotected"].steps.find((s) => s.name === "Mark failed canaries for rollback")!;
      fs.mkdirSync(path.join(dir, "plans"));
      const record = (runs: { stack: string; status: string }[][]) => fs.writeFileSync(path.join(dir, "plans", "applied.json"), JSON.stringify({ runs: runs.map((stacks) => ({ at: "2026-12-07T00:00:00Z", stacks })) }));
      record([[{ stack: "blue_a", status: "failed" }, { stack: "blue_b", status: "not attempted" }]]);
      expect(runStep(mark, dir, { ENVIRONMENT: "blue", PROTECTED: "false" }).status).toBe(0);
      expect(fs.readdirSync(path.join(dir, "rollback"))).toEqual([]);
      // An earlier run's canary failure is not this run's.
      record([[{ stack: "green_b", status: "canary failed" }], [{ stack: "green_a", status: "canary failed" }, { stack: "green_b", status: "applied" }]]);
      expect(runStep(mark, dir, { ENVIRONMENT: "green", PROTECTED: "true" }).status).toBe(0);
      expect(fs.readdirSync(path.join(dir, "rollback"))).toEqual(["green_a.json"]);
      expect(JSON.parse(fs.readFileSync(path.join(dir, "rollback", "green_a.json"), "utf8"))).toEqual({ stack: "green_a", environment: "green", protected: true });
      // No apply ran at all: nothing to roll back.
      fs.rmSync(path.join(dir, "plans", "applied.json"));
      fs.rmSync(path.join(dir, "rollback"), { recursive: true });
      expect(runStep(mark, dir, { ENVIRONMENT: "green", PROTECTED: "true" }).stdout).toContain("no canary failed");
    });

    test("rollback-stacks: the marked stacks as one batch per environment; none: an empty matrix", () => {
      const list = jobs()["rollback-stacks"].steps.find((s) => s.id === "stacks")!;
      fs.mkdirSync(path.join(dir, "rollback"));
      for (const [stack, environment, isProtected] of [["green_a", "green", true], ["blue_a", "blue", false], ["green_b", "green", true]] as const) {
        fs.writeFileSync(path.join(dir, "rollback", `${stack}.json`), JSON.stringify({ stack, environment, protected: isProtected }));
      }
      expect(JSON.parse(runStep(list, dir, {}).outputs.stacks)).toEqual([
        { batch: "blue-rollback", environment: "blue", protected: false, stacks: ["blue_a"] },
        { batch: "green-rollback", environment: "green", protected: true, stacks: ["green_a", "green_b"] },
      ]);
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

  });
});

describe("drift.yml", () => {
  const job = () => drift().jobs.drift;

  test("runs every 6 hours and on demand", () => {
    expect(drift().on.schedule).toEqual([{ cron: "0 */6 * * *" }]);
    expect(Object.keys(drift().on).sort()).toEqual(["schedule", "workflow_dispatch"]);
  });

  test("checks each batch (--parallel 8) in its -plan environment from the stacks job's synthesis, writing the Markdown report and the JSON", () => {
    expect(needsOf(job())).toEqual(["stacks"]);
    expect(job().strategy?.matrix).toEqual({ include: "${{ fromJSON(needs.stacks.outputs.stacks) }}" });
    const step = job().steps.find((s) => runsFlystack(s, "drift"))!;
    expect(step.id).toBe("drift");
    expect(step.run).toContain('bin/flystack drift "${stacks[@]}" --skip-synth --parallel 8 --require-audit --report "drift-$BATCH.md" --json > "drift-$BATCH.json"');
    // 0, 1 (some stack's check failed: the others' results stand) and 2 are reports; anything else fails at once.
    expect(step.run).toMatch(/\*\)[^\n]*exit 1/);
    expect(step.run).toContain('echo "report=true" >> "$GITHUB_OUTPUT"');
    expect(environmentName(job())).toBe(MATRIX_PLAN_ENVIRONMENT);
    const last = job().steps[job().steps.length - 1];
    expect(last).toMatchObject({ name: "Every stack checked", if: "${{ !cancelled() && steps.drift.outputs.exit-code == '1' }}" });
    expect(last.run).toContain("exit 1");
  });

  test("opens, updates or closes one issue per stack, whenever there is a report", () => {
    const step = job().steps.find((s) => usesAction(s, "actions/github-script"))!;
    expect(step.if).toBe("steps.drift.outputs.report == 'true'");
    expect(step.env?.BATCH).toBe("${{ matrix.batch }}");
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
    /** The stacks job's batches (one per stack here), as the comment job downloads them. */
    const matrix = (...stacks: string[]) => {
      fs.mkdirSync(path.join(dir, "batches"), { recursive: true });
      fs.writeFileSync(path.join(dir, "batches", "batches.json"), JSON.stringify(stacks.map((stack) => ({ batch: `${stack}-1`, environment: stack, protected: false, stacks: [stack] }))));
      return {};
    };
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
        fs.appendFileSync(path.join(project, ".gitignore"), "\nnode_modules\n/gathered/\ngithub-output\nstep-summary\n/.flystack-cache/\n/synthesized/\n");
        git("init", "-q");
        git("add", "-A");
        git("commit", "-q", "-m", "base");
        const base = spawnSync("git", ["rev-parse", "HEAD"], { cwd: project, encoding: "utf8" }).stdout.trim();
        const env = { HOME: os.homedir(), BASE_SHA: base };

        const stacksStep = plan().jobs.stacks.steps.find((s) => s.id === "stacks")!;
        const listed = runStep(stacksStep, project, env);
        expect({ status: listed.status, stderr: listed.status === 0 ? "" : listed.stderr }).toEqual({ status: 0, stderr: "" });
        expect(listed.outputs.stacks).toBe("[]");
        const skipped = (JSON.parse(fs.readFileSync(path.join(project, "plans", "summary.json"), "utf8")) as { skipped: { stack: string }[] }).skipped.map((s) => s.stack);
        expect(skipped.length).toBeGreaterThan(0);

        // The upload (plans/summary.json) and download (name → path) of flystack-unchanged; no plan job ran.
        const upload = plan().jobs.stacks.steps.find((s) => usesAction(s, "actions/upload-artifact") && s.with?.name === UNCHANGED_ARTIFACT)!;
        const download = plan().jobs.comment.steps.find((s) => s.with?.name === UNCHANGED_ARTIFACT)!;
        fs.mkdirSync(path.join(project, String(download.with?.path)), { recursive: true });
        fs.renameSync(path.join(project, String(upload.with?.path)), path.join(project, String(download.with?.path), "summary.json"));
        fs.rmSync(path.join(project, "plans"), { recursive: true });

        const gather = plan().jobs.comment.steps.find((s) => /bin\/flystack summarize\b/.test(s.run ?? ""))!;
        const gathered = runStep(gather, project, env);
        expect({ status: gathered.status, stderr: gathered.status === 0 ? "" : gathered.stderr }).toEqual({ status: 0, stderr: "" });

        // The batches' way: batches.json, uploaded by the stacks job, downloaded into batches/.
        const batchesDownload = plan().jobs.comment.steps.find((s) => s.with?.name === BATCHES_ARTIFACT)!;
        fs.mkdirSync(path.join(project, String(batchesDownload.with?.path)), { recursive: true });
        fs.renameSync(path.join(project, "batches.json"), path.join(project, String(batchesDownload.with?.path), "batches.json"));
        const { github, calls } = fakeGitHub({ comments: [] });
        await runScript(script(), {}, project, github, pr);
        expect(calls.map((c) => c.method)).toEqual(["createComment"]);
        const body = String(calls[0].params.body);
        expect(body.startsWith(`${MARKER}\n`)).toBe(true);
        expect(body).toContain(`${skipped.length} stack${skipped.length === 1 ? "" : "s"} not planned, unchanged since ${base}: ${skipped.map((s) => `\`${s}\``).join(", ")}.`);
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
    /** A batch's report: green's result (and, with `other`, teal's first). */
    const writeResult = (status: string, report = "## green: drift\n\nfly_machine.api_web_iad_1: image changed", other?: string) => {
      const stacks = [...(other ? [{ stack: "teal", status: other, drift: [], pending: [] }] : []), { stack: "green", status, drift: [], pending: [] }];
      fs.writeFileSync(path.join(dir, "drift-green-1.json"), JSON.stringify({ stacks }));
      fs.writeFileSync(path.join(dir, "drift-green-1.md"), `${other ? `## teal: ${other}\n\nteal's own section\n\n` : ""}${report}`);
    };
    const env = { BATCH: "green-1" };

    test("drift without an open issue: creates the label and ONE issue, with the stack's own section of the batch's report", async () => {
      writeResult("drift", undefined, "error");
      const { github, calls } = fakeGitHub({ issues: [{ number: 3, title: "Something else", body: "", pull_request: undefined }] });
      await runScript(script(), env, dir, github);
      expect(calls.map((c) => c.method)).toEqual(["getLabel", "createLabel", "create"]);
      const create = calls[2].params;
      expect(create.title).toBe("Drift detected: green");
      expect(create.labels).toEqual(["drift"]);
      expect(String(create.body)).toContain(marker);
      expect(String(create.body)).toContain("fly_machine.api_web_iad_1: image changed");
      // teal's check failed: its issue is left alone, and its section is not in green's.
      expect(String(create.body)).not.toContain("teal's own section");
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
      writeResult("drift", "## green: drift\n\nsomething new");
      const { github, calls } = fakeGitHub({ label: true, issues: [{ number: 5, title: "Drift detected: green", body: "older report", html_url: "u" }] });
      await runScript(script(), env, dir, github);
      expect(calls.map((c) => c.method)).toEqual(["getLabel", "update", "createComment"]);
    });

    test("clean again: comments and closes the open issue", async () => {
      writeResult("clean", "## green: no drift\n\nnothing changed");
      const { github, calls } = fakeGitHub({ label: true, issues: [{ number: 5, title: "Drift detected: green", body: `${marker}\nold`, html_url: "u" }] });
      await runScript(script(), env, dir, github);
      expect(calls.map((c) => c.method)).toEqual(["getLabel", "createComment", "update"]);
      expect(calls[2].params).toMatchObject({ issue_number: 5, state: "closed" });
    });

    test("clean without an issue, or an error: nothing is opened, changed or closed", async () => {
      for (const status of ["clean", "error"]) {
        writeResult(status, `## green: ${status}`);
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
