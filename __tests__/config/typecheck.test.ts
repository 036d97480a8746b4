/**
 * Environment files are type-checked before they are loaded (src/config/typecheck.ts): every problem
 * TypeScript reports is a configuration issue at `environments/<file>:<line>:<column>`, and a file
 * with one is not loaded. Fixture folders are written to a temp dir, beside a link to this project's
 * src/ so they import the real `EnvironmentConfig`.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadEnvironmentSources } from "../../src/config/load";
import { ConfigValidationError, formatIssue } from "../../src/config/issue";
import { validateEnvironments } from "../../src/config/validate";
import { ENVIRONMENT_COMPILER_OPTIONS } from "../../src/config/typecheck";
import { cachedTypecheck } from "../../src/config/typecheck-cache";

const projectRoot = path.join(__dirname, "..", "..");

/** A valid environment file for `name`; `edit` changes its text. */
function environmentFile(name: string, edit: (text: string) => string = (t) => t): string {
  return edit(`import type { EnvironmentConfig } from "../src/config/types";

const config: EnvironmentConfig = {
  name: "${name}",
  project: "acme",
  fly: { org: "acme" },
  dns: { zone: "example.com", cloudflareZoneId: "3f2c9a7d1b8e4c6fa0d5e2b7c9f1a4d3" },
  state: { backend: "local" },
  apps: {
    api: {
      name: "acme-api-${name}",
      groups: {
        web: { image: "registry.fly.io/acme-api:v1.42.0", guest: { cpuKind: "shared", cpus: 1, memoryMb: 256 }, regions: ["iad"] },
      },
    },
  },
};

export default config;
`);
}

/** `line:column` (1-based) of the `occurrence`th `needle` in `text`. */
function at(text: string, needle: string, occurrence = 1): string {
  let index = -1;
  for (let i = 0; i < occurrence; i++) index = text.indexOf(needle, index + 1);
  if (index < 0) throw new Error(`${needle} not in fixture`);
  const before = text.slice(0, index).split("\n");
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

const temporary: string[] = [];

/** A project folder holding `environments/` with `files` (and `src` linked to this project's); returns environments/. */
function environmentsFolder(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-typecheck-"));
  temporary.push(root);
  fs.symlinkSync(path.join(projectRoot, "src"), path.join(root, "src"), "dir");
  const dir = path.join(root, "environments");
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

afterAll(() => {
  for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
});

describe("TypeScript problems in environment files", () => {
  const duplicate = environmentFile("duplicate", (t) => t.replace("  apps: {\n", '  apps: {\n    api: { name: "acme-api-first", groups: {} },\n'));
  const wrongType = environmentFile("wrong-type", (t) => t.replace("memoryMb: 256", 'memoryMb: "512"'));
  const missingModule = environmentFile("missing-module", (t) => `import { sizes } from "./_sizes";\n${t}`);
  const syntax = environmentFile("syntax", (t) => t.replace('project: "acme",', 'project: "acme"'));
  const brokenHelper = '/** A helper with a problem. */\nexport const region: number = "iad";\n';
  const usesHelper = environmentFile("uses-helper", (t) => `import { region } from "./_broken";\n${t.replace('regions: ["iad"]', "regions: [String(region)]")}`);
  let dir: string;
  let loaded: ReturnType<typeof loadEnvironmentSources>;

  beforeAll(() => {
    dir = environmentsFolder({
      "duplicate.ts": duplicate,
      "wrong-type.ts": wrongType,
      "missing-module.ts": missingModule,
      "syntax.ts": syntax,
      "_broken.ts": brokenHelper,
      "uses-helper.ts": usesHelper,
      "valid.ts": environmentFile("valid"),
    });
    loaded = loadEnvironmentSources(dir, { cacheDir: false });
  });

  const messagesOf = (environment: string) => loaded.issues.filter((i) => i.environment === environment).map((i) => i.message);

  test("a duplicated key (TS1117), at the second one", () => {
    expect(messagesOf("duplicate")).toEqual([
      `environments/duplicate.ts:${at(duplicate, "api: {", 2)}: An object literal cannot have multiple properties with the same name. (TS1117)`,
    ]);
  });

  test("a value of the wrong type for EnvironmentConfig (TS2322)", () => {
    expect(messagesOf("wrong-type")).toEqual([`environments/wrong-type.ts:${at(wrongType, "memoryMb")}: Type 'string' is not assignable to type 'number'. (TS2322)`]);
  });

  test("an (unused) import of a missing module (TS2307), and the unused import itself (TS6133)", () => {
    expect(messagesOf("missing-module")).toEqual([
      `environments/missing-module.ts:1:1: 'sizes' is declared but its value is never read. (TS6133)`,
      `environments/missing-module.ts:${at(missingModule, '"./_sizes"')}: Cannot find module './_sizes' or its corresponding type declarations. (TS2307)`,
    ]);
  });

  test("a syntax error: where and why, instead of esbuild's 'Transform failed'", () => {
    expect(messagesOf("syntax")).toEqual([`environments/syntax.ts:${at(syntax, "fly:")}: ',' expected. (TS1005)`]);
    expect(loaded.issues.map((i) => i.message).join("\n")).not.toContain("Transform failed");
  });

  test("a helper's problem is reported once, under the helper, and the environments importing it are not loaded", () => {
    expect(messagesOf("_broken")).toEqual([`environments/_broken.ts:2:14: Type 'string' is not assignable to type 'number'. (TS2322)`]);
    expect(messagesOf("uses-helper")).toEqual([]);
  });

  test("only the files without a problem are loaded; every problem is reported at once", () => {
    expect(loaded.sources.map((s) => s.name)).toEqual(["valid"]);
    let error: unknown;
    try {
      validateEnvironments(loaded.sources, loaded.issues);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const text = (error as ConfigValidationError).message;
    expect(text.split("\n")[0]).toBe("6 problems in the environment configuration:");
    expect(text).toContain(`  - duplicate: environments/duplicate.ts:${at(duplicate, "api: {", 2)}: An object literal cannot have multiple properties with the same name. (TS1117)`);
    expect(text).toContain("  - _broken: environments/_broken.ts:2:14: ");
  });

  test("a folder without problems: no issue, every environment loaded", () => {
    const valid = environmentsFolder({ "staging.ts": environmentFile("staging"), "production.ts": environmentFile("production") });
    const result = loadEnvironmentSources(valid, { cacheDir: false });
    expect(result.issues.map(formatIssue)).toEqual([]);
    expect(result.sources.map((s) => s.name)).toEqual(["production", "staging"]);
  });

  test("a file using Node's globals is checked with @types/node, as npm run typecheck does", () => {
    const nodeUsing = environmentsFolder({
      "staging.ts": environmentFile("staging", (t) => t.replace('project: "acme",', 'project: process.platform === "win32" ? "acme" : "acme",')),
      "broken.ts": 'const n: number = "x";\nexport default n;\n',
    });
    // broken.ts makes the quick check (no @types) fail, so the full one decides: staging.ts is fine.
    const result = loadEnvironmentSources(nodeUsing, { cacheDir: false });
    expect(result.issues.map(formatIssue)).toEqual(["broken: environments/broken.ts:1:7: Type 'string' is not assignable to type 'number'. (TS2322)"]);
    expect(result.sources.map((s) => s.name)).toEqual(["staging"]);
  });

  test("the shipped environments have no TypeScript problem", () => {
    expect(loadEnvironmentSources(path.join(projectRoot, "environments"), { cacheDir: false }).issues).toEqual([]);
  });

  test("the checking options are tsconfig.json's", () => {
    const tsconfig = JSON.parse(fs.readFileSync(path.join(projectRoot, "tsconfig.json"), "utf8")) as { compilerOptions: Record<string, unknown> };
    for (const [option, value] of Object.entries(ENVIRONMENT_COMPILER_OPTIONS)) expect([option, tsconfig.compilerOptions[option]]).toEqual([option, value]);
  });
});

describe("remembered results (typecheck-cache.ts)", () => {
  test("a clean result is reused from disk, also by a copy of the project, until a file it read changes", () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-typecheck-cache-"));
    temporary.push(cacheDir);
    const folder = () => {
      const dir = environmentsFolder({ "staging.ts": 'import { n } from "../shared/n";\nexport default n;\n' });
      fs.mkdirSync(path.join(dir, "..", "shared"));
      fs.writeFileSync(path.join(dir, "..", "shared", "n.ts"), "export const n = 1;\n");
      return dir;
    };
    let runs = 0;
    const check = (dir: string) =>
      cachedTypecheck(dir, ["staging.ts"], "key", cacheDir, () => {
        runs++;
        return { problems: [], blocked: [], inputs: [path.join(dir, "staging.ts"), path.join(dir, "..", "shared", "n.ts")] };
      });
    const first = folder();
    check(first);
    expect(runs).toBe(1);
    expect(fs.readdirSync(path.join(cacheDir, "typecheck"))).toHaveLength(1);
    check(folder());
    expect(runs).toBe(1);
    fs.writeFileSync(path.join(first, "..", "shared", "n.ts"), "export const n = 2;\n");
    check(first);
    expect(runs).toBe(2);
    fs.writeFileSync(path.join(first, "staging.ts"), "export default 3;\n");
    check(first);
    expect(runs).toBe(3);
  });

  test("a result with problems is not kept on disk (creating a missing file fixes it)", () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-typecheck-cache-"));
    temporary.push(cacheDir);
    const dir = environmentsFolder({ "staging.ts": 'export { n as default } from "./_missing";\n' });
    cachedTypecheck(dir, ["staging.ts"], "key", cacheDir, () => ({
      problems: [{ file: "staging.ts", line: 1, column: 30, code: 2307, message: "Cannot find module './_missing'" }],
      blocked: ["staging.ts"],
      inputs: [path.join(dir, "staging.ts")],
    }));
    expect(fs.existsSync(path.join(cacheDir, "typecheck"))).toBe(false);
  });
});
