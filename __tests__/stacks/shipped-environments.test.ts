/**
 * Invariants of whatever environments/ holds: they hold for the shipped examples and for any team's
 * own environments, so adding an app, a domain or an environment keeps them green. Behaviour is
 * tested elsewhere on fixtures the tests own.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
import { buildApp } from "../../main";
import versions from "../../providers/versions.json";
import { environmentFileNames } from "../../src/config/load";
import { diagramPages } from "../../cli/commands/diagram";
import { compareLock, describeDifferences, LOCK_FILE, lockOf, parseLock } from "../../src/features/lock/stateful-addresses";

interface StackJson {
  readonly terraform: { required_version: string; required_providers: Record<string, { source: string; version: string }>; backend: Record<string, Record<string, unknown>> };
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly variable?: Record<string, Record<string, unknown>>;
}

const root = path.join(__dirname, "..", "..");
const environmentsDir = path.join(root, "environments");
const built = buildApp({ environmentsDir });
const stacks = built.stacks.map((stack) => ({ name: stack.node.id, json: JSON.parse(Testing.synth(stack)) as StackJson }));
const environments = new Map(built.environments.map((e) => [e.name, e]));

describe("the environments in environments/", () => {
  test("one stack per environment file", () => {
    expect(stacks.map((s) => s.name).sort()).toEqual(environmentFileNames(environmentsDir).map((f) => path.basename(f, ".ts")).sort());
  });

  test.each(stacks.map((s) => [s.name, s] as const))("%s: Terraform >= 1.11 and every provider pinned from providers/versions.json", (_name, stack) => {
    expect(stack.json.terraform.required_version).toBe(">= 1.11.0");
    expect(stack.json.terraform.required_providers).toEqual({
      fly: { source: versions.fly.source, version: versions.fly.constraint },
      cloudflare: { source: versions.cloudflare.source, version: versions.cloudflare.constraint },
      null: { source: versions.null.source, version: versions.null.constraint },
    });
  });

  test.each(stacks.map((s) => [s.name, s] as const))("%s: S3 state is encrypted, locked and keyed by project and environment", (name, stack) => {
    const env = environments.get(name)!;
    if (env.state.backend !== "s3") return expect(stack.json.terraform.backend.s3).toBeUndefined();
    expect(stack.json.terraform.backend.s3).toMatchObject({ encrypt: true, use_lockfile: true, key: `${env.project}/${name}/${name}.tfstate` });
  });

  test.each(stacks.map((s) => [s.name, s] as const))("%s: apps and volumes carry prevent_destroy exactly when the environment is protected", (name, stack) => {
    const isProtected = environments.get(name)!.protected ?? false;
    for (const type of ["fly_app", "fly_volume"]) {
      for (const r of Object.values(stack.json.resource[type] ?? {})) {
        expect((r.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy ?? false).toBe(isProtected);
      }
    }
  });

  test.each(stacks.map((s) => [s.name, s] as const))("%s: no secret value anywhere: write-only secrets fed by sensitive, ephemeral variables without defaults", (_name, stack) => {
    for (const [name, variable] of Object.entries(stack.json.variable ?? {})) {
      expect({ name, ...variable }).toMatchObject({ name, sensitive: true, ephemeral: true });
      expect(variable).not.toHaveProperty("default");
    }
    for (const [name, secret] of Object.entries(stack.json.resource.fly_secret ?? {})) {
      expect(secret.value_wo).toBe(`\${var.${name}}`);
      expect(Object.keys(secret).filter((k) => k !== "//").sort()).toEqual(["app", "name", "value_wo", "value_wo_version"]);
    }
  });

  // Logical IDs of stateful resources are the keys of state: one that disappears destroys a live app,
  // volume, certificate, DNS record or secret. The committed lock makes every such change reviewed.
  test(`stateful addresses match ${LOCK_FILE} (else: review, then bin/flystack generate)`, () => {
    const lockPath = path.join(root, LOCK_FILE);
    const committed = fs.existsSync(lockPath) ? parseLock(fs.readFileSync(lockPath, "utf8")) : undefined;
    expect(committed ? describeDifferences(compareLock(committed, lockOf(stacks))) : [`${LOCK_FILE} is missing`]).toEqual([]);
  });

  test("docs/diagrams are current (else: bin/flystack generate)", () => {
    for (const [file, text] of diagramPages(stacks)) {
      const target = path.join(root, "docs", "diagrams", file);
      expect({ file, current: fs.existsSync(target) && fs.readFileSync(target, "utf8") === text }).toEqual({ file, current: true });
    }
  });
});
