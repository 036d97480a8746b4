/**
 * Which `fly_app` a resource belongs to. flystack writes `app = "${fly_app.<key>.name}"` so that
 * Terraform sees the dependency; a hand-written stack may give the Fly app name as a literal
 * instead, which is matched against the apps' `name`.
 */
import { compareText, referencedKey, resourcesOfType, stringAt, type JsonObject } from "./stack-json";

/** Returns the app key a resource's `app` value stands for, or undefined when it is none of this stack's apps. */
export type AppResolver = (app: string | undefined) => string | undefined;

export function appResolver(stack: JsonObject): AppResolver {
  const apps = resourcesOfType(stack, "fly_app");
  const byName = new Map<string, string>();
  // Sorted keys, so that two apps with one name (invalid, but possible by hand) resolve the same way every time.
  for (const key of [...apps.keys()].sort(compareText)) {
    const app = apps.get(key);
    const name = app === undefined ? undefined : stringAt(app, "name");
    if (name !== undefined && !byName.has(name)) byName.set(name, key);
  }
  return (value) => {
    if (value === undefined) return undefined;
    const key = referencedKey(value, "fly_app");
    if (key !== undefined) return apps.has(key) ? key : undefined;
    return byName.get(value);
  };
}
