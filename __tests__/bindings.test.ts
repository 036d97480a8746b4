import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { COMMITTED_BINDINGS, generateBindings } from "../src/features/providers/generate-bindings";

/** Lists every file below `dir`, relative to it. */
function files(dir: string, prefix = ""): string[] {
  return fs
    .readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(dir, path.join(prefix, e.name)) : [path.join(prefix, e.name)]))
    .sort();
}

describe.each(COMMITTED_BINDINGS)("generated %s provider bindings", (provider) => {
  const committed = path.join(__dirname, "..", ".gen", "providers", provider);
  let fresh: string;
  beforeAll(async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-gen-"));
    await generateBindings(provider, out);
    fresh = path.join(out, "providers", provider);
  });
  afterAll(() => fs.rmSync(path.dirname(path.dirname(fresh)), { recursive: true, force: true }));

  test(`regenerating from providers/${provider}.schema.json gives exactly the committed .gen (run \`npm run gen:providers\`)`, () => {
    expect(files(fresh)).toEqual(files(committed));
    for (const file of files(fresh)) {
      expect({ file, text: fs.readFileSync(path.join(committed, file), "utf8") }).toEqual({ file, text: fs.readFileSync(path.join(fresh, file), "utf8") });
    }
  });
});

describe("what the bindings cover", () => {
  const dirs = (provider: string) => fs.readdirSync(path.join(__dirname, "..", ".gen", "providers", provider)).filter((f) => !f.endsWith(".ts")).sort();

  test("fly: the provider and the seven resources the platform uses", () => {
    expect(dirs("fly")).toEqual(["app", "cert", "cert-validation", "ip", "machine", "provider", "secret", "volume"]);
  });

  test("cloudflare: the provider and cloudflare_dns_record, nothing else (the prebuilt package was 77 MB for one resource)", () => {
    expect(dirs("cloudflare")).toEqual(["dns-record", "provider"]);
  });

  test("null: null_resource generates from its schema (the CDK Terrain line's binding)", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-gen-null-"));
    await generateBindings("null", out);
    expect(fs.readdirSync(path.join(out, "providers", "null")).filter((f) => !f.endsWith(".ts")).sort()).toEqual(["provider", "resource"]);
    expect(fs.readFileSync(path.join(out, "providers", "null", "resource", "index.ts"), "utf8")).toContain('terraformResourceType: "null_resource"');
    fs.rmSync(out, { recursive: true, force: true });
  });
});
