/**
 * Generates the TypeScript bindings of the providers from their committed schemas, offline, with
 * the same generator `cdktf get` uses. The registry can't be reached from CI, so each schema file
 * stands in for `terraform providers schema -json` on a connected machine:
 *   fly         providers/fly.schema.json (the whole provider)
 *   cloudflare  providers/cloudflare.schema.json (the provider configuration and cloudflare_dns_record
 *               only: what flystack uses; its sources are in providers/versions.json)
 *   null        providers/null.schema.json (null_resource): generated only on the CDK Terrain line,
 *               where no prebuilt @cdktf/provider-null exists (flystack migrate cdktn)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../util/project-root";
import { CodeMaker, TerraformProviderGenerator } from "@cdktf/provider-generator";
import { ConstructsMakerProviderTarget, LANGUAGES, TerraformProviderConstraint } from "@cdktf/commons";
import type { ProviderSchema } from "@cdktf/commons";
import versions from "../../../providers/versions.json";

export type GeneratedProvider = "fly" | "cloudflare" | "null";

/** The providers whose bindings are committed under .gen on the default (cdktf) line. */
export const COMMITTED_BINDINGS: readonly GeneratedProvider[] = ["fly", "cloudflare"];

export function schemaFile(provider: GeneratedProvider): string {
  return path.join(PROJECT_ROOT, "providers", `${provider}.schema.json`);
}

/** Writes `providers/<provider>/**` under `outdir` (the project uses `.gen`). */
export async function generateBindings(provider: GeneratedProvider, outdir: string, file: string = schemaFile(provider)): Promise<void> {
  const parsed: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
  if (typeof parsed !== "object" || parsed === null || !("provider_schemas" in parsed)) {
    throw new Error(`${file} is not the output of "terraform providers schema -json"`);
  }
  const schema = parsed as ProviderSchema;
  const pin = versions[provider];
  const fqpn = `registry.terraform.io/${pin.source}`;
  // The generator records the provider version in each class's metadata, as `cdktf get` does.
  const withVersion: ProviderSchema = { ...schema, provider_versions: { [fqpn]: pin.version } };
  const code = new CodeMaker();
  const generator = new TerraformProviderGenerator(code, withVersion);
  const constraint = new TerraformProviderConstraint(`${pin.source}@${pin.constraint}`);
  generator.generate(new ConstructsMakerProviderTarget(constraint, LANGUAGES[0]));
  await code.save(outdir);
}

/** @deprecated the Fly provider alone; use generateBindings("fly", …). */
export function generateFlyBindings(outdir: string, file?: string): Promise<void> {
  return generateBindings("fly", outdir, file);
}
