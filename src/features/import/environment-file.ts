/**
 * Writes imported apps into `environments/<env>.ts`, shared by `flystack import fly-toml` and
 * `flystack import app`.
 *
 * An existing file keeps every byte its author wrote: each app is spliced in as a property of its
 * `apps` object literal, found with the TypeScript compiler API (never by text search, which
 * comments and strings would fool). A missing file is created from the project's other
 * environments: project, Fly organization, DNS zone and state backend are taken from the first
 * (sorted by name) environment file; with no environment to take them from, the import refuses
 * and says to write the environment first, as those four settings cannot be guessed.
 *
 * Nothing is kept that does not validate the way `flystack check` and synthesis validate: the new
 * configuration is validated (with every other environment, cross-environment rules included)
 * before writing, and after writing the file is type-checked and loaded again; on any problem the
 * original content is restored and an EnvironmentFileError lists every problem.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import type * as TS from "typescript";
import { DEFAULT_CACHE_DIR, environmentFileNames, loadEnvironmentSources } from "../../config/load";
import { ensureTypeScriptRequire } from "../../config/typescript-require";
import { type EnvironmentSource, validateEnvironments } from "../../config/validate";
import { typecheckEnvironments } from "../../config/typecheck";
import { type ConfigIssue, ConfigValidationError, formatIssue, quote } from "../../config/issue";
import { environmentNameProblem } from "../new-environment/new-environment";
import { renderConfigValue, renderEnvironmentFile, renderKey } from "../../config/render-environment";
import type { AppConfig, EnvironmentConfig } from "../../config/types";

export interface AppToAdd {
  readonly key: string;
  readonly app: AppConfig;
  /** One comment line written above the app's entry in an existing file. @default none */
  readonly comment?: string;
}

export interface AddAppsOptions {
  /** The opening comment of a file that is created, one string per line. */
  readonly header: readonly string[];
  /** @default `<cwd>/environments` */
  readonly environmentsDir?: string;
  /** Validate and render, but write nothing. @default false */
  readonly dryRun?: boolean;
}

export interface AddAppsResult {
  /** Absolute path of the environment file. */
  readonly file: string;
  /** Whether the file did not exist (and was, or would be, created). */
  readonly created: boolean;
  /** The file's whole new text. */
  readonly text: string;
}

/** Why nothing was written; `issues` when the result would not validate. */
export class EnvironmentFileError extends Error {
  constructor(
    message: string,
    readonly issues: readonly ConfigIssue[] = [],
  ) {
    super(issues.length === 0 ? message : `${message}\n${issues.map((i) => `  - ${formatIssue(i)}`).join("\n")}`);
    this.name = "EnvironmentFileError";
  }
}

/** Loaded lazily: typescript is a large module, and only writing needs it. */
function typescript(): typeof TS {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("typescript") as typeof TS;
}

function unwrap(ts: typeof TS, node: TS.Expression): TS.Expression {
  let current = node;
  while (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isSatisfiesExpression(current) || ts.isTypeAssertionExpression(current)) current = current.expression;
  return current;
}

/** The `apps: { … }` object literal of the file's default export, or why it cannot be found. */
export function findAppsLiteral(text: string, fileName: string): TS.ObjectLiteralExpression | string {
  const ts = typescript();
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const exported = source.statements.find(ts.isExportAssignment);
  if (!exported) return "it has no `export default`";
  let value = unwrap(ts, exported.expression);
  if (ts.isIdentifier(value)) {
    const name = value.text;
    const declaration = source.statements
      .filter(ts.isVariableStatement)
      .flatMap((s) => [...s.declarationList.declarations])
      .find((d) => ts.isIdentifier(d.name) && d.name.text === name);
    if (!declaration?.initializer) return `its default export ${name} is not a constant declared in the file`;
    value = unwrap(ts, declaration.initializer);
  }
  if (!ts.isObjectLiteralExpression(value)) return "its default export is not an object literal";
  const apps = value.properties.find((p): p is TS.PropertyAssignment => ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === "apps");
  if (!apps) return "its configuration has no `apps: { … }` property";
  const literal = unwrap(ts, apps.initializer);
  return ts.isObjectLiteralExpression(literal) ? literal : "its `apps` is not an object literal";
}

/** `text` with each app inserted as the last properties of its `apps` literal, in the file's indentation. */
export function spliceApps(text: string, fileName: string, apps: readonly AppToAdd[]): string {
  const literal = findAppsLiteral(text, fileName);
  if (typeof literal === "string") {
    throw new EnvironmentFileError(`cannot find where to add the app in ${fileName}: ${literal}; add the app by hand (--dry-run prints it)`);
  }
  const properties = literal.properties;
  const lineStart = (pos: number) => text.lastIndexOf("\n", pos - 1) + 1;
  const indentOf = (pos: number) => /^[ \t]*/.exec(text.slice(lineStart(pos)))![0];
  const closing = literal.getEnd() - 1;
  // The properties' indentation; in an empty `apps: {}`, one level deeper than the line holding it.
  const indent = properties.length > 0 ? indentOf(properties[0].getStart()) : `${indentOf(literal.getStart())}  `;
  const entries = apps.map(({ key, app, comment }) => {
    const prefix = `${indent}${renderKey(key)}: `;
    return `${comment ? `${indent}// ${comment}\n` : ""}${prefix}${renderConfigValue(app, indent.length, prefix.length)},`;
  });
  if (properties.length === 0) {
    return `${text.slice(0, literal.getStart() + 1)}\n${entries.join("\n")}\n${indentOf(literal.getStart())}${text.slice(closing)}`;
  }
  const last = properties[properties.length - 1];
  const hasComma = properties.hasTrailingComma;
  // A comma after the last property, then the entries after the rest of its line (a trailing comment stays there).
  const withComma = hasComma ? text : `${text.slice(0, last.getEnd())},${text.slice(last.getEnd())}`;
  const afterLast = hasComma ? text.indexOf(",", last.getEnd()) + 1 : last.getEnd() + 1;
  const close = closing + (hasComma ? 0 : 1);
  const lineEnd = withComma.indexOf("\n", afterLast);
  if (lineEnd !== -1 && lineEnd < close) return `${withComma.slice(0, lineEnd)}\n${entries.join("\n")}${withComma.slice(lineEnd)}`;
  // `apps: { a: {…} }` on one line: open it up.
  return `${withComma.slice(0, afterLast)}\n${entries.join("\n")}\n${indentOf(literal.getStart())}${withComma.slice(close)}`;
}

/** Import path of src/config/types from a file in `directory`, as the shipped files write it. */
function typesModuleFrom(cwd: string, directory: string): string {
  const relative = path.relative(directory, path.join(cwd, "src", "config", "types")).split(path.sep).join("/");
  return relative.startsWith(".") ? relative : `./${relative}`;
}

/**
 * Loads `text` as environment file `name` would load, from a sibling file of a name used once (the
 * module cache never serves an earlier version), and returns its default export.
 */
function loadAsSibling(directory: string, text: string): unknown {
  const scratch = path.join(directory, `_flystack-import-check-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.ts`);
  fs.writeFileSync(scratch, text, { flag: "wx" });
  try {
    ensureTypeScriptRequire();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- environments are loaded at run time
    return (require(scratch) as { default?: unknown }).default;
  } finally {
    fs.rmSync(scratch, { force: true });
  }
}

const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value ?? null));

/**
 * Adds `apps` to environments/`env`.ts (creating it from another environment when missing).
 * Throws EnvironmentFileError, with nothing changed, when a key or Fly app name is taken, the file
 * cannot be edited safely, or the result would not validate.
 */
export function addAppsToEnvironment(cwd: string, env: string, apps: readonly AppToAdd[], options: AddAppsOptions): AddAppsResult {
  const directory = options.environmentsDir ?? path.join(cwd, "environments");
  const shown = (file: string) => path.relative(cwd, file) || file;
  const nameProblem = environmentNameProblem(env);
  if (nameProblem) throw new EnvironmentFileError(`"${env}" is not a valid environment name: it ${nameProblem}`);
  const file = path.join(directory, `${env}.ts`);
  const created = !fs.existsSync(file);
  const names = fs.existsSync(directory) ? environmentFileNames(directory) : [];
  const loaded = names.length > 0 ? loadEnvironmentSources(directory) : { sources: [] as EnvironmentSource[], issues: [] as ConfigIssue[] };
  if (loaded.issues.length > 0) throw new EnvironmentFileError("the environments do not load; fix them first, nothing was written:", loaded.issues);
  // Each file's value as it is on disk now: a module loaded earlier in this process (tests run many
  // commands in one) may be cached with older content.
  const sources: EnvironmentSource[] = loaded.sources.map((s) => ({ name: s.name, value: loadAsSibling(directory, fs.readFileSync(path.join(directory, `${s.name}.ts`), "utf8")) }));

  let base: EnvironmentConfig;
  if (created) {
    const template = sources[0]?.value as EnvironmentConfig | undefined;
    if (!template) {
      throw new EnvironmentFileError(
        `there is no ${shown(file)}, and no other environment to take its project, Fly organization, DNS zone and state backend from; write ${shown(file)} first (see "Add an app, a domain, an environment" in README.md), or import into an existing environment`,
      );
    }
    base = { name: env, project: template.project, protected: false, fly: template.fly, dns: template.dns, state: template.state, apps: {} };
  } else {
    const source = sources.find((s) => s.name === env);
    if (!source) throw new EnvironmentFileError(`${shown(file)} did not load`);
    base = source.value as EnvironmentConfig;
  }

  // Clear refusals first: the validation would say the same less directly.
  const keys = new Set<string>();
  const appNames = new Set<string>();
  for (const { key, app } of apps) {
    if (appNames.has(app.name)) throw new EnvironmentFileError(`two imported apps share the Fly app name ${quote(app.name)}`);
    appNames.add(app.name);
    if (Object.hasOwn(base.apps, key) || keys.has(key)) {
      throw new EnvironmentFileError(`app key ${quote(key)} is already used in ${shown(file)}; choose another with --app-key KEY, or remove the existing entry first`);
    }
    keys.add(key);
    for (const other of [...sources.filter((s) => s.name !== env).map((s) => s.value as EnvironmentConfig), base]) {
      const owner = Object.entries(other.apps ?? {}).find(([, a]) => a.name === app.name);
      if (owner) throw new EnvironmentFileError(`Fly app name ${quote(app.name)} is already used by environments/${other.name}.ts: apps.${owner[0]}; Fly app names are global, so an app is declared once`);
    }
  }
  const config: EnvironmentConfig = { ...base, apps: { ...base.apps, ...Object.fromEntries(apps.map((a) => [a.key, a.app])) } };
  const others = sources.filter((s) => s.name !== env);
  try {
    validateEnvironments([...others, { name: env, value: config }]);
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    throw new EnvironmentFileError(`${shown(file)} would not validate with the imported app${apps.length === 1 ? "" : "s"}, so nothing was written:`, error.issues);
  }

  const original = created ? undefined : fs.readFileSync(file, "utf8");
  const text = original === undefined ? renderEnvironmentFile(config, { header: options.header, typesModule: typesModuleFrom(cwd, directory) }) : spliceApps(original, shown(file), apps);
  if (options.dryRun) return { file, created, text };

  // "wx": never overwrite a file that appeared since the check.
  fs.writeFileSync(file, text, created ? { flag: "wx" } : undefined);
  try {
    const checked = typecheckEnvironments(directory, environmentFileNames(directory), { cacheDir: DEFAULT_CACHE_DIR });
    if (checked.problems.length > 0) {
      const problems = checked.problems.map((p) => ({ environment: env, path: "", message: `${shown(path.join(directory, p.file))}:${p.line}:${p.column}: ${p.message} (TS${p.code})` }));
      throw new EnvironmentFileError(`${shown(file)} does not type-check once written, so it was restored:`, problems);
    }
    const reloaded = loadAsSibling(directory, text);
    if (!isDeepStrictEqual(json(reloaded), json(config))) {
      throw new EnvironmentFileError(`internal error: the written ${shown(file)} does not load as the imported configuration, so it was restored (please report this)`);
    }
    validateEnvironments([...others, { name: env, value: reloaded }]);
  } catch (error) {
    if (original === undefined) fs.rmSync(file, { force: true });
    else fs.writeFileSync(file, original);
    if (error instanceof ConfigValidationError) throw new EnvironmentFileError(`${shown(file)} does not validate once written, so it was restored:`, error.issues);
    throw error;
  }
  return { file, created, text };
}
