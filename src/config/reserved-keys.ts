/**
 * Keys that name JavaScript object internals. As an app, group, env or secret key they would be
 * looked up on every plain object's prototype (`{}.constructor` exists), and `__proto__` is not even
 * kept as a key by most code that copies an object: an app named so would crash synthesis or
 * vanish from it. They are refused wherever they appear in a configuration, with their path.
 */
import { type ConfigIssue, formatPath, quote } from "./issue";

export const RESERVED_KEYS: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), "prototype"]);

/** How deep a configuration is searched (it is a few levels; deeper is a mistake, or a cycle). */
const MAX_DEPTH = 32;

/** Every reserved key of a raw (unvalidated) configuration value, with its path. */
export function reservedKeyIssues(environment: string, value: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Set<object>();
  const visit = (node: unknown, path: PropertyKey[]) => {
    if (typeof node !== "object" || node === null || seen.has(node) || path.length > MAX_DEPTH) return;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, [...path, i]));
      return;
    }
    const prototype: unknown = Object.getPrototypeOf(node);
    // Some realm's Object.prototype (one whose own prototype is null): values loaded in the worker
    // (bounded-load.ts) are rebuilt in this thread's realm, which under jest is not the test's.
    if (prototype !== null && Object.getPrototypeOf(prototype) !== null) {
      // `{ __proto__: {…} }` in an object literal sets the prototype: the key is gone, its value inherited.
      issues.push({
        environment,
        path: formatPath(path),
        message: `is not a plain object (it has its own prototype, which a "__proto__" key in an object literal sets); write plain data`,
      });
    }
    for (const key of Object.keys(node)) {
      if (RESERVED_KEYS.has(key)) {
        issues.push({
          environment,
          path: formatPath([...path, key]),
          message: `key ${quote(key)} is reserved: it names a built-in property of every JavaScript object; choose another name`,
        });
        continue;
      }
      visit((node as Record<string, unknown>)[key], [...path, key]);
    }
  };
  visit(value, []);
  return issues;
}
