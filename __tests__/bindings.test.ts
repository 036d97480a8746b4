import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generateFlyBindings } from "../src/features/providers/generate-bindings";

/** Lists every file below `dir`, relative to it. */
function files(dir: string, prefix = ""): string[] {
  return fs
    .readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(dir, path.join(prefix, e.name)) : [path.join(prefix, e.name)]))
    .sort();
}

describe("generated Fly provider bindings", () => {
  const committed = path.join(__dirname, "..", ".gen", "providers", "fly");
  let fresh: string;
  beforeAll(async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-gen-"));
    await generateFlyBindings(out);
    fresh = path.join(out, "providers", "fly");
  });
  afterAll(() => fs.rmSync(path.dirname(path.dirname(fresh)), { recursive: true, force: true }));

  test("regenerating from providers/fly.schema.json gives exactly the committed .gen (run `npm run gen:providers`)", () => {
    expect(files(fresh)).toEqual(files(committed));
    for (const file of files(fresh)) {
      expect({ file, text: fs.readFileSync(path.join(committed, file), "utf8") }).toEqual({ file, text: fs.readFileSync(path.join(fresh, file), "utf8") });
    }
  });

  test("bindings cover the provider and the seven resources the platform uses", () => {
    expect(fs.readdirSync(committed).filter((f) => !f.endsWith(".ts")).sort()).toEqual(["app", "cert", "cert-validation", "ip", "machine", "provider", "secret", "volume"]);
  });
});
