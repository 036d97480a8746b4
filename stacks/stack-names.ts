/**
 * Stack names: an environment's one stack is named after it; a per-app stack (`stacks: "per-app"`)
 * is `<environment>_<app key>`. Environment names and app keys hold no `_`, so a name says which
 * environment it belongs to without reading the stack.
 */
import type { EnvironmentConfig } from "../src/config/types";
import { deployedApps } from "../src/config/monitoring";

export const PER_APP_SEPARATOR = "_";

export function perAppStackName(environment: string, appKey: string): string {
  return `${environment}${PER_APP_SEPARATOR}${appKey}`;
}

/** The environment a stack belongs to, from its name alone. */
export function environmentOfStack(stack: string): string {
  const at = stack.indexOf(PER_APP_SEPARATOR);
  return at < 0 ? stack : stack.slice(0, at);
}

/** The stacks an environment synthesizes into: `[{ name, app? }]`, app keys in config order. */
export function stacksOf(environment: EnvironmentConfig): { readonly name: string; readonly app?: string }[] {
  if (environment.stacks !== "per-app") return [{ name: environment.name }];
  // The monitoring app, when set, is one more app with its own stack.
  return Object.keys(deployedApps(environment)).map((app) => ({ name: perAppStackName(environment.name, app), app }));
}
