import * as fs from "node:fs";
import * as path from "node:path";
import { COMMANDS } from "../../cli/commands";
import { cliReference } from "../../cli/reference";
import { loadCommand } from "../../cli/command";

const DOC = path.join(__dirname, "../../docs/cli.md");

describe("docs/cli.md", () => {
  it("is what the commands' --help texts make (run npm run gen:cli-docs after changing one)", () => {
    expect(fs.readFileSync(DOC, "utf8")).toBe(cliReference(COMMANDS));
  });

  it("holds every command's help and every subcommand's", () => {
    const doc = fs.readFileSync(DOC, "utf8");
    for (const entry of COMMANDS) {
      const command = loadCommand(entry);
      expect(doc).toContain(`## flystack ${command.name}\n`);
      expect(doc).toContain(command.help.trimEnd());
      for (const sub of command.subcommands ?? []) expect(doc).toContain(command.helpFor!([sub]).trimEnd());
    }
  });
});
