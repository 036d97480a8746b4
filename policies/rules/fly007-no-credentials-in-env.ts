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

const SCHEME_CHAR = /[a-z0-9+.-]/i;
const LETTER = /[a-z]/i;
const AUTHORITY_END = /[\s@/]/;

/**
 * scheme://user:password@host, with a non-empty user and password: what the regular expression
 * `/[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:[^\s@/]+@/i` matches, found in linear time. (That expression,
 * unanchored, rescans the rest of the value from every position: minutes on a 1 MB value.) Each
 * `://` is looked at once, with the scheme before it and the authority after it, which end at the
 * previous and the next `/`: no character is read more than a few times.
 */
export function hasUrlPassword(value: string): boolean {
  for (let at = value.indexOf("://"); at !== -1; at = value.indexOf("://", at + 3)) {
    // The scheme: a letter, then scheme characters, up to the `://`.
    let start = at;
    let letter = false;
    while (start > 0 && SCHEME_CHAR.test(value[start - 1])) {
      start--;
      if (LETTER.test(value[start])) letter = true;
    }
    if (!letter) continue;
    // The authority: up to the first space, `@` or `/`; it must end in `@` and hold user:password.
    let end = at + 3;
    while (end < value.length && !AUTHORITY_END.test(value[end])) end++;
    if (value[end] !== "@") continue;
    const colon = value.indexOf(":", at + 3);
    if (colon > at + 3 && colon < end - 1) return true;
  }
  return false;
}

/** What a value looks like when it looks like a credential, or undefined. */
export function credentialShape(value: string): string | undefined {
  if (value.includes("-----BEGIN")) return "a PEM key or certificate (-----BEGIN)";
  if (hasUrlPassword(value)) return "a URL with a password (scheme://user:pass@host)";
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
