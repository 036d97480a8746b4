/**
 * Sealed plan bundles: the saved plans, their JSON and the synthesized stacks, encrypted to a public
 * key so that a workflow artifact holds nothing readable (prior state, IP addresses, plain env,
 * secret digests). Only the holder of the private key (the apply environment) can open it.
 *
 * Hybrid encryption with the `openssl` command line (on every CI runner), run through the CLI's one
 * process runner:
 *   - two fresh random 256-bit keys per bundle: one the passphrase of `openssl enc` (64 hex digits),
 *     one for an HMAC-SHA256 of the ciphertext (encrypt-then-MAC: CBC alone does not notice a
 *     flipped byte);
 *   - the bundle encrypted: `openssl enc -aes-256-cbc -pbkdf2 -salt`;
 *   - both keys sealed to the RSA public key: `openssl pkeyutl -encrypt` with OAEP (SHA-256).
 * The sealed file is a header line, the base64 of the sealed keys, the hex HMAC, and the ciphertext:
 *
 *   flystack-sealed-plan 1 rsa-oaep-sha256 aes-256-cbc-pbkdf2 hmac-sha256\n<base64>\n<hex>\n<ciphertext>
 *
 * It gives confidentiality, not authenticity: anyone with the public key can seal a bundle. So a
 * bundle is opened only after its signature verifies (./plan-signature.ts: the deploy workflow signs
 * it with a key only branch main reaches), and what apply trusts still comes from the plan it opens
 * and checks (./plan-file.ts), never from the wrapping.
 *
 * Keys are given as a PEM file path, or as `env:NAME` to read the PEM from an environment variable
 * (a CI secret); such a key is written to a 0600 file in a private temporary folder for openssl and
 * removed afterwards, as is every plaintext intermediate.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { CliContext } from "./command";
import { readManifest } from "./stacks";
import { isObject } from "../src/util/json-object";
import { onlyStacks, readRecord, SYNTHESIS_RECORD_FILE } from "../src/features/synth/synthesis-record";
import { DEFAULT_SIGNING_PUBLIC_KEY, verifyBundle } from "./plan-signature";

import { BUNDLE_FILE, SealError } from "./sealed-bundle";

export { BUNDLE_FILE, SealError } from "./sealed-bundle";
const MAGIC = "flystack-sealed-plan 1 rsa-oaep-sha256 aes-256-cbc-pbkdf2 hmac-sha256";
const BUNDLE_FORMAT = "flystack-plan-bundle/1";
const OAEP = ["-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-pkeyopt", "rsa_mgf1_md:sha256"];
const ENC = ["-aes-256-cbc", "-pbkdf2", "-iter", "100000", "-md", "sha256"];


/** Files of a bundle, by bundle path: "plans/<file>" (the plans folder) or "cdktf.out/<path>". */
export type BundleFiles = Map<string, Buffer>;

/** Buffer as the Uint8Array fs and Buffer.concat take (this @types/node's Buffer type predates TS 5.7's generic Uint8Array). */
const bytes = (data: Buffer): Uint8Array => new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/** HMAC-SHA256 (hex) of the ciphertext under the hex key. */
function mac(hexKey: string, ciphertext: Buffer): string {
  return crypto.createHmac("sha256", bytes(Buffer.from(hexKey, "hex"))).update(bytes(ciphertext)).digest("hex");
}

/** A private temporary folder (0700), removed with everything in it by `done`. */
function scratch(): { dir: string; done: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-seal-"));
  fs.chmodSync(dir, 0o700);
  return { dir, done: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The key as a file openssl can read: the given path, or `env:NAME` written to a 0600 file in `dir`. */
function keyFile(ctx: CliContext, key: string, dir: string, what: string): string {
  if (key.startsWith("env:")) {
    const name = key.slice(4);
    const pem = ctx.env[name];
    if (!pem || pem.trim() === "") throw new SealError(`the ${what} is to come from $${name}, which is not set or empty`);
    const file = path.join(dir, `${what.replace(/\W+/g, "-")}.pem`);
    fs.writeFileSync(file, pem.endsWith("\n") ? pem : `${pem}\n`, { mode: 0o600 });
    return file;
  }
  const file = path.resolve(ctx.cwd, key);
  if (!fs.existsSync(file)) throw new SealError(`the ${what} ${key} does not exist`);
  return file;
}

async function openssl(ctx: CliContext, args: string[], dir: string): Promise<{ code: number; stderr: string }> {
  const result = await ctx.runner.run("openssl", args, { cwd: dir, env: ctx.env });
  return { code: result.code, stderr: result.stderr.trim().split("\n").slice(-3).join("\n") };
}

function encodeBundle(files: BundleFiles): Buffer {
  const entries = Object.fromEntries([...files].sort(([a], [b]) => a.localeCompare(b)).map(([name, data]) => [name, data.toString("base64")]));
  return Buffer.from(JSON.stringify({ format: BUNDLE_FORMAT, files: entries }));
}

function decodeBundle(data: Buffer): BundleFiles {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString("utf8"));
  } catch {
    throw new SealError("the opened bundle is not a flystack plan bundle (corrupt or tampered with)");
  }
  const { format, files } = (parsed ?? {}) as { format?: unknown; files?: unknown };
  if (format !== BUNDLE_FORMAT || typeof files !== "object" || files === null) throw new SealError(`the opened bundle is not a ${BUNDLE_FORMAT} bundle`);
  const result: BundleFiles = new Map();
  for (const [name, value] of Object.entries(files)) {
    if (typeof value !== "string") throw new SealError(`the bundle entry ${name} is not base64 text`);
    result.set(checkedBundlePath(name), Buffer.from(value, "base64"));
  }
  return result;
}

/** A bundle path must stay inside plans/ or cdktf.out/: nothing absolute, no "..". */
function checkedBundlePath(name: string): string {
  const parts = name.split("/");
  const safe = (parts[0] === "plans" || parts[0] === "cdktf.out") && parts.length >= 2 && parts.every((p) => p !== "" && p !== "." && p !== ".." && !p.includes("\\"));
  if (!safe) throw new SealError(`the bundle holds a path outside plans/ and cdktf.out/: ${JSON.stringify(name)}`);
  return name;
}

/** Encrypts `files` to the RSA public key `publicKey` (a path or env:NAME) and writes the sealed bundle to `target`. */
export async function sealBundle(ctx: CliContext, files: BundleFiles, publicKey: string, target: string): Promise<void> {
  const tmp = scratch();
  try {
    const pub = keyFile(ctx, publicKey, tmp.dir, "public key");
    const passFile = path.join(tmp.dir, "key");
    const macKey = crypto.randomBytes(32).toString("hex");
    fs.writeFileSync(passFile, `${crypto.randomBytes(32).toString("hex")}\n${macKey}\n`, { mode: 0o600 });
    const sealedKey = path.join(tmp.dir, "key.sealed");
    const sealed = await openssl(ctx, ["pkeyutl", "-encrypt", "-pubin", "-inkey", pub, ...OAEP, "-in", passFile, "-out", sealedKey], tmp.dir);
    if (sealed.code !== 0) throw new SealError(`openssl could not seal the key to ${publicKey} (an RSA public key in PEM is needed):\n${sealed.stderr}`);
    const plain = path.join(tmp.dir, "bundle");
    fs.writeFileSync(plain, bytes(encodeBundle(files)), { mode: 0o600 });
    const cipher = path.join(tmp.dir, "bundle.enc");
    const encrypted = await openssl(ctx, ["enc", "-e", ...ENC, "-salt", "-pass", `file:${passFile}`, "-in", plain, "-out", cipher], tmp.dir);
    if (encrypted.code !== 0) throw new SealError(`openssl enc failed:\n${encrypted.stderr}`);
    const ciphertext = fs.readFileSync(cipher);
    const header = `${MAGIC}\n${fs.readFileSync(sealedKey).toString("base64")}\n${mac(macKey, ciphertext)}\n`;
    fs.writeFileSync(target, bytes(Buffer.concat([bytes(Buffer.from(header)), bytes(ciphertext)])));
  } finally {
    tmp.done();
  }
}

/** Opens a sealed bundle with the RSA private key `privateKey` (a path or env:NAME). */
export async function openBundle(ctx: CliContext, source: string, privateKey: string): Promise<BundleFiles> {
  const data = fs.readFileSync(source);
  const first = data.indexOf(0x0a);
  const second = first === -1 ? -1 : data.indexOf(0x0a, first + 1);
  const third = second === -1 ? -1 : data.indexOf(0x0a, second + 1);
  if (third === -1 || data.subarray(0, first).toString() !== MAGIC) {
    throw new SealError(`${path.basename(source)} is not a sealed flystack plan bundle (expected the header "${MAGIC}")`);
  }
  const tmp = scratch();
  try {
    const key = keyFile(ctx, privateKey, tmp.dir, "private key");
    const sealedKey = path.join(tmp.dir, "key.sealed");
    fs.writeFileSync(sealedKey, bytes(Buffer.from(data.subarray(first + 1, second).toString(), "base64")));
    const passFile = path.join(tmp.dir, "key");
    const opened = await openssl(ctx, ["pkeyutl", "-decrypt", "-inkey", key, ...OAEP, "-in", sealedKey, "-out", passFile], tmp.dir);
    if (opened.code !== 0 || !fs.existsSync(passFile) || fs.statSync(passFile).size === 0) {
      throw new SealError(`the private key ${privateKey} does not open ${path.basename(source)}: it was sealed to another key (or the key is not an RSA private key in PEM)`);
    }
    const [passphrase, macKey] = fs.readFileSync(passFile, "utf8").split("\n");
    const ciphertext = data.subarray(third + 1);
    const expected = Buffer.from(mac(macKey ?? "", ciphertext), "hex");
    const found = Buffer.from(data.subarray(second + 1, third).toString(), "hex");
    if (!passphrase || !macKey || found.length !== expected.length || !crypto.timingSafeEqual(bytes(found), bytes(expected))) {
      throw new SealError(`${path.basename(source)} does not verify: it is corrupt or was tampered with`);
    }
    const cipher = path.join(tmp.dir, "bundle.enc");
    fs.writeFileSync(cipher, bytes(ciphertext));
    const plain = path.join(tmp.dir, "bundle");
    const decrypted = await openssl(ctx, ["enc", "-d", ...ENC, "-pass", `file:${passFile}`, "-in", cipher, "-out", plain], tmp.dir);
    if (decrypted.code !== 0) throw new SealError(`${path.basename(source)} does not decrypt (corrupt or tampered with):\n${decrypted.stderr}`);
    return decodeBundle(fs.readFileSync(plain));
  } finally {
    tmp.done();
  }
}

/** Throws a SealError now, before any work, when `key` (a path or env:NAME) names nothing. */
export function assertKeyGiven(ctx: CliContext, key: string, what: string): void {
  if (key.startsWith("env:")) {
    const value = ctx.env[key.slice(4)];
    if (!value || value.trim() === "") throw new SealError(`the ${what} is to come from $${key.slice(4)}, which is not set or empty`);
  } else if (!fs.existsSync(path.resolve(ctx.cwd, key))) {
    throw new SealError(`the ${what} ${key} does not exist`);
  }
}

/** The plans and synthesized stacks to seal: the given plan files of DIR and cdktf.out without .terraform/ folders. */
export function collectBundle(planFiles: readonly string[], cdktfOut: string, stacks?: readonly string[]): BundleFiles {
  const files: BundleFiles = new Map();
  for (const file of planFiles) if (fs.existsSync(file)) files.set(`plans/${path.basename(file)}`, fs.readFileSync(file));
  const walk = (dir: string, rel: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (entry.name !== ".terraform") walk(path.join(dir, entry.name), `${rel}/${entry.name}`);
      } else if (entry.isFile()) {
        files.set(`${rel}/${entry.name}`, fs.readFileSync(path.join(dir, entry.name)));
      }
    }
  };
  if (!fs.existsSync(cdktfOut)) return files;
  if (stacks === undefined) {
    walk(cdktfOut, "cdktf.out");
    return files;
  }
  // Only the planned stacks: a batch's bundle does not carry the other stacks of a large synthesis.
  const wanted = new Set(stacks);
  const manifest: unknown = JSON.parse(fs.readFileSync(path.join(cdktfOut, "manifest.json"), "utf8"));
  const listed = isObject(manifest) && isObject(manifest.stacks) ? manifest.stacks : {};
  const kept = Object.fromEntries(Object.entries(listed).filter(([name]) => wanted.has(name)));
  files.set("cdktf.out/manifest.json", Buffer.from(`${JSON.stringify({ ...(isObject(manifest) ? manifest : {}), stacks: kept }, null, 2)}\n`));
  const record = readRecord(cdktfOut);
  if (record) files.set(`cdktf.out/${SYNTHESIS_RECORD_FILE}`, Buffer.from(`${JSON.stringify(onlyStacks(record, stacks), null, 1)}\n`));
  for (const stack of readManifest(cdktfOut).filter((s) => wanted.has(s.name))) walk(stack.dir, `cdktf.out/${path.relative(cdktfOut, stack.dir).split(path.sep).join("/")}`);
  return files;
}

/** Writes an opened bundle: plans/… into `plansDir`, cdktf.out/… into `projectDir`/cdktf.out. Returns the count. */
export function writeBundle(files: BundleFiles, plansDir: string, projectDir: string): number {
  for (const [name, data] of files) {
    const target = name.startsWith("plans/") ? path.join(plansDir, name.slice("plans/".length)) : path.join(projectDir, name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, bytes(data), { mode: 0o600 });
  }
  return files.size;
}

/**
 * Opens DIR/plan-bundle.enc with `privateKey` and writes its plans into DIR and its stacks into
 * cdktf.out/ of the project (over what is there). Returns the number of files written.
 */
export async function unsealInto(ctx: CliContext, plansDir: string, privateKey: string, verification: Verification): Promise<number> {
  const source = path.join(plansDir, BUNDLE_FILE);
  if (!fs.existsSync(source)) throw new SealError(`no sealed bundle ${path.relative(ctx.cwd, source)} (made by "flystack plan --encrypt-to")`);
  // The signature first: nothing of an unsigned or forged bundle is decrypted, let alone trusted.
  if (!("allowUnsigned" in verification)) await verifyBundle(ctx, plansDir, verification.publicKey);
  return writeBundle(await openBundle(ctx, source, privateKey), plansDir, ctx.cwd);
}

/** How a bundle's signature is checked before it is opened: against this public key, or (by explicit choice) not at all. */
export type Verification = { readonly publicKey: string } | { readonly allowUnsigned: true };

/**
 * The verification `--verify-with KEY` / `--allow-unsigned` ask for; without either, the committed
 * signing public key. With neither given nor committed, a SealError saying how to get one.
 */
export function verificationFrom(ctx: CliContext, options: { readonly verifyWith?: string; readonly allowUnsigned?: boolean }): Verification {
  if (options.verifyWith && options.allowUnsigned) throw new SealError("--verify-with and --allow-unsigned contradict each other: give one");
  if (options.allowUnsigned) return { allowUnsigned: true };
  if (options.verifyWith) return { publicKey: options.verifyWith };
  if (fs.existsSync(path.join(ctx.cwd, DEFAULT_SIGNING_PUBLIC_KEY))) return { publicKey: DEFAULT_SIGNING_PUBLIC_KEY };
  throw new SealError(
    `no public key to verify the bundle's signature against: commit ${DEFAULT_SIGNING_PUBLIC_KEY} ("flystack setup" says how) or pass --verify-with KEY; --allow-unsigned opens an unsigned bundle (only one you sealed yourself)`,
  );
}
