import * as fs from "node:fs";
import * as path from "node:path";
import { buildAppFromSources, synthesizeApp } from "../../main";
import { loadEnvironmentSources } from "../../src/config/load";
import type { EnvironmentSource } from "../../src/config/validate";
import type { EnvironmentConfig } from "../../src/config/types";
import type { LoopProviders } from "./providers";

export const SHIPPED_ENVIRONMENTS = path.join(__dirname, "..", "..", "environments");

/** The environments in `dir` (default: the shipped ones), loaded as main.ts loads them. */
export function environmentsIn(dir = SHIPPED_ENVIRONMENTS): EnvironmentConfig[] {
  const { sources, issues } = loadEnvironmentSources(dir);
  if (issues.length > 0) throw new Error(`environments in ${dir}: ${issues.map((i) => i.message).join("; ")}`);
  return sources.map((s) => s.value as EnvironmentConfig);
}

export interface LoopSynthOptions {
  readonly flyApiUrl: string;
  readonly cloudflareApiUrl: string;
  readonly providers: LoopProviders;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Synthesizes `environments` into `<project>/cdktf.out` exactly as main.ts does (validation,
 * guardrails, constructs), with local state under `<project>/state` and the providers pointed at the
 * fake APIs. When the run has no Cloudflare provider, the stacks' DNS records (and the provider) are
 * taken out of the synthesized JSON and the certificate gates wait on nothing else: the rest of each
 * stack is unchanged. When the mirror holds the Cloudflare substitute, its version replaces the pin.
 */
export function synthesizeForLoop(project: string, environments: readonly EnvironmentConfig[], options: LoopSynthOptions): string[] {
  const outdir = path.join(project, "cdktf.out");
  fs.rmSync(outdir, { recursive: true, force: true });
  const sources: EnvironmentSource[] = environments.map((value) => ({ name: value.name, value }));
  const built = buildAppFromSources(sources, {
    outdir,
    flyApiUrl: options.flyApiUrl,
    cloudflareApiUrl: options.cloudflareApiUrl,
    state: { backend: "local", directory: path.join(project, "state") },
  });
  synthesizeApp(built);
  // One stack per environment, or per app (`stacks: "per-app"`): every stack cdktf wrote.
  const names = built.stacks.map((s) => s.node.id);
  for (const name of names) {
    const file = path.join(outdir, "stacks", name, "cdk.tf.json");
    const json = JSON.parse(fs.readFileSync(file, "utf8")) as Json;
    if (options.providers.cloudflareVersion === undefined) withoutDns(json);
    else json.terraform.required_providers.cloudflare.version = options.providers.cloudflareVersion;
    fs.writeFileSync(file, JSON.stringify(json, null, 2));
  }
  return names;
}

/** Takes the Cloudflare records and provider out of a synthesized stack. */
function withoutDns(json: Json): void {
  delete json.resource?.cloudflare_dns_record;
  delete json.provider?.cloudflare;
  delete json.terraform?.required_providers?.cloudflare;
  for (const gate of Object.values((json.resource?.fly_cert_validation ?? {}) as Record<string, Json>)) delete gate.validation_dependencies;
  for (const byName of Object.values((json.resource ?? {}) as Record<string, Record<string, Json>>)) {
    for (const r of Object.values(byName)) {
      if (Array.isArray(r.depends_on)) r.depends_on = r.depends_on.filter((d: string) => !d.startsWith("cloudflare_dns_record."));
    }
  }
}

/** The `TF_VAR_*` every secret variable of the synthesized stacks needs, each set to `valueOf(name)`. */
export function secretVariables(project: string, stacks: readonly string[], valueOf: (variable: string) => string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const stack of stacks) {
    const json = JSON.parse(fs.readFileSync(path.join(project, "cdktf.out", "stacks", stack, "cdk.tf.json"), "utf8")) as Json;
    for (const name of Object.keys(json.variable ?? {})) vars[`TF_VAR_${name}`] = valueOf(name);
  }
  return vars;
}

/** Every resource address of a synthesized stack (`type.name`). */
export function addressesOf(project: string, stack: string): string[] {
  const json = JSON.parse(fs.readFileSync(path.join(project, "cdktf.out", "stacks", stack, "cdk.tf.json"), "utf8")) as Json;
  return Object.entries((json.resource ?? {}) as Record<string, Record<string, unknown>>).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`));
}
