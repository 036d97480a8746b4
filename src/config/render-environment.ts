/**
 * Renders an environment configuration as a readable TypeScript environment file, in the style of
 * the shipped ones: the `EnvironmentConfig` type, a named constant, a default export, small objects
 * and arrays on one line, and values that equal a helper's export (`tigrisState`, `IMAGES.api`)
 * written as that export, imported from the helper.
 */
import type { EnvironmentConfig } from "./types";

/** An exported value of an environment helper file (`environments/_presets.ts`). */
export interface HelperExport {
  /** Import path from the environment file, e.g. `./_presets`. */
  readonly module: string;
  /** The imported name, e.g. `IMAGES`. */
  readonly name: string;
  readonly value: unknown;
}

export interface RenderOptions {
  /** The file's opening comment, one string per line (without comment markers). */
  readonly header: readonly string[];
  /** Import path of src/config/types from the environment file, e.g. `../src/config/types`. */
  readonly typesModule: string;
  /** Helper exports to write by name where a value equals them. @default none */
  readonly helpers?: readonly HelperExport[];
}

const WIDTH = 120;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const RESERVED = new Set(
  "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await".split(" "),
);

/** A reference to a helper export, written as an expression instead of a literal. */
class Reference {
  constructor(
    readonly expression: string,
    readonly helper: HelperExport,
  ) {}
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The constant name for environment `name`: `staging-eu` → `stagingEu` (never a reserved word). */
export function constantName(name: string): string {
  // What `name.replace(/-+([a-z0-9])/g, upper).replace(/-/g, "")` did, in one pass: that expression
  // rescans every run of dashes from each of its dashes (quadratic on a long run).
  let camel = "";
  let afterDash = false;
  for (const c of name) {
    if (c === "-") {
      afterDash = true;
      continue;
    }
    camel += afterDash && /^[a-z0-9]$/.test(c) ? c.toUpperCase() : c;
    afterDash = false;
  }
  const safe = /^[0-9]/.test(camel) ? `env${camel}` : camel;
  return RESERVED.has(safe) ? `${safe}Environment` : safe;
}

/**
 * Replaces values by helper references: a whole object equal to an exported object (a state
 * preset), and an image equal to an exported string or a string inside an exported object
 * (`IMAGES.api`). Only images are matched by string: short strings ("auto", "tcp") would match by accident.
 */
function withReferences(value: unknown, helpers: readonly HelperExport[], key?: string): unknown {
  if (typeof value === "string") {
    if (key !== "image") return value;
    for (const helper of helpers) {
      if (helper.value === value) return new Reference(helper.name, helper);
      if (typeof helper.value === "object" && helper.value !== null && !Array.isArray(helper.value)) {
        for (const [member, v] of Object.entries(helper.value)) {
          if (v === value) return new Reference(IDENTIFIER.test(member) ? `${helper.name}.${member}` : `${helper.name}[${JSON.stringify(member)}]`, helper);
        }
      }
    }
    return value;
  }
  if (typeof value !== "object" || value === null) return value;
  if (!Array.isArray(value)) {
    const whole = helpers.find((h) => typeof h.value === "object" && h.value !== null && deepEqual(h.value, value));
    if (whole) return new Reference(whole.name, whole);
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, withReferences(v, helpers, k)]),
    );
  }
  return value.map((v) => withReferences(v, helpers));
}

function renderKey(key: string): string {
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

function renderInline(value: unknown): string {
  if (value instanceof Reference) return value.expression;
  if (Array.isArray(value)) return `[${value.map(renderInline).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value);
    return entries.length === 0 ? "{}" : `{ ${entries.map(([k, v]) => `${renderKey(k)}: ${renderInline(v)}`).join(", ")} }`;
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return JSON.stringify(value);
  throw new Error(`cannot write ${typeof value} values into an environment file`);
}

/** `value` at `indent` spaces, where `used` characters of its first line are already taken. */
function renderValue(value: unknown, indent: number, used: number): string {
  const inline = renderInline(value);
  if (used + inline.length + 1 <= WIDTH || value instanceof Reference || typeof value !== "object" || value === null) return inline;
  const pad = " ".repeat(indent + 2);
  const lines = Array.isArray(value)
    ? value.map((v) => `${pad}${renderValue(v, indent + 2, pad.length)},`)
    : Object.entries(value).map(([k, v]) => `${pad}${renderKey(k)}: ${renderValue(v, indent + 2, pad.length + renderKey(k).length + 2)},`);
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  return `${open}\n${lines.join("\n")}\n${" ".repeat(indent)}${close}`;
}

/**
 * One value (an app, say) as the file writes it, for splicing into an existing file: at `indent`
 * spaces, where `used` characters of its first line are already taken. No helper references.
 */
export function renderConfigValue(value: unknown, indent: number, used: number): string {
  return renderValue(withReferences(value, []), indent, used);
}

/** A key as the file writes it: bare when it is an identifier, quoted otherwise. */
export { renderKey };

/** The whole environment file. */
export function renderEnvironmentFile(config: EnvironmentConfig, options: RenderOptions): string {
  const body = withReferences(config, options.helpers ?? []);
  const used = new Map<string, Set<string>>();
  const collect = (v: unknown): void => {
    if (v instanceof Reference) {
      const names = used.get(v.helper.module) ?? new Set<string>();
      names.add(v.helper.name);
      used.set(v.helper.module, names);
    } else if (typeof v === "object" && v !== null) Object.values(v).forEach(collect);
  };
  collect(body);
  const constant = constantName(config.name);
  return [
    "/**",
    ...options.header.map((line) => (line === "" ? " *" : ` * ${line}`)),
    " */",
    `import type { EnvironmentConfig } from ${JSON.stringify(options.typesModule)};`,
    ...[...used].map(([module, names]) => `import { ${[...names].sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" })).join(", ")} } from ${JSON.stringify(module)};`),
    "",
    `const ${constant}: EnvironmentConfig = ${renderValue(body, 0, `const ${constant}: EnvironmentConfig = `.length)};`,
    "",
    `export default ${constant};`,
    "",
  ].join("\n");
}
