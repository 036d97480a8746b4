/**
 * Environment files stay TypeScript the user edits without a build step, and are loaded with require().
 * From the sources (tsx, jest's SWC) a TypeScript hook is already installed. From the build in dist/
 * (bin/flystack) none is: tsx's CommonJS hook is registered here, on the first environment load, so
 * commands that never load an environment (help, summarize, apply, plan --skip-synth) never load tsx.
 */
let registered = false;

export function ensureTypeScriptRequire(): void {
  if (registered || __filename.endsWith(".ts") || require.extensions[".ts"] !== undefined) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when an environment is
  (require("tsx/cjs/api") as { register(): unknown }).register();
  registered = true;
}
