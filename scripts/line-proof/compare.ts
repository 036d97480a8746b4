/**
 * Compares two synthesis outputs (./synthesize.ts) stack by stack, byte for byte, apart from one
 * listed key: `"//".metadata.version`, the construct library's own version stamp (0.21.0 on CDKTF,
 * 0.24.0 on CDK Terrain), which Terraform ignores ("//" is a comment in JSON configuration).
 * Prints one line per stack; exits 1 on any other difference, naming it.
 *
 *   npx tsx scripts/line-proof/compare.ts CDKTF_DIR CDKTN_DIR
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const EXPLAINED_KEYS = ['"//".metadata.version'];

function stacks(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const next = path.join(rel, e.name);
      if (e.isDirectory()) walk(next);
      else if (e.name === "cdk.tf.json") out.push(next);
    }
  };
  walk(".");
  return out.sort();
}

/** The text with the explained key blanked, so the rest compares byte for byte. */
function withoutExplained(text: string): { text: string; version?: string } {
  const json = JSON.parse(text) as { "//"?: { metadata?: { version?: string } } };
  const version = json["//"]?.metadata?.version;
  // Blank the value where it stands, so key order and formatting are still compared.
  return { text: version === undefined ? text : text.replace(`"version": ${JSON.stringify(version)}`, '"version": "<library version>"'), version };
}

const [a, b] = process.argv.slice(2);
if (!a || !b) {
  process.stderr.write("usage: compare.ts CDKTF_DIR CDKTN_DIR\n");
  process.exit(2);
}
const left = stacks(a);
const right = stacks(b);
let failed = left.join() !== right.join();
if (failed) process.stdout.write(`different stacks: ${left.join(", ")} vs ${right.join(", ")}\n`);
for (const file of left.filter((f) => right.includes(f))) {
  const x = fs.readFileSync(path.join(a, file), "utf8");
  const y = fs.readFileSync(path.join(b, file), "utf8");
  const ex = withoutExplained(x);
  const ey = withoutExplained(y);
  const same = ex.text === ey.text;
  failed ||= !same;
  process.stdout.write(`${same ? "identical" : "DIFFERENT"}  ${file}  ${x.length} / ${y.length} bytes${x === y ? "" : `, apart from "//".metadata.version ${ex.version} / ${ey.version}`}\n`);
}
process.stdout.write(failed ? "the lines synthesize different Terraform\n" : `every stack is byte-identical apart from ${EXPLAINED_KEYS.join(", ")}\n`);
process.exit(failed ? 1 : 0);
