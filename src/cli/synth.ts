import * as path from "node:path";
import type { CliContext } from "./command";
import { ConfigValidationError } from "../config/issue";

/**
 * Synthesizes every environment into `<cwd>/cdktf.out`, in-process (no cdktf CLI, no Terraform).
 * Returns false after printing the problems when the configuration is invalid.
 */
export async function synthesize(ctx: CliContext): Promise<boolean> {
  const outdir = path.join(ctx.cwd, "cdktf.out");
  const started = Date.now();
  ctx.stderr.write("synthesizing every environment…\n");
  // Loaded lazily, so commands that never synthesize (summarize, apply) skip loading cdktf.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- import() would go through the ESM loader under tsx
  const main = require("../../main") as typeof import("../../main");
  try {
    const fromEnv = main.optionsFromEnv(ctx.env);
    const { app, environments } = main.buildApp({ ...fromEnv, environmentsDir: fromEnv.environmentsDir ?? path.join(ctx.cwd, "environments"), outdir });
    app.synth();
    ctx.stderr.write(`synthesized ${environments.map((e) => e.name).join(", ")} in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
    return true;
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      ctx.stderr.write(`${error.message}\nNothing was synthesized.\n`);
      return false;
    }
    throw error;
  }
}
