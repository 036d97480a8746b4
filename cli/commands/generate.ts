import * as fs from "node:fs";
import * as path from "node:path";
import { type Command, EXIT } from "../command";
import { parseArgs } from "../args";
import { synthesize } from "../synth";
import { readSynthesizedStacks } from "../synthesized";
import { diagramPages } from "./diagram";
import { compareLock, describeDifferences, LOCK_FILE, lockOf, parseLock, renderLock } from "../../src/features/lock/stateful-addresses";

const DIAGRAMS_DIR = path.join("docs", "diagrams");

export const generate: Command = {
  name: "generate",
  summary: "Regenerate the committed files derived from the environments: diagrams and the stateful-address lock",
  help: `Usage: flystack generate [--check]

Synthesizes every environment, then writes what is derived from them and committed with them:
  docs/diagrams/<env>.md         a Mermaid diagram of each environment (as flystack diagram)
  ${LOCK_FILE}   each environment's stateful Terraform addresses (apps, volumes,
                                 certificates, DNS records, secrets)
Run it after changing an environment, and commit what it writes. A removed or renamed address in
the lock means Terraform would destroy that resource: the diff makes it a reviewed change.

Options:
  --check     Write nothing; exit 1, naming each difference, when a file is missing or out of date.
  --help      Show this help.

Exit codes: 0 written (or, with --check, up to date); 1 out of date or invalid configuration.`,
  async run(args, ctx) {
    const { options } = parseArgs(args, { check: { kind: "boolean" } });
    if (!(await synthesize(ctx)).ok) return EXIT.error;
    const stacks = readSynthesizedStacks(path.join(ctx.cwd, "cdktf.out"), []);
    const diagramsDir = path.join(ctx.cwd, DIAGRAMS_DIR);
    const pages = diagramPages(stacks);
    const lock = lockOf(stacks);
    const lockPath = path.join(ctx.cwd, LOCK_FILE);

    if (!options.check) {
      fs.mkdirSync(diagramsDir, { recursive: true });
      for (const [file, text] of pages) fs.writeFileSync(path.join(diagramsDir, file), text);
      fs.writeFileSync(lockPath, renderLock(lock));
      ctx.stdout.write([...[...pages.keys()].map((f) => path.join(DIAGRAMS_DIR, f)), LOCK_FILE].join("\n") + "\n");
      return EXIT.ok;
    }

    const problems: string[] = [];
    for (const [file, text] of pages) {
      const target = path.join(diagramsDir, file);
      if (!fs.existsSync(target)) problems.push(`${path.join(DIAGRAMS_DIR, file)} is missing`);
      else if (fs.readFileSync(target, "utf8") !== text) problems.push(`${path.join(DIAGRAMS_DIR, file)} is out of date`);
    }
    const committed = fs.existsSync(lockPath) ? parseLock(fs.readFileSync(lockPath, "utf8")) : undefined;
    if (!committed) problems.push(`${LOCK_FILE} is ${fs.existsSync(lockPath) ? "not a stateful-address lock" : "missing"}`);
    else problems.push(...describeDifferences(compareLock(committed, lock)));
    if (problems.length === 0) {
      ctx.stdout.write(`up to date: ${[...pages.keys()].map((f) => path.join(DIAGRAMS_DIR, f)).join(", ")}, ${LOCK_FILE}\n`);
      return EXIT.ok;
    }
    ctx.stderr.write(`${problems.map((p) => `- ${p}`).join("\n")}\nReview these changes, then run: bin/flystack generate (and commit what it writes)\n`);
    return EXIT.error;
  },
};
