import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import { runCli } from "../../cli/main";
import type { CliContext } from "../../cli/command";
import { type ProcessRunner, SpawnRunner } from "../../src/process/runner";

/** Is a real terraform on PATH? With FLYSTACK_REQUIRE_TERRAFORM=1 (CI) its absence fails instead of skipping. */
export function terraformAvailable(): boolean {
  const found = spawnSync("terraform", ["version"], { encoding: "utf8" }).status === 0;
  if (!found && process.env.FLYSTACK_REQUIRE_TERRAFORM === "1") {
    throw new Error("FLYSTACK_REQUIRE_TERRAFORM=1 but no terraform on PATH");
  }
  if (!found) console.warn("SKIPPED: real-terraform CLI tests need terraform on PATH (set FLYSTACK_REQUIRE_TERRAFORM=1 to fail instead)");
  return found;
}

export interface TerraformBinary {
  /** `terraform` or `tofu`, for test names. */
  readonly name: string;
  /** What flystack is told to run (TERRAFORM_BINARY_NAME). */
  readonly binary: string;
}

/**
 * The real binaries to run the end-to-end tests against: terraform from PATH, and OpenTofu built by
 * scripts/install-tofu.sh (or $FLYSTACK_TOFU). With FLYSTACK_REQUIRE_TOFU=1 (.ci/run, after building
 * it) a missing tofu fails instead of skipping.
 */
export function realBinaries(): TerraformBinary[] {
  const found: TerraformBinary[] = terraformAvailable() ? [{ name: "terraform", binary: "terraform" }] : [];
  const tofu = process.env.FLYSTACK_TOFU ?? path.join(process.env.FLYSTACK_CACHE_DIR ?? path.join(os.homedir(), ".cache", "flystack"), "bin", "tofu");
  if (spawnSync(tofu, ["version"], { encoding: "utf8" }).status === 0) found.push({ name: "tofu", binary: tofu });
  else if (process.env.FLYSTACK_REQUIRE_TOFU === "1") throw new Error(`FLYSTACK_REQUIRE_TOFU=1 but ${tofu} does not run (scripts/install-tofu.sh builds it)`);
  else console.warn("SKIPPED: the OpenTofu end-to-end tests need tofu: run scripts/install-tofu.sh");
  return found;
}

/**
 * `describe.each` over the real binaries, but with none it registers one skipped suite whose name says
 * why, where jest would fail with "`.each` called with an empty Array".
 */
export function describeEachBinary(binaries: readonly TerraformBinary[], title: string, body: (binary: TerraformBinary) => void): void {
  if (binaries.length === 0) {
    describe.skip(`${title.replace("$name", "terraform/tofu")}: SKIPPED, no terraform or tofu to run (see the warning above)`, () => {
      test("needs terraform or tofu", () => undefined);
    });
    return;
  }
  describe.each(binaries)(title, (binary) => body(binary));
}

export interface TestStack {
  readonly name: string;
  /** terraform_data resources by name, with their input. */
  readonly data: Readonly<Record<string, string>>;
  readonly dependencies?: readonly string[];
  /** Seconds a local-exec provisioner sleeps while creating `slow` (holds the state lock). */
  readonly slowSeconds?: number;
  readonly flystack?: { environment: string; protected: boolean };
  readonly variables?: readonly string[];
}

/** A project folder holding cdktf.out in the layout cdktf writes, with local state beside it. */
export class TestProject {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-cli-"));

  constructor(stacks: readonly TestStack[]) {
    this.write(stacks);
  }

  write(stacks: readonly TestStack[]): void {
    const out = path.join(this.dir, "cdktf.out");
    const manifest: Record<string, unknown> = {};
    for (const stack of stacks) {
      const dir = path.join(out, "stacks", stack.name);
      fs.mkdirSync(dir, { recursive: true });
      const resources: Record<string, unknown> = {};
      for (const [name, input] of Object.entries(stack.data)) resources[name] = { input };
      if (stack.slowSeconds) {
        resources.slow = { input: "slow", provisioner: [{ "local-exec": { command: `sleep ${stack.slowSeconds}` } }] };
      }
      const json: Record<string, unknown> = {
        "//": stack.flystack ? { flystack: stack.flystack } : {},
        terraform: { backend: { local: { path: path.join(this.dir, "state", `${stack.name}.tfstate`) } } },
        resource: { terraform_data: resources },
      };
      if (stack.variables) {
        json.variable = Object.fromEntries(stack.variables.map((v) => [v, { type: "string", sensitive: true, ephemeral: true }]));
      }
      fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(json, null, 2));
      manifest[stack.name] = { name: stack.name, workingDirectory: `stacks/${stack.name}`, dependencies: stack.dependencies ?? [] };
    }
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, "manifest.json"), JSON.stringify({ version: "0.21.0", stacks: manifest }, null, 2));
  }

  /** Commits everything in the project folder (a git repository from the first call); returns the commit. */
  commitAll(message: string): string {
    const git = (...args: string[]) => {
      const result = spawnSync("git", ["-c", "user.name=flystack test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: this.dir, encoding: "utf8" });
      if (result.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${result.stderr}`);
      return result.stdout.trim();
    };
    if (!fs.existsSync(path.join(this.dir, ".git"))) {
      git("init", "-q");
      fs.writeFileSync(path.join(this.dir, ".gitignore"), "state/\nplans*/\n.terraform/\n");
    }
    git("add", "-A");
    git("commit", "-q", "--allow-empty", "-m", message);
    return git("rev-parse", "HEAD");
  }

  statePath(stack: string): string {
    return path.join(this.dir, "state", `${stack}.tfstate`);
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `flystack <args>` in-process with real processes (or the given runner) and captured output. */
export async function flystack(cwd: string, args: readonly string[], options: { env?: Record<string, string | undefined>; runner?: ProcessRunner } = {}): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c: Buffer) => (out += c.toString()));
  stderr.on("data", (c: Buffer) => (err += c.toString()));
  const ctx: CliContext = {
    cwd,
    env: { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null", CHECKPOINT_DISABLE: "1", ...options.env },
    stdout,
    stderr,
    runner: options.runner ?? new SpawnRunner(),
  };
  const code = await runCli(args, ctx);
  return { code, stdout: out, stderr: err };
}

const projectRoot = path.join(__dirname, "..", "..");

/**
 * A throwaway copy of this project (node_modules linked, not copied), so commands that synthesize or
 * write diagrams work on the copy and never touch this checkout. `editProduction` rewrites
 * environments/production.ts in the copy.
 */
export function projectCopy(editProduction?: (text: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-copy-"));
  for (const entry of ["main.ts", "environments", "src", "stacks", "constructs", "policies", "cli", "bin", ".gen", "providers", "docs", "package.json", "package-lock.json", "tsconfig.json", ".gitignore", "stateful-addresses.lock.json"]) {
    if (fs.existsSync(path.join(projectRoot, entry))) fs.cpSync(path.join(projectRoot, entry), path.join(dir, entry), { recursive: true });
  }
  // The tests' Terraform installs the provider double, whose packages a lock of the registry's would refuse.
  fs.rmSync(path.join(dir, "providers", "terraform.lock.hcl"), { force: true });
  fs.symlinkSync(path.join(projectRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
  if (editProduction) {
    const file = path.join(dir, "environments", "production.ts");
    fs.writeFileSync(file, editProduction(fs.readFileSync(file, "utf8")));
  }
  return dir;
}

/**
 * A throwaway copy of this project whose environments/ holds exactly `environments` (test-owned
 * fixtures, written as typed environment files), so a test never depends on the shipped examples.
 */
export function projectWithEnvironments(environments: readonly { readonly name: string }[]): string {
  const dir = projectCopy();
  const envDir = path.join(dir, "environments");
  for (const file of fs.readdirSync(envDir)) if (!file.startsWith("_")) fs.rmSync(path.join(envDir, file));
  for (const env of environments) writeEnvironmentFile(dir, env);
  fs.rmSync(path.join(dir, "docs", "diagrams"), { recursive: true, force: true });
  fs.rmSync(path.join(dir, "stateful-addresses.lock.json"), { force: true });
  return dir;
}

/** Writes `environments/<name>.ts` in a project folder: the config as a typed object literal. */
export function writeEnvironmentFile(project: string, env: { readonly name: string }): void {
  const text = `import type { EnvironmentConfig } from "../src/config/types";\n\nconst environment: EnvironmentConfig = ${JSON.stringify(env, null, 2)};\n\nexport default environment;\n`;
  fs.writeFileSync(path.join(project, "environments", `${env.name}.ts`), text);
}
