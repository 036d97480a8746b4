/**
 * Type-checks a folder of environment files with the TypeScript compiler API, before they are loaded.
 *
 * Why: environments are loaded through tsx (esbuild) or SWC, which strip types without checking
 * them. A duplicated app key silently drops the first app, a wrong type reaches validation as a
 * confusing schema error (or not at all), an import of a missing module disappears when unused, and
 * a syntax error surfaces as "Transform failed with 1 error:". Checking first reports each of them
 * at `file:line:column` with tsc's own message, together with every other configuration problem.
 *
 * Only problems in files of the folder are reported (environments and the `_*.ts` helpers they
 * import): the project's own sources are `npm run typecheck`'s job. The checking options are the
 * ones tsconfig.json gives the environments (a test keeps them equal).
 *
 * Speed: a program of just the environment files (with the `src/config` types they import and
 * the ES2022 library, `skipLibCheck`) and no ambient `@types`, which holds for data-only
 * environments; only when that program reports a problem is it rebuilt with `@types/node` (what
 * `npm run typecheck` sees), so a file using Node's globals is never rejected wrongly. Results are
 * remembered by typecheck-cache.ts, so an unchanged folder costs no compiler at all.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as TS from "typescript";
import type { TypecheckResult, TypeProblem } from "./typecheck-result";

export type { TypecheckResult, TypeProblem } from "./typecheck-result";
import { cachedTypecheck } from "./typecheck-cache";

/** The checking options of tsconfig.json that apply to environment files (JSON form). */
export const ENVIRONMENT_COMPILER_OPTIONS = {
  target: "ES2022",
  module: "commonjs",
  moduleResolution: "node",
  lib: ["ES2022"],
  strict: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  esModuleInterop: true,
  resolveJsonModule: true,
  skipLibCheck: true,
  forceConsistentCasingInFileNames: true,
} as const;

export interface TypecheckOptions {
  /** Where clean results are remembered between runs (see typecheck-cache.ts); `false`: in memory only. */
  readonly cacheDir: string | false;
}

/**
 * Problems TypeScript reports in the environment files `files` (names in `directory`) and the files
 * of `directory` they import, remembered while none of the files read changes.
 */
export function typecheckEnvironments(directory: string, files: readonly string[], options: TypecheckOptions): Omit<TypecheckResult, "inputs"> {
  // Real paths: TypeScript resolves symbolic links, and problems are told apart by their path in the folder.
  const real = fs.realpathSync(directory);
  return cachedTypecheck(real, files, { typescript: typescriptVersion(), options: ENVIRONMENT_COMPILER_OPTIONS }, options.cacheDir, () => runTypecheck(real, files));
}

/** Read from its package.json: loading the compiler itself takes a third of a second. */
function typescriptVersion(): string {
  const manifest = JSON.parse(fs.readFileSync(require.resolve("typescript/package.json"), "utf8")) as { version: string };
  return manifest.version;
}

/** Type-checks the environment files `files` (names in `directory`) and the files they import. */
export function runTypecheck(directory: string, files: readonly string[]): TypecheckResult {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when a check runs (a cached result needs no compiler)
  const ts = require("typescript") as typeof TS;
  try {
    return checkFiles(ts, directory, files);
  } catch (error) {
    if (!isStackOverflow(error)) throw error;
    return withoutOverflowing(ts, directory, files);
  }
}

/** V8's "Maximum call stack size exceeded", from any realm. */
export function isStackOverflow(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === "RangeError" && /call stack/i.test(String((error as { message?: unknown }).message));
}

/**
 * TypeScript's checker recurses through nested literals: one nested thousands of levels deep overflows
 * the stack. Each file is then checked alone to name the ones that overflow (an environment importing
 * a helper that does is named too); the others are checked together as usual.
 */
function withoutOverflowing(ts: typeof TS, directory: string, files: readonly string[]): TypecheckResult {
  const overflowing = files.filter((file) => {
    try {
      checkFiles(ts, directory, [file]);
      return false;
    } catch (error) {
      if (!isStackOverflow(error)) throw error;
      return true;
    }
  });
  const rest = files.filter((file) => !overflowing.includes(file));
  const checked = rest.length > 0 ? checkFiles(ts, directory, rest) : { problems: [], blocked: [], inputs: [] };
  const problems: TypeProblem[] = overflowing.map((file) => ({
    file,
    line: 0,
    column: 0,
    code: 0,
    message: "too deeply nested for TypeScript's checker (Maximum call stack size exceeded), here or in a helper this file imports; an environment is data a few levels deep: flatten it",
  }));
  return { problems: [...problems, ...checked.problems], blocked: [...overflowing, ...checked.blocked], inputs: checked.inputs };
}

function checkFiles(ts: typeof TS, directory: string, files: readonly string[]): TypecheckResult {
  const quick = checkProgram(ts, directory, files, { types: [] });
  if (quick.problems.length === 0) return quick;
  const typeRoots = nodeTypeRoots();
  return typeRoots ? checkProgram(ts, directory, files, { types: ["node"], typeRoots }) : quick;
}

/** The `@types` folder holding `@types/node`, as installed beside this project; undefined without it. */
function nodeTypeRoots(): string[] | undefined {
  try {
    return [path.dirname(path.dirname(require.resolve("@types/node/package.json")))];
  } catch {
    return undefined;
  }
}

function checkProgram(ts: typeof TS, directory: string, files: readonly string[], types: { types: string[]; typeRoots?: string[] }): TypecheckResult {
  const converted = ts.convertCompilerOptionsFromJson({ ...ENVIRONMENT_COMPILER_OPTIONS, ...types, noEmit: true }, directory);
  const options = converted.options;
  const host = ts.createCompilerHost(options);
  // Who imports whom, to know which environments a broken helper breaks.
  const imports = new Map<string, string[]>();
  const resolutionCache = ts.createModuleResolutionCache(host.getCurrentDirectory(), (f) => host.getCanonicalFileName(f), options);
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, compilerOptions, containingSourceFile) =>
    literals.map((literal) => {
      const mode = ts.getModeForUsageLocation(containingSourceFile, literal, compilerOptions);
      const resolved = ts.resolveModuleName(literal.text, containingFile, compilerOptions, host, resolutionCache, redirected, mode);
      const target = resolved.resolvedModule?.resolvedFileName;
      if (target) imports.set(path.resolve(containingFile), [...(imports.get(path.resolve(containingFile)) ?? []), path.resolve(target)]);
      return resolved;
    });
  const program = ts.createProgram({ rootNames: files.map((f) => path.join(directory, f)), options, host });

  const problems: TypeProblem[] = [];
  const add = (diagnostic: TS.Diagnostic) => problems.push(toProblem(ts, directory, diagnostic));
  [...converted.errors, ...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()].forEach(add);
  for (const sourceFile of program.getSourceFiles()) {
    const relative = path.relative(directory, sourceFile.fileName);
    if (relative.startsWith("..") || path.isAbsolute(relative) || relative.split(path.sep).includes("node_modules")) continue;
    // Like tsc: a file's semantic problems only once it parses.
    const syntactic = program.getSyntacticDiagnostics(sourceFile);
    (syntactic.length > 0 ? syntactic : program.getSemanticDiagnostics(sourceFile)).forEach(add);
  }
  problems.sort((a, b) => (a.file === b.file ? a.line - b.line || a.column - b.column : a.file < b.file ? -1 : 1));

  const broken = new Set(problems.map((p) => p.file));
  const blocked = files.filter((file) => broken.has("") || importClosure(path.join(directory, file), imports).some((f) => broken.has(toRelative(directory, f))));
  const inputs = program.getSourceFiles().filter((f) => !program.isSourceFileDefaultLibrary(f)).map((f) => path.resolve(f.fileName));
  return { problems, blocked, inputs };
}

/** `file` and everything it imports, directly or not. */
function importClosure(file: string, imports: ReadonlyMap<string, readonly string[]>): string[] {
  const seen = new Set([path.resolve(file)]);
  for (const current of seen) for (const next of imports.get(current) ?? []) seen.add(next);
  return [...seen];
}

function toRelative(directory: string, file: string): string {
  return path.relative(directory, file).split(path.sep).join("/");
}

function toProblem(ts: typeof TS, directory: string, diagnostic: TS.Diagnostic): TypeProblem {
  // Chained messages ("Type … is not assignable … / Types of property … are incompatible") on one line.
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ").replace(/\s+/g, " ").trim();
  if (!diagnostic.file || diagnostic.start === undefined) {
    return { file: diagnostic.file ? toRelative(directory, diagnostic.file.fileName) : "", line: 0, column: 0, code: diagnostic.code, message };
  }
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return { file: toRelative(directory, diagnostic.file.fileName), line: line + 1, column: character + 1, code: diagnostic.code, message };
}
