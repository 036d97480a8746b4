/**
 * Signed plan bundles. Sealing (./plan-crypto.ts) gives confidentiality only: the public key it seals
 * to is committed, so anyone can make a bundle that opens. A signature says who made it: the deploy
 * workflow signs each bundle in a job of a GitHub environment only branch main reaches
 * (`plan-signing`), with an Ed25519 key only that environment holds, and apply verifies it against
 * the committed public key before it decrypts or trusts anything in the bundle.
 *
 * `DIR/plan-bundle.enc.sig` is three lines: a header, the SHA-256 fingerprint of the signer's public
 * key (so a bundle signed with another key is told apart from a tampered one), and the base64
 * Ed25519 signature of every byte of the bundle (its header, sealed key, MAC and ciphertext).
 * Signing and verifying run the real `openssl pkeyutl` through the CLI's process runner.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { CliContext } from "./command";
import { BUNDLE_FILE, SealError } from "./sealed-bundle";

export const SIGNATURE_FILE = `${BUNDLE_FILE}.sig`;
/** Where the workflows' signing public key is committed. */
export const DEFAULT_SIGNING_PUBLIC_KEY = ".github/plan-keys/signing.pub.pem";
const HEADER = "flystack-plan-signature 1 ed25519";

/** The PEM text of a key given as a path or env:NAME. */
function pemOf(ctx: CliContext, key: string, what: string): string {
  if (key.startsWith("env:")) {
    const pem = ctx.env[key.slice(4)];
    if (!pem || pem.trim() === "") throw new SealError(`the ${what} is to come from $${key.slice(4)}, which is not set or empty`);
    return pem.endsWith("\n") ? pem : `${pem}\n`;
  }
  const file = path.resolve(ctx.cwd, key);
  if (!fs.existsSync(file)) throw new SealError(`the ${what} ${key} does not exist`);
  return fs.readFileSync(file, "utf8");
}

/** SHA-256 of the public key's SubjectPublicKeyInfo, hex. */
function fingerprint(key: crypto.KeyObject): string {
  return crypto.createHash("sha256").update(new Uint8Array(key.export({ type: "spki", format: "der" }))).digest("hex");
}

function ed25519(pem: string, kind: "private" | "public", what: string): crypto.KeyObject {
  let key: crypto.KeyObject;
  try {
    key = kind === "private" ? crypto.createPrivateKey(pem) : crypto.createPublicKey(pem);
  } catch {
    throw new SealError(`the ${what} is not a ${kind} key in PEM`);
  }
  if (key.asymmetricKeyType !== "ed25519") throw new SealError(`the ${what} is a ${key.asymmetricKeyType ?? "unknown"} key; plan bundles are signed with Ed25519 (openssl genpkey -algorithm ed25519)`);
  return key;
}

/** A private folder (0700) for openssl's files, removed afterwards. */
async function inScratch<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-sign-"));
  fs.chmodSync(dir, 0o700);
  try {
    return await work(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Signs DIR/plan-bundle.enc with the Ed25519 private key `privateKey` (a path or env:NAME); writes DIR/plan-bundle.enc.sig. */
export async function signBundle(ctx: CliContext, plansDir: string, privateKey: string): Promise<string> {
  const bundle = path.join(plansDir, BUNDLE_FILE);
  if (!fs.existsSync(bundle)) throw new SealError(`no sealed bundle ${path.relative(ctx.cwd, bundle)} to sign (made by "flystack plan --encrypt-to")`);
  const pem = pemOf(ctx, privateKey, "signing key");
  const key = ed25519(pem, "private", "signing key");
  const signer = fingerprint(crypto.createPublicKey(key));
  return inScratch(async (dir) => {
    const keyFile = path.join(dir, "signing.pem");
    fs.writeFileSync(keyFile, pem, { mode: 0o600 });
    const out = path.join(dir, "signature");
    const signed = await ctx.runner.run("openssl", ["pkeyutl", "-sign", "-inkey", keyFile, "-rawin", "-in", bundle, "-out", out], { cwd: dir, env: ctx.env });
    if (signed.code !== 0 || !fs.existsSync(out)) throw new SealError(`openssl could not sign ${BUNDLE_FILE}:\n${signed.stderr.trim().split("\n").slice(-3).join("\n")}`);
    const target = path.join(plansDir, SIGNATURE_FILE);
    fs.writeFileSync(target, `${HEADER}\n${signer}\n${fs.readFileSync(out).toString("base64")}\n`);
    return target;
  });
}

/**
 * Refuses DIR/plan-bundle.enc unless DIR/plan-bundle.enc.sig is a signature of it by the key whose
 * public half is `publicKey` (a path or env:NAME). Says which: unsigned, signed with another key, or
 * changed after signing.
 */
export async function verifyBundle(ctx: CliContext, plansDir: string, publicKey: string): Promise<void> {
  const bundle = path.join(plansDir, BUNDLE_FILE);
  if (!fs.existsSync(bundle)) throw new SealError(`no sealed bundle ${path.relative(ctx.cwd, bundle)} (made by "flystack plan --encrypt-to")`);
  const expected = fingerprint(ed25519(pemOf(ctx, publicKey, "signing public key"), "public", `signing public key ${publicKey}`));
  const sigFile = path.join(plansDir, SIGNATURE_FILE);
  if (!fs.existsSync(sigFile)) {
    throw new SealError(`${BUNDLE_FILE} is not signed (no ${SIGNATURE_FILE}): anyone with the committed encryption key can make such a bundle; only a bundle the deploy workflow signed is applied`);
  }
  const [header, signer, signature] = fs.readFileSync(sigFile, "utf8").split("\n");
  if (header !== HEADER || !/^[0-9a-f]{64}$/.test(signer ?? "") || !/^[A-Za-z0-9+/]+={0,2}$/.test(signature ?? "")) {
    throw new SealError(`${SIGNATURE_FILE} is not a flystack plan signature (expected the header "${HEADER}"): corrupt or tampered with`);
  }
  if (signer !== expected) {
    throw new SealError(`${BUNDLE_FILE} is signed with another key (signer ${signer.slice(0, 16)}…, expected ${expected.slice(0, 16)}…, the key of ${publicKey}): it was not made by the deploy workflow`);
  }
  await inScratch(async (dir) => {
    const pub = path.join(dir, "signing.pub.pem");
    fs.writeFileSync(pub, pemOf(ctx, publicKey, "signing public key"));
    const sig = path.join(dir, "signature");
    fs.writeFileSync(sig, new Uint8Array(Buffer.from(signature!, "base64")));
    const verified = await ctx.runner.run("openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", pub, "-rawin", "-in", bundle, "-sigfile", sig], { cwd: dir, env: ctx.env });
    if (verified.code !== 0) throw new SealError(`${BUNDLE_FILE} was changed after it was signed (its signature does not verify): tampered with or corrupt; nothing of it is trusted`);
  });
}
