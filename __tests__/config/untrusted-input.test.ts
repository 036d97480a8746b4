/**
 * Configuration values are untrusted input: every string is bounded, every regular expression on
 * them runs in linear time, keys that name JavaScript object internals are refused with their path,
 * messages quote values clipped to one line, and a file that throws is reported with its name.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import { environmentIssues } from "../../src/config/validate";
import { loadEnvironmentSources } from "../../src/config/load";
import { clip, formatIssue, quote } from "../../src/config/issue";
import { credentialShape, hasUrlPassword } from "../../policies/rules/fly007-no-credentials-in-env";
import { constantName } from "../../src/config/render-environment";
import { buildApp } from "../../main";
import { selectStacks, StackSelectionError } from "../../cli/stacks";
import { formattedIssuesOf, validEnvironment, web } from "./fixtures";

const MB = 1_000_000;

describe("length bounds", () => {
  test("a 1 MB env value is refused with the bound, fast", () => {
    const env = validEnvironment();
    web(env).env = { BIG: "x".repeat(MB) };
    const started = performance.now();
    const issues = formattedIssuesOf(env);
    const elapsed = performance.now() - started;
    expect(issues).toEqual(["staging: apps.api.groups.web.env.BIG: is 1000000 characters; at most 65536 characters (64 KiB) allowed"]);
    // Generous: it takes milliseconds; the quadratic paths this replaced took minutes.
    expect(elapsed).toBeLessThan(2000);
  });

  test("a 1 MB env value of digits (cdktf's slow case) is refused the same way, and a long run of digits is refused", () => {
    const env = validEnvironment();
    web(env).env = { BIG: "1".repeat(MB) };
    expect(formattedIssuesOf(env)).toEqual(["staging: apps.api.groups.web.env.BIG: is 1000000 characters; at most 65536 characters (64 KiB) allowed"]);
    web(env).env = { RUN: `v${"1".repeat(300)}` };
    expect(formattedIssuesOf(env)).toEqual([
      'staging: apps.api.groups.web.env.RUN: holds 300 digits, dots, dashes, plus signs or "|" in a row; at most 256 allowed (cdktf\'s synthesis slows down with the square of such a run)',
    ]);
    web(env).env = { OK: `${"1".repeat(256)}x`.repeat(200) };
    expect(formattedIssuesOf(env)).toEqual([]);
  });

  test.each([
    ["an image", (e: ReturnType<typeof validEnvironment>) => (web(e).image = `r/${"a".repeat(600)}:v1`), "apps.api.groups.web.image: is 605 characters; at most 512 characters allowed"],
    ["a command argument", (e: ReturnType<typeof validEnvironment>) => (web(e).command = ["a".repeat(5000)]), "apps.api.groups.web.command[0]: is 5000 characters; at most 4096 characters per argument allowed"],
    ["an env name", (e: ReturnType<typeof validEnvironment>) => (web(e).env = { ["A".repeat(300)]: "x" }), `apps.api.groups.web.env["${"A".repeat(80)}…"]: key "${"A".repeat(80)}…" is 300 characters; at most 255 characters allowed`],
    ["a secret version", (e: ReturnType<typeof validEnvironment>) => (e.apps.api.secrets = { X: { version: "9".repeat(65) } }), "apps.api.secrets.X.version: is 65 characters; at most 64 characters allowed"],
    ["a suppression reason", (e: ReturnType<typeof validEnvironment>) => (web(e).suppressions = [{ id: "FLY009", reason: "r".repeat(1001) }]), "apps.api.groups.web.suppressions[0].reason: is 1001 characters; at most 1000 characters allowed"],
  ])("%s", (_title, edit, expected) => {
    const env = validEnvironment();
    edit(env);
    expect(formattedIssuesOf(env)).toEqual([`staging: ${expected}`]);
  });
});

describe("the regular expressions that were quadratic finish fast on 1 MB adversarial input", () => {
  test("FLY007's URL-with-password check (was /[a-z][a-z0-9+.-]*:\\/\\/[^\\s:@/]+:[^\\s@/]+@/i)", () => {
    const started = performance.now();
    expect(credentialShape("z".repeat(MB))).toBeUndefined();
    expect(hasUrlPassword(`a://b:${"c".repeat(MB)}`)).toBe(false);
    expect(hasUrlPassword("a://".repeat(MB / 4))).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
    // Same answers as the expression on ordinary values.
    expect(credentialShape("postgres://app:hunter2@db.internal:5432/app")).toBe("a URL with a password (scheme://user:pass@host)");
    expect(hasUrlPassword("https://example.com/a:b@c")).toBe(false);
    expect(hasUrlPassword("redis://:pw@host")).toBe(false);
  });

  test("constantName (flystack new env; was /-+([a-z0-9])/g)", () => {
    const started = performance.now();
    expect(constantName(`a${"-".repeat(MB)}`)).toBe("a");
    expect(performance.now() - started).toBeLessThan(2000);
    expect(constantName("staging-eu")).toBe("stagingEu");
    expect(constantName("a--b-")).toBe("aB");
  });
});

describe("keys that name JavaScript object internals", () => {
  const define = (o: object, key: string, value: unknown) => Object.defineProperty(o, key, { value, enumerable: true, configurable: true, writable: true });
  const reserved = (key: string) => `key "${key}" is reserved: it names a built-in property of every JavaScript object; choose another name`;

  test.each(["constructor", "__proto__", "prototype", "toString", "hasOwnProperty", "valueOf"])("%s as an app, group, env, secret key", (key) => {
    const env = validEnvironment();
    define(env.apps, key, { name: "acme-other", groups: { web: web(validEnvironment()) } });
    define(env.apps.api.groups, key, web(validEnvironment()));
    web(env).env = {};
    define(web(env).env!, key, "x");
    env.apps.api.secrets = {};
    define(env.apps.api.secrets, key, { version: "1" });
    expect(formattedIssuesOf(env).sort()).toEqual([
      `staging: apps.${key}: ${reserved(key)}`,
      `staging: apps.api.groups.${key}: ${reserved(key)}`,
      `staging: apps.api.groups.web.env.${key}: ${reserved(key)}`,
      `staging: apps.api.secrets.${key}: ${reserved(key)}`,
    ].sort());
  });

  test("app key `constructor` used to crash synthesis without a path; now it is refused and nothing is built", () => {
    const env = validEnvironment();
    define(env.apps, "constructor", { name: "acme-other", groups: { web: web(validEnvironment()) } });
    expect(formattedIssuesOf(env)).toEqual([`staging: apps.constructor: ${reserved("constructor")}`]);
  });

  test("`__proto__` written in an object literal (it sets the prototype; the key is gone)", () => {
    const env = validEnvironment();
    env.apps = { ...env.apps, ...JSON.parse('{"__proto__": {}}') };
    const literal = { api: env.apps.api, __proto__: { other: env.apps.api } };
    env.apps = literal as unknown as typeof env.apps;
    expect(formattedIssuesOf(env)).toEqual([
      'staging: apps: is not a plain object (it has its own prototype, which a "__proto__" key in an object literal sets); write plain data',
    ]);
  });
});

describe("messages quote values clipped, on one line", () => {
  test("clip and quote", () => {
    expect(clip("a\nb\tc\u0007")).toBe("a\\nb\\tc\\u0007");
    expect(quote("x".repeat(100))).toBe(`"${"x".repeat(80)}…"`);
    expect(quote('say "hi"')).toBe('"say \\"hi\\""');
  });

  test("an unknown region of 1 MB with newlines", () => {
    const env = validEnvironment();
    web(env).regions = ["xx\nyy"];
    expect(formattedIssuesOf(env)[0]).toMatch(/^staging: apps\.api\.groups\.web\.regions\[0\]: unknown Fly region "xx\\nyy"; allowed: /);
    web(env).regions = [`x\n${"y".repeat(MB)}`];
    const [issue] = formattedIssuesOf(env);
    expect(issue).toBe("staging: apps.api.groups.web.regions[0]: is 1000002 characters; at most 16 characters allowed");
  });

  test("an unknown key is shown clipped", () => {
    const env = validEnvironment() as unknown as Record<string, unknown>;
    env[`k\n${"z".repeat(200)}`] = 1;
    expect(formattedIssuesOf(env)).toEqual([`staging: Unrecognized key: "k\\n${"z".repeat(78)}…"`]);
  });

  test("no message is longer than a few hundred characters or holds a newline", () => {
    const env = validEnvironment();
    web(env).image = `${"i\n".repeat(200)}:latest`;
    web(env).regions = ["q\nq"];
    env.apps.api.domains = [`a\n${"b".repeat(240)}`];
    for (const message of environmentIssues({ name: "staging", value: env }).issues.map(formatIssue)) {
      expect(message).not.toContain("\n");
      expect(message.length).toBeLessThan(400);
    }
  });
});

describe("loading: a throwing environment file, and no environment at all", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-untrusted-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("an exception at load time names environments/<file> and its message, clipped", () => {
    fs.writeFileSync(path.join(dir, "broken.ts"), `throw new Error("boom\\n${"x".repeat(1000)}");\nexport default {};\n`);
    fs.writeFileSync(path.join(dir, "weird.ts"), `throw Object.create(null);\n`);
    fs.writeFileSync(path.join(dir, "getter.ts"), `module.exports = { get default() { throw new Error("from a getter " + "y".repeat(1000)); } };\n`);
    const { issues } = loadEnvironmentSources(dir, { typecheck: false });
    const messages = issues.map(formatIssue);
    expect(messages).toEqual([
      "broken: environments/broken.ts could not be loaded: boom",
      "getter: environments/getter.ts could not be loaded: from a getter " + "y".repeat(300 - "from a getter ".length) + "…",
      "weird: environments/weird.ts could not be loaded: [object Object]",
    ]);
  });

  test("a value that throws while it is validated is an issue of its environment", () => {
    const env = validEnvironment();
    Object.defineProperty(env, "project", { enumerable: true, get: () => { throw new Error("nope"); } });
    expect(formattedIssuesOf(env)).toEqual(["staging: environments/staging.ts: reading its configuration failed: nope"]);
  });

  test("an empty environments folder is an error, not zero stacks", () => {
    expect(() => buildApp({ environmentsDir: dir, outdir: path.join(dir, "out") })).toThrow(/holds no environment file/);
  });

  test("selecting from no stacks is an error (flystack plan/drift/apply on an empty manifest)", () => {
    expect(() => selectStacks([], [])).toThrow(StackSelectionError);
    expect(() => selectStacks([], [])).toThrow("no stacks to run");
    expect(selectStacks([{ name: "staging", dir: "", dependencies: [] }], []).map((s) => s.name)).toEqual(["staging"]);
    void App;
  });
});
