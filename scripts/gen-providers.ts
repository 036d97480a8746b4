/** `npm run gen:providers`: regenerates `.gen/providers/fly` from `providers/fly.schema.json`. */
import * as fs from "node:fs";
import * as path from "node:path";
import { generateFlyBindings } from "../src/features/providers/generate-bindings";

async function main(): Promise<number> {
  const outdir = path.join(__dirname, "..", ".gen");
  fs.rmSync(path.join(outdir, "providers", "fly"), { recursive: true, force: true });
  await generateFlyBindings(outdir);
  process.stderr.write(`generated ${path.relative(process.cwd(), path.join(outdir, "providers", "fly"))}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`gen:providers failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
