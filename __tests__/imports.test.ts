import * as fs from "node:fs";
import * as path from "node:path";

const root = path.join(__dirname, "..");

function sources(folder: string): string[] {
  const dir = path.join(root, folder);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(folder, e.name);
    if (e.isDirectory()) return sources(rel);
    return rel.endsWith(".ts") ? [rel] : [];
  });
}

describe("imports", () => {
  // The prebuilt providers' package index loads every resource class: measured ~560 ms and
  // ~180 MB for Cloudflare, against ~100 ms and ~65 MB for one module. Import lib/<resource> only.
  test("prebuilt providers are imported per resource module, never through the package index", () => {
    const offenders = ["main.ts", ...sources("constructs"), ...sources("stacks"), ...sources("src"), ...sources("environments")].filter((file) =>
      /from "@cdktf\/provider-(cloudflare|null)"/.test(fs.readFileSync(path.join(root, file), "utf8")),
    );
    expect(offenders).toEqual([]);
  });
});
