/**
 * Generates the TypeScript bindings of the Fly provider from its committed schema, offline,
 * with the same generator `cdktf get` uses. The registry can't be reached from CI, so the
 * schema file stands in for `terraform providers schema -json` on a connected machine.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../util/project-root";
import { CodeMaker, TerraformProviderGenerator } from "@cdktf/provider-generator";
import { ConstructsMakerProviderTarget, LANGUAGES, TerraformProviderConstraint } from "@cdktf/commons";
import type { ProviderSchema } from "@cdktf/commons";
import versions from "../../../providers/versions.json";

export const FLY_SCHEMA_FILE = path.join(PROJECT_ROOT, "providers", "fly.schema.json");

/** Writes `providers/fly/**` under `outdir` (the project uses `.gen`). */
export async function generateFlyBindings(outdir: string, schemaFile: string = FLY_SCHEMA_FILE): Promise<void> {
  const parsed: unknown = JSON.parse(fs.readFileSync(schemaFile, "utf8"));
  if (typeof parsed !== "object" || parsed === null || !("provider_schemas" in parsed)) {
    throw new Error(`${schemaFile} is not the output of "terraform providers schema -json"`);
  }
  const schema = parsed as ProviderSchema;
  const fqpn = `registry.terraform.io/${versions.fly.source}`;
  // The generator records the provider version in each class's metadata, as `cdktf get` does.
  const withVersion: ProviderSchema = { ...schema, provider_versions: { [fqpn]: versions.fly.version } };
  const code = new CodeMaker();
  const generator = new TerraformProviderGenerator(code, withVersion);
  const constraint = new TerraformProviderConstraint(`${versions.fly.source}@${versions.fly.constraint}`);
  generator.generate(new ConstructsMakerProviderTarget(constraint, LANGUAGES[0]));
  await code.save(outdir);
}
