/**
 * `flystack new env` on a throwaway project copy: the file it writes validates with every other
 * environment and synthesizes (flystack preview) with app names, hostnames and state of its own;
 * each refusal writes nothing. Expectations come from what the source environment holds, never
 * from the shipped environments' particular content.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { flystack, projectCopy } from "./harness";
import { loadEnvironmentSources } from "../../src/config/load";
import { validateEnvironments } from "../../src/config/validate";
import type { EnvironmentConfig } from "../../src/config/types";

const NAME = "qa-new";

function environmentsOf(dir: string): EnvironmentConfig[] {
  const { sources, issues } = loadEnvironmentSources(path.join(dir, "environments"));
  return validateEnvironments(sources, issues);
}

// The monitoring app (when the environment sets one) is an app with a global Fly name too.
const appNames = (env: EnvironmentConfig) => [...Object.values(env.apps).map((a) => a.name), ...(env.monitoring ? [env.monitoring.name] : [])];
const hostnames = (env: EnvironmentConfig) => Object.values(env.apps).flatMap((a) => a.domains ?? []);
const listing = (dir: string) => fs.readdirSync(path.join(dir, "environments")).sort();

interface StackJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  terraform?: { backend?: unknown };
}

function stackJson(dir: string, name: string): StackJson {
  return JSON.parse(fs.readFileSync(path.join(dir, "cdktf.out", "stacks", name, "cdk.tf.json"), "utf8")) as StackJson;
}

const values = (json: StackJson, type: string, field: string) => Object.values(json.resource?.[type] ?? {}).map((r) => r[field] as string);

describe("flystack new env", () => {
  let dir: string;
  let before: EnvironmentConfig[];
  /** The source: an environment with custom hostnames if there is one, so hostnames are exercised. */
  let source: EnvironmentConfig;

  beforeAll(() => {
    dir = projectCopy();
    before = environmentsOf(dir);
    source = before.find((e) => hostnames(e).length > 0) ?? before[0];
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("--help describes the command", async () => {
    const result = await flystack(dir, ["new", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: flystack new env NAME --from SOURCE/);
    expect((await flystack(dir, ["--help"])).stdout).toMatch(/\n {2}new +Create a new environment file/);
  });

  describe("refuses, exit 1, writing nothing", () => {
    let files: string[];
    beforeAll(() => {
      files = listing(dir);
    });
    afterEach(() => {
      expect(listing(dir)).toEqual(files);
    });

    test("when NAME already exists", async () => {
      const existing = before[before.length - 1].name;
      const result = await flystack(dir, ["new", "env", existing, "--from", source.name]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`flystack new env: environment "${existing}" already exists (environments/${existing}.ts); choose another name, or edit that file\n`);
      expect(result.stdout).toBe("");
    });

    test.each(["QA", "qa_1", "_qa", "1qa", "-qa"])("when NAME %s is not a valid environment name", async (bad) => {
      const result = await flystack(dir, ["new", "env", bad, "--from", source.name]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`"${bad}" is not a valid environment name: it must start with a lowercase letter and hold only lowercase letters, digits and dashes`);
    });

    test("when SOURCE does not exist", async () => {
      const result = await flystack(dir, ["new", "env", NAME, "--from", "no-such-env"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `flystack new env: no environment "no-such-env" to copy (environments/no-such-env.ts does not exist); environments: ${before.map((e) => e.name).join(", ")}\n`,
      );
    });

    test("when the result would not validate (an invalid zone)", async () => {
      const result = await flystack(dir, ["new", "env", NAME, "--from", source.name, "--zone", "Not_A_Zone", "--cloudflare-zone-id", "xyz"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`the new environment "${NAME}" would not validate with the others, so nothing was written:`);
      expect(result.stderr).toContain(`  - ${NAME}: dns.zone: must be a lowercase domain such as example.com`);
      expect(result.stderr).toContain(`  - ${NAME}: dns.cloudflareZoneId: must be 32 lowercase hex characters`);
    });

    test("when the result would not validate (hostnames another environment holds)", async () => {
      if (hostnames(source).length === 0) return; // no environment has custom hostnames: nothing can clash
      // A first copy puts its hostnames under <base>.<zone>; a copy of it told to use the same label lands on them.
      const base = await flystack(dir, ["new", "env", "qa-base", "--from", source.name]);
      expect(base.code).toBe(0);
      try {
        const result = await flystack(dir, ["new", "env", NAME, "--from", "qa-base", "--subdomain", "qa-base"]);
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(`the new environment "${NAME}" would not validate with the others, so nothing was written:`);
        Object.entries(source.apps).forEach(([key, app]) =>
          (app.domains ?? []).forEach((_, i) =>
            expect(result.stderr).toMatch(
              new RegExp(`  - ${NAME}: apps\\.${key}\\.domains\\[${i}\\]: hostname "[^"]+" is also claimed by qa-base \\(apps\\.${key}\\.domains\\[${i}\\]\\); each environment needs its own hostnames\n`),
            ),
          ),
        );
        expect(fs.existsSync(path.join(dir, "environments", `${NAME}.ts`))).toBe(false);
      } finally {
        fs.rmSync(path.join(dir, "environments", "qa-base.ts"));
      }
    });

    test("when another environment is invalid: every problem is listed", async () => {
      fs.writeFileSync(path.join(dir, "environments", "zz-broken.ts"), 'export default { name: "zz-broken" };\n');
      try {
        const result = await flystack(dir, ["new", "env", NAME, "--from", source.name]);
        expect(result.code).toBe(1);
        expect(result.stderr).toContain("  - zz-broken: project:");
      } finally {
        fs.rmSync(path.join(dir, "environments", "zz-broken.ts"));
      }
    });

    test("on usage errors", async () => {
      for (const args of [
        ["new", "env", NAME],
        ["new", "app", NAME, "--from", source.name],
        ["new", "env", NAME, "--from", source.name, "--subdomain", "x", "--zone", "example.net", "--cloudflare-zone-id", "0".repeat(32)],
        ["new", "env", NAME, "--from", source.name, "--zone", "example.net"],
        ["new", "env", NAME, "--from", source.name, "--subdomain", "-bad-"],
      ]) {
        const result = await flystack(dir, args);
        expect({ args, code: result.code }).toEqual({ args, code: 1 });
        expect(result.stderr).toMatch(/^flystack new( env)?: /);
      }
    });
  });

  describe("writes environments/NAME.ts", () => {
    let written: { code: number; stdout: string; stderr: string };
    let created: EnvironmentConfig;

    beforeAll(async () => {
      written = await flystack(dir, ["new", "env", NAME, "--from", source.name]);
      created = environmentsOf(dir).find((e) => e.name === NAME)!;
    });

    afterAll(() => {
      fs.rmSync(path.join(dir, "environments", `${NAME}.ts`), { force: true });
    });

    test("prints what it wrote and the next step", () => {
      expect(written.code).toBe(0);
      expect(written.stdout).toContain(`wrote environments/${NAME}.ts (from ${source.name}; protected: false)`);
      for (const [from, to] of appNames(source).map((n, i) => [n, appNames(created)[i]])) expect(written.stdout).toMatch(new RegExp(`${from} +→ {2}${to}\n`));
      expect(written.stdout).toContain("bin/flystack preview");
    });

    test("a readable, typed file that validates with every other environment", () => {
      const text = fs.readFileSync(path.join(dir, "environments", `${NAME}.ts`), "utf8");
      expect(text).toMatch(new RegExp(`^/\\*\\*\\n \\* ${NAME}: generated from ${source.name} `));
      expect(text).toContain("This file is yours to edit.");
      expect(text).toContain('import type { EnvironmentConfig } from "../src/config/types";');
      expect(text).toContain(`: EnvironmentConfig = {\n  name: "${NAME}",\n`);
      expect(created).toBeDefined();
      const tsc = spawnSync(
        path.join(__dirname, "../../node_modules/.bin/tsc"),
        ["--noEmit", "--strict", "--target", "ES2022", "--module", "commonjs", "--moduleResolution", "node", "--esModuleInterop", "--skipLibCheck", "--types", "node", `environments/${NAME}.ts`],
        { cwd: dir, encoding: "utf8" },
      );
      expect(tsc.stdout + tsc.stderr).toBe("");
      expect(tsc.status).toBe(0);
    });

    test("its own name, app names and hostnames, unprotected; everything else is the source's", () => {
      expect(created.name).toBe(NAME);
      expect(created.protected).toBe(false);
      const others = before.flatMap(appNames);
      for (const name of appNames(created)) expect(others).not.toContain(name);
      const otherHosts = before.flatMap(hostnames);
      for (const host of hostnames(created)) {
        expect(otherHosts).not.toContain(host);
        // Default: --subdomain NAME, in the source's zone.
        expect(host === `${NAME}.${source.dns.zone}` || host.endsWith(`.${NAME}.${source.dns.zone}`)).toBe(true);
      }
      expect(hostnames(created)).toHaveLength(hostnames(source).length);
      expect(Object.keys(created.apps)).toEqual(Object.keys(source.apps));
      for (const key of Object.keys(source.apps)) expect(created.apps[key]!.groups).toEqual(source.apps[key]!.groups);
      const withoutNames = (env: EnvironmentConfig) => ({ ...env, protected: env.protected ?? false, apps: {}, ...(env.monitoring ? { monitoring: { ...env.monitoring, name: "" } } : {}) });
      expect({ ...withoutNames(created), name: source.name, protected: source.protected ?? false }).toEqual(withoutNames(source));
    });

    test("flystack preview synthesizes it with distinct app names, hostnames and state", async () => {
      const result = await flystack(dir, ["preview"]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`## ${NAME}\n`);
      const mine = stackJson(dir, NAME);
      expect(values(mine, "fly_app", "name").sort()).toEqual(appNames(created).sort());
      expect(values(mine, "fly_cert", "hostname").sort()).toEqual(hostnames(created).sort());
      for (const other of before) {
        const theirs = stackJson(dir, other.name);
        for (const name of values(mine, "fly_app", "name")) expect(values(theirs, "fly_app", "name")).not.toContain(name);
        for (const host of values(mine, "fly_cert", "hostname")) expect(values(theirs, "fly_cert", "hostname")).not.toContain(host);
        const records = (json: StackJson) => Object.values(json.resource?.cloudflare_dns_record ?? {}).map((r) => `${r.zone_id} ${r.name} ${r.type}`);
        for (const record of records(mine)) expect(records(theirs)).not.toContain(record);
        expect(JSON.stringify(mine.terraform?.backend)).not.toBe(JSON.stringify(theirs.terraform?.backend));
      }
      expect(JSON.stringify(mine.terraform?.backend)).toContain(`/${NAME}/`);
    });
  });
});
