/**
 * Writes docs/cli.md from each command's `--help` (cli/reference.ts). Run after changing a help text:
 *
 *   npm run gen:cli-docs
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { COMMANDS } from "../cli/commands";
import { cliReference } from "../cli/reference";

const target = path.join(__dirname, "..", "docs", "cli.md");
fs.writeFileSync(target, cliReference(COMMANDS));
process.stderr.write(`gen-cli-docs: wrote docs/cli.md (${COMMANDS.length} commands)\n`);
