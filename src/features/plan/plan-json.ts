/**
 * The parts of `terraform show -json <planfile>` that flystack reads, and a parser that checks
 * them before anything trusts them.
 *
 * The format is Terraform's "JSON Output Format" (format_version 1.x). Terraform promises to
 * only add things within a major version, so this parser ignores properties it does not know,
 * accepts action names it does not know (a future Terraform may add some; the summarizer
 * classifies those conservatively), and rejects any other major version, as the format's
 * documentation asks consumers to.
 *
 * Terraform leaves out empty sections (`resource_changes`, `resource_drift`, `output_changes`
 * are `omitempty`), so the parsed plan always has them, as empty lists/maps when absent.
 */

import { isObject, type JsonObject } from "../../util/json-object";

/** Action names Terraform 1.x writes in `change.actions`; other strings are kept as they are. */
export type KnownPlanAction = "no-op" | "create" | "read" | "update" | "delete" | "forget";

/** One step of an attribute path: an attribute name or map key, or a list index. */
export type PathStep = string | number;
export type AttributePath = readonly PathStep[];

/** `change.importing`: present (not null) when the change also imports an existing object. */
export interface PlanImporting {
  readonly id?: string;
  readonly unknown?: boolean;
  readonly identity?: unknown;
}

/**
 * The change to one object or output. The values are `unknown` on purpose: they may hold
 * secrets, and nothing in flystack's plan summary prints them.
 */
export interface PlanValueChange {
  readonly actions: readonly string[];
  readonly before?: unknown;
  readonly after?: unknown;
  readonly after_unknown?: unknown;
  readonly before_sensitive?: unknown;
  readonly after_sensitive?: unknown;
}

export interface PlanResourceChangeBody extends PlanValueChange {
  /** Attribute paths that forced a replacement; absent when nothing (or tainting) forced it. */
  readonly replace_paths?: readonly AttributePath[];
  readonly importing?: PlanImporting;
}

export type PlanOutputChange = PlanValueChange;

/** An entry of `resource_changes` or `resource_drift`. */
export interface PlanResourceChange {
  readonly address: string;
  /** Present only when a `moved` block applied to this instance. */
  readonly previous_address?: string;
  /** Absent for the root module. */
  readonly module_address?: string;
  /** "managed" or "data" today; kept as a string so a future mode does not break parsing. */
  readonly mode: string;
  readonly type: string;
  readonly name: string;
  /** `count` index (number) or `for_each` key (string); absent without either. */
  readonly index?: number | string;
  readonly provider_name?: string;
  /** Set when the change is to a deposed object (left over by create_before_destroy). */
  readonly deposed?: string;
  readonly action_reason?: string;
  readonly change: PlanResourceChangeBody;
}

export interface TerraformPlan {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly applyable?: boolean;
  readonly complete?: boolean;
  /** True when planning stopped on an error: the plan is partial and cannot be applied. */
  readonly errored: boolean;
  readonly resource_changes: readonly PlanResourceChange[];
  readonly resource_drift: readonly PlanResourceChange[];
  readonly output_changes: Readonly<Record<string, PlanOutputChange>>;
  /**
   * From `configuration`: each resource's configuration address (`module.dns.cloudflare_dns_record.acme`,
   * without instance keys) → the attributes and blocks its configuration sets. Used only to tell
   * computed attributes (set by the provider, "known after apply" on every update) from the ones the
   * code sets. Empty when the plan has no readable configuration.
   */
  readonly configured: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Thrown for input that is not a Terraform plan; the message names the file and the problem. */
export class PlanJsonError extends Error {
  override readonly name = "PlanJsonError";

  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

const SHOW_JSON_HINT = "expected the output of `terraform show -json <planfile>`";


// Array.isArray narrows `unknown` to `any[]`; this keeps the elements `unknown`.
function isArray(value: unknown): value is readonly unknown[] {
  return Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === "string";
}

function isPathStep(value: unknown): value is PathStep {
  return typeof value === "string" || typeof value === "number";
}

function isAttributePath(value: unknown): value is AttributePath {
  return isArray(value) && value.every(isPathStep);
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** Parses and checks plan JSON text; `file` is only used in error messages. */
export function parsePlanJson(text: string, file: string): TerraformPlan {
  const fail = (problem: string): never => {
    throw new PlanJsonError(file, problem);
  };

  // A BOM comes from some editors and shells' redirections; JSON.parse rejects it.
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  if (body.trim() === "") fail(`empty file; ${SHOW_JSON_HINT}`);
  // A plan file is a zip archive: passing it instead of its JSON form is an easy mistake.
  if (body.startsWith("PK")) fail(`this is a binary plan file, not JSON; ${SHOW_JSON_HINT}`);

  let root: unknown;
  try {
    root = JSON.parse(body);
  } catch (error) {
    fail(`not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  return new PlanReader(fail).plan(root);
}

/** Walks the parsed JSON; every failure names the JSON path that is wrong. */
class PlanReader {
  constructor(private readonly fail: (problem: string) => never) {}

  /** `"path" must be <expected>, found <what>`, plus the resource address when one is known. */
  private wrong(path: string, expected: string, found: unknown, address?: string): never {
    const resource = address === undefined ? "" : ` (in ${address})`;
    return this.fail(`not a Terraform plan: "${path}" must be ${expected}, found ${describe(found)}${resource}`);
  }

  plan(root: unknown): TerraformPlan {
    if (!isObject(root)) return this.wrong("(top level)", "an object", root);
    const version = root["format_version"];
    if (version === undefined) {
      return this.fail(`not a Terraform plan: "format_version" is missing; ${SHOW_JSON_HINT}`);
    }
    if (!isString(version)) return this.wrong("format_version", "a string", version);
    if (version.split(".")[0] !== "1") {
      return this.fail(`unsupported plan format_version "${version}": this reader understands 1.x (Terraform 1.1 and later)`);
    }
    // `terraform show -json` on a state file gives format_version too, but "values", not a plan.
    if (root["values"] !== undefined && root["planned_values"] === undefined && root["resource_changes"] === undefined) {
      return this.fail(`this is Terraform state, not a plan; ${SHOW_JSON_HINT}`);
    }

    const fields = {
      terraform_version: this.optionalString(root, "terraform_version", "terraform_version"),
      applyable: this.optionalBoolean(root, "applyable", "applyable"),
      complete: this.optionalBoolean(root, "complete", "complete"),
    };
    return {
      format_version: version,
      ...withoutUndefined(fields),
      // Terraform before 1.4 did not write "errored"; it wrote plans only when planning worked.
      errored: this.optionalBoolean(root, "errored", "errored") ?? false,
      resource_changes: this.resourceChanges(root, "resource_changes"),
      resource_drift: this.resourceChanges(root, "resource_drift"),
      output_changes: this.outputChanges(root),
      configured: configuredAttributes(root["configuration"]),
    };
  }

  private resourceChanges(root: JsonObject, key: string): readonly PlanResourceChange[] {
    const list = root[key];
    if (list === undefined) return [];
    if (!isArray(list)) return this.wrong(key, "an array", list);
    return list.map((entry, i) => this.resourceChange(entry, `${key}[${i}]`));
  }

  private resourceChange(entry: unknown, path: string): PlanResourceChange {
    if (!isObject(entry)) return this.wrong(path, "an object", entry);
    const address = entry["address"];
    if (!isString(address)) return this.wrong(`${path}.address`, "a string", address);
    // From here on, errors also name the address: it is what a person can find in their config.
    const string = (key: string): string => {
      const value = entry[key];
      return isString(value) ? value : this.wrong(`${path}.${key}`, "a string", value, address);
    };
    const optionalString = (key: string): string | undefined => this.optionalString(entry, key, `${path}.${key}`, address);
    const index = entry["index"];
    if (index !== undefined && typeof index !== "number" && typeof index !== "string") {
      return this.wrong(`${path}.index`, "a number or a string", index, address);
    }
    const optional = {
      previous_address: optionalString("previous_address"),
      module_address: optionalString("module_address"),
      index,
      provider_name: optionalString("provider_name"),
      deposed: optionalString("deposed"),
      action_reason: optionalString("action_reason"),
    };
    return {
      address,
      mode: string("mode"),
      type: string("type"),
      name: string("name"),
      ...withoutUndefined(optional),
      change: this.resourceChangeBody(entry["change"], `${path}.change`, address),
    };
  }

  private resourceChangeBody(change: unknown, path: string, address: string): PlanResourceChangeBody {
    if (!isObject(change)) return this.wrong(path, "an object", change, address);
    const replacePaths = change["replace_paths"];
    if (replacePaths !== undefined && !(isArray(replacePaths) && replacePaths.every(isAttributePath))) {
      return this.wrong(`${path}.replace_paths`, "an array of attribute paths (arrays of strings and numbers)", replacePaths, address);
    }
    const importing = change["importing"];
    return {
      ...this.valueChange(change, path, address),
      ...withoutUndefined({
        replace_paths: replacePaths,
        // null means "not importing", just as absence does.
        importing: importing === null || importing === undefined ? undefined : this.importing(importing, `${path}.importing`, address),
      }),
    };
  }

  private valueChange(change: unknown, path: string, address?: string): PlanValueChange {
    if (!isObject(change)) return this.wrong(path, "an object", change, address);
    const actions = change["actions"];
    if (!isArray(actions) || actions.length === 0 || !actions.every(isString)) {
      return this.wrong(`${path}.actions`, "a non-empty array of strings", actions, address);
    }
    // Values are carried as they are and never inspected: they may be secrets.
    const values = {
      before: change["before"],
      after: change["after"],
      after_unknown: change["after_unknown"],
      before_sensitive: change["before_sensitive"],
      after_sensitive: change["after_sensitive"],
    };
    return { actions, ...withoutUndefined(values) };
  }

  private importing(value: unknown, path: string, address: string): PlanImporting {
    if (!isObject(value)) return this.wrong(path, "an object", value, address);
    return withoutUndefined({
      id: this.optionalString(value, "id", `${path}.id`, address),
      unknown: this.optionalBoolean(value, "unknown", `${path}.unknown`, address),
      identity: value["identity"],
    });
  }

  private outputChanges(root: JsonObject): Readonly<Record<string, PlanOutputChange>> {
    const outputs = root["output_changes"];
    if (outputs === undefined) return {};
    if (!isObject(outputs)) return this.wrong("output_changes", "an object", outputs);
    // Object.fromEntries defines own properties, so an output named "__proto__" stays plain data.
    return Object.fromEntries(
      Object.entries(outputs).map(([name, change]) => [name, this.valueChange(change, `output_changes.${name}`)]),
    );
  }

  private optionalString(object: JsonObject, key: string, path: string, address?: string): string | undefined {
    const value = object[key];
    if (value === undefined || isString(value)) return value;
    return this.wrong(path, "a string", value, address);
  }

  private optionalBoolean(object: JsonObject, key: string, path: string, address?: string): boolean | undefined {
    const value = object[key];
    if (value === undefined || typeof value === "boolean") return value;
    return this.wrong(path, "a boolean", value, address);
  }
}

/**
 * The attributes each resource's configuration sets, from the plan's `configuration` section. This
 * is context, not something the summary depends on, so a section it cannot read gives an empty map
 * instead of an error.
 */
function configuredAttributes(configuration: unknown): ReadonlyMap<string, ReadonlySet<string>> {
  const out = new Map<string, ReadonlySet<string>>();
  const walk = (module: unknown, prefix: string, depth: number): void => {
    if (!isObject(module) || depth > 32) return;
    const resources = module["resources"];
    if (isArray(resources)) {
      for (const resource of resources) {
        if (!isObject(resource) || !isString(resource["address"])) continue;
        const expressions = resource["expressions"];
        out.set(`${prefix}${resource["address"]}`, new Set(isObject(expressions) ? Object.keys(expressions) : []));
      }
    }
    const calls = module["module_calls"];
    if (isObject(calls)) for (const [name, call] of Object.entries(calls)) if (isObject(call)) walk(call["module"], `${prefix}module.${name}.`, depth + 1);
  };
  if (isObject(configuration)) walk(configuration["root_module"], "", 0);
  return out;
}

/** The configuration address of a resource instance: its module path and type.name, without instance keys. */
export function configurationAddress(change: PlanResourceChange): string {
  const module = change.module_address === undefined ? "" : `${change.module_address.replace(/\[[^\]]*\]/g, "")}.`;
  return `${module}${change.mode === "data" ? "data." : ""}${change.type}.${change.name}`;
}

/** Drops undefined properties, so a parsed object only has the keys its JSON had. */
function withoutUndefined<T extends object>(object: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const kept = Object.entries(object).filter(([, value]) => value !== undefined);
  return Object.fromEntries(kept) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
