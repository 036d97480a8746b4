/**
 * The provider double serves exactly the committed provider schema: what real terraform reports
 * with `terraform providers schema -json` for registry.terraform.io/ampbase-io/fly equals
 * providers/fly.schema.json, so the bindings, the stacks and the double describe one provider.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SpawnRunner } from "../../src/process/runner";
import { terraformAvailable } from "../cli/harness";
import committed from "../../providers/fly.schema.json";
import versions from "../../providers/versions.json";
import { loopProviders } from "./providers";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-double-schema-"));
const providers = loopProviders(work);
const run = providers?.double && terraformAvailable() ? test : test.skip;
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

run("terraform providers schema -json: the double's ampbase-io/fly schema is the committed providers/fly.schema.json", async () => {
  const config = {
    terraform: { required_providers: { fly: { source: versions.fly.source, version: versions.fly.constraint }, null: { source: versions.null.source, version: versions.null.constraint } } },
  };
  fs.writeFileSync(path.join(work, "main.tf.json"), JSON.stringify(config));
  const env = { ...process.env, TF_CLI_CONFIG_FILE: providers!.rc, CHECKPOINT_DISABLE: "1" };
  const runner = new SpawnRunner();
  const init = await runner.run("terraform", ["init", "-input=false", "-no-color"], { cwd: work, env });
  expect(init.stderr).toBe("");
  const shown = await runner.run("terraform", ["providers", "schema", "-json"], { cwd: work, env });
  expect(shown.code).toBe(0);
  const schemas = JSON.parse(shown.stdout).provider_schemas as Record<string, unknown>;
  const key = `registry.terraform.io/${versions.fly.source}`;
  expect(schemas[key]).toEqual(committed.provider_schemas[key as keyof typeof committed.provider_schemas]);
  // The null double serves null_resource as hashicorp/null does: an id and replace-on-change triggers.
  const nullSchema = schemas[`registry.terraform.io/${versions.null.source}`] as { resource_schemas: Record<string, { block: { attributes: Record<string, { type: unknown }> } }> };
  expect(Object.keys(nullSchema.resource_schemas)).toEqual(["null_resource"]);
  expect(nullSchema.resource_schemas.null_resource.block.attributes.triggers.type).toEqual(["map", "string"]);
});
