import * as fs from "node:fs";
import * as path from "node:path";
import { type Command, EXIT } from "../command";
import { parseArgs, UsageError } from "../args";
import { BUNDLE_FILE, SealError } from "../sealed-bundle";
import { DEFAULT_SIGNING_PUBLIC_KEY, SIGNATURE_FILE, signBundle } from "../plan-signature";

/** `flystack sign`: what the deploy workflow's signing job runs on each sealed bundle. */
export const sign: Command = {
  name: "sign",
  summary: "Sign the sealed plan bundle with the deploy workflow's Ed25519 key, so apply trusts it",
  help: `Usage: flystack sign --plans DIR --key KEY

Signs DIR/${BUNDLE_FILE} (written by "flystack plan --encrypt-to") with the Ed25519 private key KEY
and writes the signature to DIR/${SIGNATURE_FILE}. "flystack unseal" and "flystack apply
--decrypt-with" verify it against the committed public key (${DEFAULT_SIGNING_PUBLIC_KEY}) before
they decrypt anything, so only a bundle signed with this key is applied.

The deploy workflow runs it in a job of the GitHub environment "plan-signing", which only branch main
reaches and which alone holds the key (secret FLYSTACK_PLAN_SIGNING_KEY): a pull request can seal a
bundle to the committed encryption key, but cannot sign one. "flystack setup" and docs/runbook.md
("Set up") say how to make the key pair.

Options:
  --plans DIR   Folder holding ${BUNDLE_FILE} (required).
  --key KEY     The Ed25519 private key: a PEM file, or env:NAME to read the PEM from $NAME (a CI
                secret; it is written to a private 0600 temporary file for openssl and removed). Required.
  --help        Show this help.

Exit codes: 0 signed; 1 no bundle, or a key that is not an Ed25519 private key.`,
  async run(args, ctx) {
    const { options } = parseArgs(args, { plans: { kind: "string" }, key: { kind: "string" } });
    if (!options.plans) throw new UsageError(`--plans DIR is required: the folder holding ${BUNDLE_FILE}`);
    if (!options.key) throw new UsageError("--key KEY is required: the Ed25519 private key, a PEM file or env:NAME");
    const plansDir = path.resolve(ctx.cwd, options.plans);
    if (!fs.existsSync(plansDir)) throw new UsageError(`--plans ${options.plans}: no such folder`);
    try {
      const written = await signBundle(ctx, plansDir, options.key);
      ctx.stderr.write(`signed ${path.join(options.plans, BUNDLE_FILE)}: ${path.relative(ctx.cwd, written)}\n`);
      return EXIT.ok;
    } catch (error) {
      if (!(error instanceof SealError)) throw error;
      ctx.stderr.write(`flystack sign: ${error.message}\n`);
      return EXIT.error;
    }
  },
};
