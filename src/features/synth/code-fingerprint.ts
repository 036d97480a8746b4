/**
 * The code a synthesis runs, as one digest: two syntheses with the same fingerprint and the same
 * inputs for a stack (./stack-inputs.ts) write the same cdk.tf.json for it. A changed stack can then
 * be told apart from an unchanged one without synthesizing the unchanged (./synthesis-record.ts).
 *
 * What synthesis is made of: main.ts and the folders it loads (stacks/, constructs/, policies/,
 * src/), the provider schemas and pins in providers/ (the bindings in .gen/ are generated from them
 * by code in src/; the provider double in providers/double is the tests'), and the dependencies' exact versions (package-lock.json) and TypeScript settings.
 * environments/ is not part of it: an environment file's effect is its configuration, which each
 * stack's inputs carry. __tests__/synth/code-fingerprint.test.ts checks that every project module a
 * synthesis loads lies under SYNTHESIS_CODE, so a team that adds a folder of constructs is told to add it here.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** Files and folders (relative to the project) whose content is the code a synthesis runs. */
export const SYNTHESIS_CODE: readonly string[] = ["main.ts", "stacks", "constructs", "policies", "src", "providers", "package-lock.json", "tsconfig.json"];

/** Under SYNTHESIS_CODE but not synthesis: the provider double, built and run by the tests only. */
const NOT_SYNTHESIS: ReadonlySet<string> = new Set(["providers/double"]);

/** Raised with a change of what a fingerprint or a stack's inputs cover, so older records never match. */
export const FINGERPRINT_FORMAT = 1;

const fingerprints = new Map<string, string>();

/** sha256 over SYNTHESIS_CODE's files under `root` (path and content, in path order); computed once per root and process. */
export function codeFingerprint(root: string): string {
  const known = fingerprints.get(root);
  if (known) return known;
  const hash = createHash("sha256").update(`flystack synthesis code, format ${FINGERPRINT_FORMAT}\n`);
  for (const file of codeFiles(root)) {
    hash.update(`${file}\n`);
    hash.update(createHash("sha256").update(fs.readFileSync(path.join(root, file), "latin1"), "latin1").digest("hex"));
    hash.update("\n");
  }
  const digest = hash.digest("hex");
  fingerprints.set(root, digest);
  return digest;
}

/** The files SYNTHESIS_CODE names under `root`, relative with `/`, sorted; node_modules and dot-folders skipped. */
export function codeFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (rel: string) => {
    const full = path.join(root, rel);
    const stat = fs.statSync(full, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isFile()) {
      files.push(rel);
      return;
    }
    if (!stat.isDirectory()) return;
    for (const entry of fs.readdirSync(full)) {
      if (entry === "node_modules" || entry.startsWith(".") || NOT_SYNTHESIS.has(`${rel}/${entry}`)) continue;
      walk(`${rel}/${entry}`);
    }
  };
  for (const entry of SYNTHESIS_CODE) walk(entry);
  return files.sort();
}
