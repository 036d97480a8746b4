/**
 * A small, strict argument parser: `--flag`, `--option value`, `--option=value`, repeatable
 * options, and positionals. Unknown options are errors that name the allowed ones.
 */
export type OptionKind = "boolean" | "string" | "list";

export interface OptionSpec {
  readonly kind: OptionKind;
}

export type ParsedOptions<S extends Record<string, OptionSpec>> = {
  [K in keyof S]: S[K]["kind"] extends "boolean" ? boolean : S[K]["kind"] extends "list" ? string[] : string | undefined;
};

export interface Parsed<S extends Record<string, OptionSpec>> {
  readonly options: ParsedOptions<S>;
  readonly positionals: string[];
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export function parseArgs<S extends Record<string, OptionSpec>>(args: readonly string[], spec: S): Parsed<S> {
  const options: Record<string, boolean | string | string[] | undefined> = {};
  for (const [name, option] of Object.entries(spec)) options[name] = option.kind === "boolean" ? false : option.kind === "list" ? [] : undefined;
  const positionals: string[] = [];
  const known = Object.keys(spec).map((n) => `--${n}`).join(", ");
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith("--")) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const option = spec[name];
    if (!option) throw new UsageError(`unknown option "--${name}"${known ? `; allowed: ${known}` : "; this command takes no options"}`);
    if (option.kind === "boolean") {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      options[name] = true;
      continue;
    }
    let value: string | undefined = eq === -1 ? args[++i] : arg.slice(eq + 1);
    if (value === undefined || (eq === -1 && value.startsWith("--"))) throw new UsageError(`--${name} needs a value`);
    if (option.kind === "list") (options[name] as string[]).push(value);
    else options[name] = value;
    value = undefined;
  }
  return { options: options as ParsedOptions<S>, positionals };
}
