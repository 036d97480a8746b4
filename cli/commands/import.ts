import { type Command } from "../command";
import { UsageError } from "../args";

// The subcommands' modules (zod, smol-toml, the Fly API client) load when one runs or prints its help.
/* eslint-disable @typescript-eslint/no-require-imports */
const flyToml = () => require("./import-fly-toml") as typeof import("./import-fly-toml");
const live = () => require("./import-app") as typeof import("./import-app");
/* eslint-enable @typescript-eslint/no-require-imports */

/** `flystack import`: brings existing Fly apps under flystack; one subcommand per source. */
export const importCommand: Command = {
  name: "import",
  summary: "Write existing Fly apps into an environment file, from fly.toml or from the live app",
  help: `Usage: flystack import fly-toml PATH… --env ENV [options]
       flystack import app NAME… --env ENV [options]

Writes existing Fly apps into environments/ENV.ts, with a report of everything that could not be
carried over as it was (and what to do instead). Nothing is written unless every environment validates.

Subcommands:
  fly-toml   Translate fly.toml files (Fly Launch's configuration); nothing is read from Fly.
  app        Read live apps through Fly's Machines API and adopt their machines, volumes,
             addresses and certificates (the first plan imports them instead of creating).

Run "flystack import fly-toml --help" or "flystack import app --help" for their options.

Exit codes: 0 written; 1 nothing written (an error; every problem is listed).`,
  subcommands: ["fly-toml", "app"],
  helpFor(args) {
    const sub = args.find((a) => !a.startsWith("-"));
    return sub === "fly-toml" ? flyToml().IMPORT_FLY_TOML_HELP : sub === "app" ? live().IMPORT_APP_HELP : this.help;
  },
  async run(args, ctx) {
    const [sub, ...rest] = args;
    if (sub === "fly-toml") return flyToml().importFlyToml(rest, ctx);
    if (sub === "app") return live().importApp(rest, ctx);
    throw new UsageError(sub === undefined ? 'say what to import from: "import fly-toml PATH… --env ENV" or "import app NAME… --env ENV"' : `cannot import from "${sub}"; use "fly-toml" or "app"`);
  },
};
