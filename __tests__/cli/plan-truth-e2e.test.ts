/**
 * The saved plan is the truth, against real terraform (and OpenTofu, when built): each way the
 * files beside a plan could lie is refused or ignored, and sealed plans travel encrypted with the
 * real openssl binary.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describeEachBinary, flystack as flystackWith, realBinaries, TestProject } from "./harness";

const binaries = realBinaries();
const MARKER = "PLAINTEXT-MARKER-4f1c9b";

function openssl(cwd: string, args: string[]): void {
  const result = spawnSync("openssl", args, { cwd, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`openssl ${args.join(" ")} failed: ${result.stderr}`);
}

describeEachBinary(binaries, "the saved plan is the truth, against real $name", ({ binary }) => {
  const flystack: typeof flystackWith = (cwd, args, options = {}) =>
    flystackWith(cwd, args, { ...options, env: { TERRAFORM_BINARY_NAME: binary, ...options.env } });
  let project: TestProject;
  afterEach(() => project.cleanup());

  test("production's plan saved as staging.tfplan is refused, and nothing of either stack is applied", async () => {
    project = new TestProject([
      { name: "staging", data: { a: "1" }, flystack: { environment: "staging", protected: false } },
      { name: "production", data: { p: "1" }, flystack: { environment: "production", protected: true } },
    ]);
    expect((await flystack(project.dir, ["plan", "--skip-synth"])).code).toBe(0);
    const plans = path.join(project.dir, "plans");
    fs.copyFileSync(path.join(plans, "production.tfplan"), path.join(plans, "staging.tfplan"));
    fs.copyFileSync(path.join(plans, "production.plan.json"), path.join(plans, "staging.plan.json"));
    const applied = await flystack(project.dir, ["apply", "--plans", "plans", "staging"]);
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain('staging: the saved plan is the plan of stack "production", not "staging"');
    expect(applied.stderr).toContain('staging: the saved plan is for environment "production", but stack "staging" belongs to "staging"');
    expect(applied.stderr).not.toContain("[staging] apply");
    expect(fs.existsSync(project.statePath("production"))).toBe(false);
    expect(fs.existsSync(project.statePath("staging"))).toBe(false);
  });

  test("a plan made at another commit than the one checked out (another commit's cdktf.out) is refused", async () => {
    project = new TestProject([{ name: "production", data: { a: "1" }, flystack: { environment: "production", protected: true } }]);
    const planned = project.commitAll("plan here");
    expect((await flystack(project.dir, ["plan", "--skip-synth"])).code).toBe(0);
    project.write([{ name: "production", data: { a: "1", b: "2" }, flystack: { environment: "production", protected: false } }]);
    const checkedOut = project.commitAll("another commit");
    const applied = await flystack(project.dir, ["apply", "--plans", "plans"]);
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain(`production: the saved plan was made from commit ${planned.slice(0, 12)}, but ${checkedOut.slice(0, 12)} is checked out`);
    expect(fs.existsSync(project.statePath("production"))).toBe(false);

    // At the commit it was made from, the same plan applies.
    expect(spawnSync("git", ["checkout", "-q", planned], { cwd: project.dir }).status).toBe(0);
    const again = await flystack(project.dir, ["apply", "--plans", "plans"]);
    expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: expect.stringContaining("[production] apply: applied") });
  });

  test("a mismatched plan.json changes nothing: the report and the checks come from the .tfplan", async () => {
    project = new TestProject([{ name: "production", data: { a: "1", b: "2" }, flystack: { environment: "production", protected: true } }]);
    expect((await flystack(project.dir, ["plan", "--skip-synth", "--out", "first"])).code).toBe(0);
    expect((await flystack(project.dir, ["apply", "--plans", "first"])).code).toBe(0);
    expect((await flystack(project.dir, ["plan", "--skip-synth", "--out", "nochange"])).code).toBe(0);
    project.write([{ name: "production", data: { a: "1" }, flystack: { environment: "production", protected: true } }]);
    expect((await flystack(project.dir, ["plan", "--skip-synth"])).code).toBe(0);
    // The plan deletes terraform_data.b; the JSON beside it now claims there is nothing to do.
    fs.copyFileSync(path.join(project.dir, "nochange", "production.plan.json"), path.join(project.dir, "plans", "production.plan.json"));
    const applied = await flystack(project.dir, ["apply", "--plans", "plans"]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain("- **production**: Plan: 0 to add, 0 to change, 0 to replace, 1 to destroy.");
    expect(applied.stdout).not.toContain("No changes");
    // Without the plan JSON at all, apply still knows what the plan does.
    project.write([{ name: "production", data: { c: "3" }, flystack: { environment: "production", protected: true } }]);
    expect((await flystack(project.dir, ["plan", "--skip-synth", "--out", "last"])).code).toBe(0);
    fs.rmSync(path.join(project.dir, "last", "production.plan.json"));
    const last = await flystack(project.dir, ["apply", "--plans", "last"]);
    expect(last.stdout).toContain("- **production**: Plan: 1 to add, 0 to change, 0 to replace, 1 to destroy.");
  });

  test("sealed plans: --encrypt-to leaves only summaries and the encrypted bundle; the private key applies it, another key is refused", async () => {
    project = new TestProject([{ name: "staging", data: { a: MARKER }, flystack: { environment: "staging", protected: false } }]);
    const keys = path.join(project.dir, "keys");
    fs.mkdirSync(keys);
    openssl(keys, ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "apply.pem"]);
    openssl(keys, ["pkey", "-in", "apply.pem", "-pubout", "-out", "apply.pub.pem"]);
    openssl(keys, ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "other.pem"]);
    openssl(keys, ["genpkey", "-algorithm", "ed25519", "-out", "signing.pem"]);
    openssl(keys, ["pkey", "-in", "signing.pem", "-pubout", "-out", "signing.pub.pem"]);

    const planned = await flystack(project.dir, ["plan", "--skip-synth", "--encrypt-to", "keys/apply.pub.pem"]);
    expect({ code: planned.code, stderr: planned.stderr }).toEqual({ code: 0, stderr: expect.stringContaining("sealed the plans and cdktf.out into plans/plan-bundle.enc") });
    const plans = path.join(project.dir, "plans");
    expect(fs.readdirSync(plans).sort()).toEqual(["plan-bundle.enc", "summary.json", "summary.md"]);
    const sealed = fs.readFileSync(path.join(plans, "plan-bundle.enc"));
    expect(sealed.subarray(0, 20).toString()).toBe("flystack-sealed-plan");
    for (const plaintext of [MARKER, "terraform_data", "flystack_stamp", "staging.tfplan"]) expect(sealed.includes(plaintext)).toBe(false);
    // The deploy workflow's signing job.
    const signed = await flystack(project.dir, ["sign", "--plans", "plans", "--key", "keys/signing.pem"]);
    expect({ code: signed.code, stderr: signed.stderr }).toEqual({ code: 0, stderr: "signed plans/plan-bundle.enc: plans/plan-bundle.enc.sig\n" });
    const verify = ["--verify-with", "keys/signing.pub.pem"];

    // The apply job starts from a fresh checkout: no cdktf.out, only the artifact.
    fs.rmSync(path.join(project.dir, "cdktf.out"), { recursive: true });
    const wrong = await flystack(project.dir, ["apply", "--plans", "plans", "--decrypt-with", "keys/other.pem", ...verify]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("flystack apply: refused, nothing was applied: the private key keys/other.pem does not open plan-bundle.enc: it was sealed to another key");
    const wrongUnseal = await flystack(project.dir, ["unseal", "--plans", "plans", "--key", "keys/other.pem", ...verify]);
    expect(wrongUnseal.code).toBe(1);
    expect(fs.existsSync(path.join(plans, "staging.tfplan"))).toBe(false);
    expect(fs.existsSync(project.statePath("staging"))).toBe(false);
    const unsetKey = await flystack(project.dir, ["apply", "--plans", "plans", "--decrypt-with", "env:FLYSTACK_PLAN_PRIVATE_KEY", ...verify], { env: { FLYSTACK_PLAN_PRIVATE_KEY: "" } });
    expect(unsetKey.stderr).toContain("the private key is to come from $FLYSTACK_PLAN_PRIVATE_KEY, which is not set or empty");

    const key = fs.readFileSync(path.join(keys, "apply.pem"), "utf8");
    const applied = await flystack(project.dir, ["apply", "--plans", "plans", "--decrypt-with", "env:FLYSTACK_PLAN_PRIVATE_KEY", ...verify], { env: { FLYSTACK_PLAN_PRIVATE_KEY: key } });
    expect({ code: applied.code, stderr: applied.stderr }).toEqual({ code: 0, stderr: expect.stringContaining("[staging] apply: applied") });
    expect(applied.stdout).toContain("- **staging**: Plan: 1 to add");
    expect(JSON.parse(fs.readFileSync(project.statePath("staging"), "utf8")).resources[0].instances[0].attributes.input.value).toBe(MARKER);
    expect(applied.stdout + applied.stderr).not.toContain("BEGIN PRIVATE KEY");
  });

  test("flystack unseal writes the plans and cdktf.out for a later apply; a tampered bundle is refused", async () => {
    project = new TestProject([{ name: "staging", data: { a: "1" }, flystack: { environment: "staging", protected: false } }]);
    openssl(project.dir, ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "apply.pem"]);
    openssl(project.dir, ["pkey", "-in", "apply.pem", "-pubout", "-out", "apply.pub.pem"]);
    const pub = fs.readFileSync(path.join(project.dir, "apply.pub.pem"), "utf8");
    expect((await flystack(project.dir, ["plan", "--skip-synth", "--encrypt-to", "env:FLYSTACK_PLAN_PUBLIC_KEY"], { env: { FLYSTACK_PLAN_PUBLIC_KEY: pub } })).code).toBe(0);
    fs.rmSync(path.join(project.dir, "cdktf.out"), { recursive: true });

    const bundle = path.join(project.dir, "plans", "plan-bundle.enc");
    const good = new Uint8Array(fs.readFileSync(bundle));
    const tampered = new Uint8Array(good);
    tampered[tampered.length - 40] ^= 0xff;
    fs.writeFileSync(bundle, tampered);
    // Without a signature (--allow-unsigned), the bundle's own MAC still catches it.
    const bad = await flystack(project.dir, ["unseal", "--plans", "plans", "--key", "apply.pem", "--allow-unsigned"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("flystack unseal: plan-bundle.enc does not verify: it is corrupt or was tampered with");
    expect(fs.existsSync(path.join(project.dir, "plans", "staging.tfplan"))).toBe(false);
    // Without --allow-unsigned and no committed signing key, nothing is opened.
    const noKey = await flystack(project.dir, ["unseal", "--plans", "plans", "--key", "apply.pem"]);
    expect(noKey.stderr).toContain("flystack unseal: no public key to verify the bundle's signature against: commit .github/plan-keys/signing.pub.pem");

    fs.writeFileSync(bundle, good);
    const opened = await flystack(project.dir, ["unseal", "--plans", "plans", "--key", "apply.pem", "--allow-unsigned"]);
    expect({ code: opened.code, stderr: opened.stderr }).toEqual({ code: 0, stderr: expect.stringContaining("not signed (--allow-unsigned); unsealed") });
    expect(fs.existsSync(path.join(project.dir, "plans", "staging.tfplan"))).toBe(true);
    expect(fs.existsSync(path.join(project.dir, "cdktf.out", "manifest.json"))).toBe(true);
    expect((await flystack(project.dir, ["apply", "--plans", "plans"])).code).toBe(0);
  });

  test("signed bundles: a forged one (sealed to the committed key, unsigned), one signed with another key, and one changed anywhere are each refused, saying which", async () => {
    project = new TestProject([{ name: "staging", data: { a: MARKER }, flystack: { environment: "staging", protected: false } }]);
    const keys = path.join(project.dir, ".github", "plan-keys");
    fs.mkdirSync(keys, { recursive: true });
    openssl(keys, ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "apply.pem"]);
    openssl(keys, ["pkey", "-in", "apply.pem", "-pubout", "-out", "staging.pub.pem"]);
    openssl(keys, ["genpkey", "-algorithm", "ed25519", "-out", "signing.pem"]);
    openssl(keys, ["pkey", "-in", "signing.pem", "-pubout", "-out", "signing.pub.pem"]);
    openssl(keys, ["genpkey", "-algorithm", "ed25519", "-out", "intruder.pem"]);
    const plans = path.join(project.dir, "plans");
    const bundle = path.join(plans, "plan-bundle.enc");
    const signature = path.join(plans, "plan-bundle.enc.sig");
    const unseal = () => flystack(project.dir, ["unseal", "--plans", "plans", "--key", ".github/plan-keys/apply.pem"]);
    const refusal = async () => {
      const run = await unseal();
      expect(run.code).toBe(1);
      expect(fs.existsSync(path.join(plans, "staging.tfplan"))).toBe(false);
      return run.stderr;
    };

    // Forged: anyone holding the committed encryption key can seal a bundle.
    expect((await flystack(project.dir, ["plan", "--skip-synth", "--encrypt-to", ".github/plan-keys/staging.pub.pem"])).code).toBe(0);
    expect(await refusal()).toContain("flystack unseal: plan-bundle.enc is not signed (no plan-bundle.enc.sig): anyone with the committed encryption key can make such a bundle");

    // Signed, but with a key that is not the committed one.
    expect((await flystack(project.dir, ["sign", "--plans", "plans", "--key", ".github/plan-keys/intruder.pem"])).code).toBe(0);
    expect(await refusal()).toMatch(/flystack unseal: plan-bundle\.enc is signed with another key \(signer [0-9a-f]{16}…, expected [0-9a-f]{16}…, the key of \.github\/plan-keys\/signing\.pub\.pem\): it was not made by the deploy workflow/);
    // An RSA key is not a signing key.
    const rsa = await flystack(project.dir, ["sign", "--plans", "plans", "--key", ".github/plan-keys/apply.pem"]);
    expect({ code: rsa.code, stderr: rsa.stderr }).toEqual({ code: 1, stderr: expect.stringContaining("the signing key is a rsa key; plan bundles are signed with Ed25519") });

    // Signed with the right key: any byte changed afterwards, in the header, the sealed key, the MAC,
    // the ciphertext or the signature, is refused as tampered before anything is decrypted.
    expect((await flystack(project.dir, ["sign", "--plans", "plans", "--key", ".github/plan-keys/signing.pem"])).code).toBe(0);
    const good = new Uint8Array(fs.readFileSync(bundle));
    const lines = [0, good.indexOf(0x0a) + 5, good.indexOf(0x0a, good.indexOf(0x0a) + 1) + 3, good.length - 40];
    for (const at of lines) {
      const changed = new Uint8Array(good);
      changed[at] ^= 0x01;
      fs.writeFileSync(bundle, changed);
      expect(await refusal()).toContain("flystack unseal: plan-bundle.enc was changed after it was signed (its signature does not verify): tampered with or corrupt");
    }
    fs.writeFileSync(bundle, good);
    const goodSignature = fs.readFileSync(signature, "utf8");
    const [header, signer, sig] = goodSignature.split("\n");
    const flipped = `${sig.slice(0, 10)}${sig[10] === "A" ? "B" : "A"}${sig.slice(11)}`;
    fs.writeFileSync(signature, `${header}\n${signer}\n${flipped}\n`);
    expect(await refusal()).toContain("was changed after it was signed");

    fs.writeFileSync(signature, goodSignature);
    const opened = await unseal();
    expect({ code: opened.code, stderr: opened.stderr }).toEqual({ code: 0, stderr: expect.stringContaining("signature verified against .github/plan-keys/signing.pub.pem; unsealed") });
    expect((await flystack(project.dir, ["apply", "--plans", "plans"])).code).toBe(0);
  });
});
