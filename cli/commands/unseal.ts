import * as fs from "node:fs";
import * as path from "node:path";
import { type Command, EXIT } from "../command";
import { parseArgs, UsageError } from "../args";
import { BUNDLE_FILE, SealError, unsealInto, verificationFrom } from "../plan-crypto";
import { DEFAULT_SIGNING_PUBLIC_KEY, SIGNATURE_FILE } from "../plan-signature";

export const unseal: Command = {
  name: "unseal",
  summary: "Decrypt the sealed plan bundle of \"flystack plan --encrypt-to\" for apply",
  help: `Usage: flystack unseal --plans DIR --key KEY [--verify-with PUBKEY | --allow-unsigned]

First verifies DIR/${SIGNATURE_FILE}, the signature "flystack sign" made, against the signing public
key; an unsigned bundle, one signed with another key and one changed after signing are each refused,
saying which, before anything is decrypted. Then opens DIR/${BUNDLE_FILE} (written by "flystack plan
--encrypt-to") with the RSA private key KEY and writes what it holds: the saved plans into DIR (<stack>.tfplan, <stack>.plan.json) and the
synthesized stacks into cdktf.out/ (over what is there). Then "flystack apply --plans DIR" applies
them, checking each against the stamp inside the plan itself.

Options:
  --plans DIR   Folder holding ${BUNDLE_FILE} (required).
  --key KEY     The private key: a PEM file, or env:NAME to read the PEM from $NAME (a CI secret;
                it is written to a private 0600 temporary file for openssl and removed). Required.
  --verify-with PUBKEY
                The Ed25519 public key the bundle must be signed with (a PEM file or env:NAME).
                Default: ${DEFAULT_SIGNING_PUBLIC_KEY}, as committed.
  --allow-unsigned
                Open a bundle without checking a signature: only one you sealed yourself.
  --help        Show this help.

Exit codes: 0 opened; 1 no bundle, no valid signature, the wrong key, or a corrupt bundle.`,
  async run(args, ctx) {
    const { options } = parseArgs(args, { plans: { kind: "string" }, key: { kind: "string" }, "verify-with": { kind: "string" }, "allow-unsigned": { kind: "boolean" } });
    if (!options.plans) throw new UsageError("--plans DIR is required: the folder holding " + BUNDLE_FILE);
    if (!options.key) throw new UsageError("--key KEY is required: the private key, a PEM file or env:NAME");
    const plansDir = path.resolve(ctx.cwd, options.plans);
    if (!fs.existsSync(plansDir)) throw new UsageError(`--plans ${options.plans}: no such folder`);
    try {
      const verification = verificationFrom(ctx, { verifyWith: options["verify-with"], allowUnsigned: options["allow-unsigned"] });
      const count = await unsealInto(ctx, plansDir, options.key, verification);
      const signed = "publicKey" in verification ? `signature verified against ${verification.publicKey}; ` : "not signed (--allow-unsigned); ";
      ctx.stderr.write(`${signed}unsealed ${count} files: plans into ${options.plans}/, stacks into cdktf.out/\n`);
      return EXIT.ok;
    } catch (error) {
      if (!(error instanceof SealError)) throw error;
      ctx.stderr.write(`flystack unseal: ${error.message}\n`);
      return EXIT.error;
    }
  },
};
