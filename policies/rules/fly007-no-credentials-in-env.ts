import { credentialWord } from "../../src/config/rules/no-credentials-in-env";
import type { PolicyRule, RuleResult } from "../rule";
import { addressOf, blocksOf, isResourceOf, stringMap } from "../values";

/**
 * FLY007 · What: a plain env variable of a machine or container looks like a credential, by name or by value.
 * Why: plain env is readable in config, plan files, state and `fly machine status`; credentials
 * belong in the app's secrets (`fly_secret`, write-only).
 * Messages never quote the value: it may be the credential.
 */
export const fly007: PolicyRule = {
  id: "FLY007",
  level: "error",
  title: "no credentials in plain env",
  what: "A plain env variable of a machine or container looks like a credential, by its name or by its value.",
  why: "Plain env is readable in config, plans, state and machine status; credentials belong in the app's write-only secrets.",
  appliesTo: (node) => isResourceOf(node, "fly_machine"),
  check: (node, context) => {
    if (!isResourceOf(node, "fly_machine")) return [];
    const config = context.config(node);
    if (!config) return [];
    const envs: [string, Record<string, string>][] = [
      ["env", stringMap(config.env)],
      ...blocksOf(config.container).map((c, i): [string, Record<string, string>] => [`container[${i}] (${String(c.name)}) env`, stringMap(c.env)]),
    ];
    const results: RuleResult[] = [];
    for (const [where, env] of envs) {
      for (const [name, value] of Object.entries(env)) {
        const word = credentialWord(name.toUpperCase());
        if (word) results.push({ message: `${addressOf(node)} ${where} ${name}: its name contains ${word}; declare it as a secret` });
        const shape = credentialShape(value);
        if (shape) results.push({ message: `${addressOf(node)} ${where} ${name}: its value looks like ${shape}; declare it as a secret` });
      }
    }
    return results;
  },
};

/** What a value looks like when it looks like a credential, or undefined. */
export function credentialShape(value: string): string | undefined {
  if (value.includes("-----BEGIN")) return "a PEM key or certificate (-----BEGIN)";
  // scheme://user:password@host, with a non-empty password.
  if (/[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:[^\s@/]+@/i.test(value)) return "a URL with a password (scheme://user:pass@host)";
  // Judged per word, so a token after "Bearer " or inside "a=b;c=d" is found; dots split JWT parts.
  for (const word of value.split(/[\s,;=.]+/)) {
    if (/^[0-9a-f]{32,}$/i.test(word)) return "a hex key of 32 or more characters";
    // Random base64 of this length almost always mixes cases and digits; words, paths and
    // snake_case constants do not, which keeps ordinary values out.
    if (/^(?:[A-Za-z0-9+/]{32,}={0,2}|[A-Za-z0-9_-]{32,})$/.test(word) && /[A-Z]/.test(word) && /[a-z]/.test(word) && /[0-9]/.test(word)) {
      return "a base64 key of 32 or more characters";
    }
  }
  return undefined;
}
