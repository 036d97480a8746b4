/**
 * `src/config/load.ts`: the environment files load and validate cleanly, and a broken
 * environment file becomes an issue instead of an exception.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { environmentFileNames, loadEnvironmentSources } from "../../src/config/load";
import { environmentIssues, validateEnvironments } from "../../src/config/validate";
import { ConfigValidationError, formatIssue } from "../../src/config/issue";

const ENVIRONMENTS = path.join(__dirname, "../../environments");

describe("the environments in environments/ (whatever a team keeps there)", () => {
  const names = environmentFileNames(ENVIRONMENTS).map((f) => path.basename(f, ".ts"));

  test("each file loads as the environment it names; `_` helpers are not environments", () => {
    const { sources, issues } = loadEnvironmentSources(ENVIRONMENTS);
    expect(issues).toEqual([]);
    expect(sources.map((s) => s.name)).toEqual(names);
    expect(names.length).toBeGreaterThan(0);
    expect(names.some((n) => n.startsWith("_"))).toBe(false);
  });

  test.each(names)("%s has no issue on its own", (name) => {
    const source = loadEnvironmentSources(ENVIRONMENTS).sources.find((s) => s.name === name);
    expect(source).toBeDefined();
    expect(environmentIssues(source!).issues.map(formatIssue)).toEqual([]);
  });

  test("validate together (including distinct app names, hostnames and DNS records across environments)", () => {
    const { sources, issues } = loadEnvironmentSources(ENVIRONMENTS);
    expect(validateEnvironments(sources, issues).map((c) => c.name)).toEqual(names);
  });
});

describe("loadEnvironmentSources on broken files", () => {
  let dir: string;

  const files: Record<string, string> = {
    "good.ts": 'const config: { name: string } = { name: "good" };\nexport default config;\n',
    "no-default.ts": "export const config: { name: string } = { name: \"no-default\" };\n",
    "default-undefined.ts": "export default undefined;\n",
    "throws.ts": 'throw new Error("boom while loading\\nsecond line of the error");\n',
    "throws-string.ts": 'throw "not an Error";\n',
    "syntax.ts": "export default {{{;\n",
    "_helper.ts": 'throw new Error("helpers must not be loaded as environments");\n',
    "types.d.ts": "export declare const x: number;\n",
    "README.md": "not an environment\n",
  };

  beforeAll(() => {
    // Requiring .ts files outside the project works: @swc/jest transforms any .ts path jest requires.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-load-test-"));
    for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("only <name>.ts files count as environments: no _helpers, .d.ts or other files", () => {
    expect(environmentFileNames(dir)).toEqual([
      "default-undefined.ts",
      "good.ts",
      "no-default.ts",
      "syntax.ts",
      "throws-string.ts",
      "throws.ts",
    ]);
  });

  test("returns the loadable file as a source and every broken one as an issue", () => {
    const { sources, issues } = loadEnvironmentSources(dir);
    expect(sources).toEqual([{ name: "good", value: { name: "good" } }]);
    // syntax.ts: TypeScript's two syntax errors, and the file is not loaded.
    expect(issues.map((i) => i.environment)).toEqual(["default-undefined", "no-default", "syntax", "syntax", "throws-string", "throws"]);
    expect(issues.every((i) => i.path === "")).toBe(true);
  });

  test("a file without a default export", () => {
    const issue = loadEnvironmentSources(dir).issues.find((i) => i.environment === "no-default");
    expect(issue && formatIssue(issue)).toBe("no-default: environments/no-default.ts has no default export; export default an EnvironmentConfig");
  });

  test("a file whose default export is undefined counts as having none", () => {
    const issue = loadEnvironmentSources(dir).issues.find((i) => i.environment === "default-undefined");
    expect(issue?.message).toBe("environments/default-undefined.ts has no default export; export default an EnvironmentConfig");
  });

  test("a file that throws on load: the first line of the error", () => {
    const issue = loadEnvironmentSources(dir).issues.find((i) => i.environment === "throws");
    expect(issue && formatIssue(issue)).toBe("throws: environments/throws.ts could not be loaded: boom while loading");
  });

  test("a file that throws something other than an Error", () => {
    const issue = loadEnvironmentSources(dir).issues.find((i) => i.environment === "throws-string");
    expect(issue?.message).toBe("environments/throws-string.ts could not be loaded: not an Error");
  });

  test("a file with a syntax error: where and why, from TypeScript (not \"Transform failed\")", () => {
    const issues = loadEnvironmentSources(dir).issues.filter((i) => i.environment === "syntax");
    expect(issues.map((i) => i.message)).toEqual([
      "environments/syntax.ts:1:17: Property assignment expected. (TS1136)",
      "environments/syntax.ts:2:1: '}' expected. (TS1005)",
    ]);
  });

  test("validateEnvironments reports the load issues with the loaded environments' problems", () => {
    const { sources, issues } = loadEnvironmentSources(dir);
    let error: unknown;
    try {
      validateEnvironments(sources, issues);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const reported = (error as ConfigValidationError).issues;
    // The load issues first, then the schema problems of good.ts (a config with only a name).
    expect(reported.slice(0, issues.length)).toEqual(issues);
    expect(reported.slice(issues.length).every((i) => i.environment === "good")).toBe(true);
    expect(reported.slice(issues.length).map((i) => i.path)).toEqual(expect.arrayContaining(["project", "fly", "dns", "state", "apps"]));
  });
});
