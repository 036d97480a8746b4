/**
 * The Terraform plugin cache under flystack (cli/stack-init.ts), with real terraform and the
 * double's null provider served from a filesystem mirror owned by this test: the stacks of a run
 * share one dependency lock (the committed one when there is one), so the cache serves every stack
 * after the first; a cached provider that does not match the lock (a poisoned or corrupt cache
 * restored from elsewhere) is never run: Terraform installs from the origin instead; the setting that
 * would let Terraform skip that check is refused.
 */
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import versions from "../../providers/versions.json";
import { flystack, terraformAvailable, TestProject } from "./harness";

const platform = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;
const NULL = versions.null;
const providerPath = (root: string) => path.join(root, "registry.terraform.io", NULL.source, NULL.version, platform, `terraform-provider-null_v${NULL.version}`);
const doubleNull = providerPath(path.join(process.env.FLYSTACK_CACHE_DIR ?? path.join(os.homedir(), ".cache", "flystack"), "double-mirror"));
const ready = terraformAvailable() && fs.existsSync(doubleNull);
if (!ready) {
  if (process.env.FLYSTACK_REQUIRE_DOUBLE === "1") throw new Error(`FLYSTACK_REQUIRE_DOUBLE=1 but ${doubleNull} or terraform is missing`);
  console.warn(`SKIPPED: the plugin cache tests need terraform and the provider double's null provider (${doubleNull}): bash scripts/build-provider-double.sh`);
}
const maybe = ready ? describe : describe.skip;
jest.setTimeout(180_000);

const sha256 = (file: string) => createHash("sha256").update(fs.readFileSync(file, "latin1"), "latin1").digest("hex");

maybe("the Terraform plugin cache under flystack plan", () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-plugin-cache-"));
  const mirror = path.join(work, "mirror");
  const rc = path.join(work, "terraformrc");
  let project: TestProject;
  let cache = "";
  let lock = "";

  beforeAll(() => {
    // The test's own copy: nothing here may touch the shared double mirror.
    fs.mkdirSync(path.dirname(providerPath(mirror)), { recursive: true });
    fs.copyFileSync(doubleNull, providerPath(mirror));
    fs.chmodSync(providerPath(mirror), 0o755);
    fs.writeFileSync(rc, `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n  }\n}\n`);
    // The committed lock, as `npm run providers:lock` writes it (from this test's mirror, for this platform).
    const pins = path.join(work, "pins.json");
    fs.writeFileSync(pins, JSON.stringify({ null: NULL }));
    const locked = spawnSync("bash", [path.join(__dirname, "..", "..", "scripts", "providers-lock.sh")], {
      env: { ...process.env, FLYSTACK_PROVIDERS_JSON: pins, FLYSTACK_PROVIDERS_FS_MIRROR: mirror, FLYSTACK_LOCK_FILE: path.join(work, "terraform.lock.hcl"), FLYSTACK_LOCK_PLATFORMS: platform },
      encoding: "utf8",
    });
    if (locked.status !== 0) throw new Error(`providers-lock.sh failed: ${locked.stderr}`);
    expect(locked.stdout.trim().split("\n").pop()).toBe(path.join(work, "terraform.lock.hcl"));
    lock = fs.readFileSync(path.join(work, "terraform.lock.hcl"), "utf8");
    expect(lock).toContain(`provider "registry.terraform.io/${NULL.source}"`);
    expect(lock).toMatch(/"h1:[A-Za-z0-9+/=]+"/);
  });
  beforeEach(() => {
    project = new TestProject(["one", "two", "three"].map((name) => ({ name, data: { a: name } })));
    for (const name of ["one", "two", "three"]) fs.writeFileSync(path.join(project.dir, "cdktf.out", "stacks", name, "providers.tf.json"), JSON.stringify(requiredNull()));
    cache = fs.mkdtempSync(path.join(work, "cache-"));
  });
  afterEach(() => project.cleanup());
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  // Real terraform, its standard output also appended to a log: how each init got its provider.
  const log = () => path.join(work, `${path.basename(cache)}.log`);
  const plan = (env: Record<string, string> = {}) => {
    const wrapper = path.join(work, "terraform-logged");
    fs.writeFileSync(wrapper, `#!/bin/sh\nout=$(mktemp)\nterraform "$@" > "$out"\ncode=$?\ncat "$out" >> "$FLYSTACK_TEST_TF_LOG"\ncat "$out"\nrm -f "$out"\nexit $code\n`, { mode: 0o755 });
    return flystack(project.dir, ["plan", "--skip-synth", "--parallel", "3", "--terraform", wrapper], { env: { TF_CLI_CONFIG_FILE: rc, TF_PLUGIN_CACHE_DIR: cache, FLYSTACK_TEST_TF_LOG: log(), ...env } });
  };
  const inits = () => {
    const text = fs.existsSync(log()) ? fs.readFileSync(log(), "utf8") : "";
    return { origin: text.match(/- Installed hashicorp\/null v3\.2\.4/g)?.length ?? 0, cache: text.match(/- Using hashicorp\/null v3\.2\.4 from the shared cache directory/g)?.length ?? 0 };
  };
  const installed = (stack: string) => path.join(project.dir, "cdktf.out", "stacks", stack, ".terraform", "providers", "registry.terraform.io", NULL.source, NULL.version, platform);
  const stackLock = (stack: string) => fs.readFileSync(path.join(project.dir, "cdktf.out", "stacks", stack, ".terraform.lock.hcl"), "utf8");

  /** Puts a provider that is not the mirror's where the cache keeps null: a cache restored from a bad source. */
  function poisonCache(): void {
    const entry = providerPath(cache);
    fs.mkdirSync(path.dirname(entry), { recursive: true });
    fs.copyFileSync(providerPath(mirror), entry);
    fs.appendFileSync(entry, "not the provider the lock file vouches for");
  }

  test("one lock for the run: the first stack installs from the origin, the others from the cache", async () => {
    const { code, stderr } = await plan();
    expect(code).toBe(0);
    expect(stderr).toContain("is not safe for concurrent init: the stacks initialize one at a time");
    expect(stackLock("two")).toBe(stackLock("one"));
    expect(stackLock("three")).toBe(stackLock("one"));
    expect(inits()).toEqual({ origin: 1, cache: 2 });
    for (const stack of ["one", "two", "three"]) {
      // Each stack runs the cache's entry, which is the mirror's provider.
      expect(fs.readlinkSync(installed(stack))).toBe(path.dirname(providerPath(cache)));
      expect(sha256(path.join(installed(stack), path.basename(providerPath(mirror))))).toBe(sha256(providerPath(mirror)));
    }
  });

  test("a poisoned cache without a lock: never run; the first stack installs from the origin, which the others then get", async () => {
    poisonCache();
    const { code, stderr } = await plan();
    expect(stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(code).toBe(0);
    for (const stack of ["one", "two", "three"]) expect(sha256(path.join(installed(stack), path.basename(providerPath(mirror))))).toBe(sha256(providerPath(mirror)));
    expect(sha256(providerPath(cache))).toBe(sha256(providerPath(mirror)));
    expect(inits()).toEqual({ origin: 1, cache: 2 });
  });

  test("a poisoned cache with the committed lock: never run; Terraform installs from the origin and replaces the entry, which the others use", async () => {
    poisonCache();
    fs.mkdirSync(path.join(project.dir, "providers"), { recursive: true });
    fs.writeFileSync(path.join(project.dir, "providers", "terraform.lock.hcl"), lock);
    const { code } = await plan();
    expect(code).toBe(0);
    expect(inits()).toEqual({ origin: 1, cache: 2 });
    expect(sha256(providerPath(cache))).toBe(sha256(providerPath(mirror)));
    for (const stack of ["one", "two", "three"]) {
      // Every stack starts from the committed lock, and Terraform keeps it as it is.
      expect(stackLock(stack)).toBe(lock);
      expect(sha256(path.join(installed(stack), path.basename(providerPath(mirror))))).toBe(sha256(providerPath(mirror)));
    }
  });

  test("TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE is refused before anything runs", async () => {
    const { code, stderr } = await plan({ TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE: "1" });
    expect(code).toBe(1);
    expect(stderr).toContain("TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE is set: it lets Terraform install a cached provider that does not match the dependency lock file");
    expect(stderr).not.toContain("init");
    const applied = await flystack(project.dir, ["apply", "--plans", "plans"], { env: { TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE: "true" } });
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain("refused, nothing was applied: TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE is set");
  });
});

function requiredNull(): object {
  return { terraform: { required_providers: { null: { source: NULL.source, version: NULL.version } } }, resource: { null_resource: { marker: {} } } };
}
