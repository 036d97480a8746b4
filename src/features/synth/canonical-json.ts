/**
 * One written form of a stack's JSON, whichever construct library rendered it. CDKTF 0.21 writes an
 * empty object or array over two lines (`{` then `}`), CDK Terrain 0.24 on one (`{}`); the JSON is
 * the same. flystack writes the two-line form, so a stack synthesizes to the same bytes on both lines
 * (scripts/line-proof/) and today's output does not change.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** A line that is an indent, an optional `"key": `, and `{}` or `[]` (never inside a string). */
const EMPTY = /^( *)((?:"(?:[^"\\]|\\.)*": )?)(\{\}|\[\])(,?)$/gm;

export function canonicalStackText(text: string): string {
  return text.replace(EMPTY, (_whole, indent: string, key: string, pair: string, comma: string) => `${indent}${key}${pair[0]}\n${indent}${pair[1]}${comma}`);
}

/** Rewrites every `stacks/*\/cdk.tf.json` under `outdir` in the canonical form (a file already in it is left alone). */
export function canonicalizeStacks(outdir: string): void {
  const stacks = path.join(outdir, "stacks");
  if (!fs.existsSync(stacks)) return;
  for (const name of fs.readdirSync(stacks)) {
    const file = path.join(stacks, name, "cdk.tf.json");
    if (!fs.existsSync(file)) continue;
    const text = fs.readFileSync(file, "utf8");
    const canonical = canonicalStackText(text);
    if (canonical !== text) fs.writeFileSync(file, canonical);
  }
}
