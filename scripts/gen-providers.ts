/**
 * `npm run gen:providers`: regenerates the committed provider bindings under `.gen/providers/` from
 * their schemas in `providers/` (`-- null` adds null_resource's, which the CDK Terrain line uses).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { COMMITTED_BINDINGS, type GeneratedProvider, generateBindings } from "../src/features/providers/generate-bindings";

async function main(): Promise<number> {
  const outdir = path.join(__dirname, "..", ".gen");
  const asked = process.argv.slice(2) as GeneratedProvider[];
  for (const provider of asked.length > 0 ? asked : COMMITTED_BINDINGS) {
    fs.rmSync(path.join(outdir, "providers", provider), { recursive: true, force: true });
    await generateBindings(provider, outdir);
    process.stderr.write(`generated ${path.relative(process.cwd(), path.join(outdir, "providers", provider))}\n`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`gen:providers failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
