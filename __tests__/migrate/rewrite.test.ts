import { rewritePackageJson, rewriteSource } from "../../src/features/migrate/rewrite";
import { lineOf } from "../../src/features/migrate/lines";

/**
 * Source lines built from parts: written out whole, they would be import specifiers of this file,
 * and `flystack migrate` (which rewrites every file) would rewrite the fixtures themselves.
 */
const from = (spec: string, q = '"') => `from ${q}${spec}${q}`;
const req = (spec: string) => `require(${'"'}${spec}${'"'})`;
const TF = ["cdk", "tf"].join("");
const TN = ["cdk", "tn"].join("");

describe("rewriteSource", () => {
  const original = [
    `import { App, TerraformStack } ${from(TF)};`,
    `import type { IAspect } ${from(TF, "'")};`,
    `import { NullProvider } ${from(`@${TF}/provider-null/lib/provider`)};`,
    `import { Resource as NullResource } ${from(`@${TF}/provider-null/lib/resource`)};`,
    `const trace = ${req(`${TF}/lib/tokens/private/stack-trace`)};`,
    `import { CodeMaker } ${from(`@${TF}/provider-generator`)};`,
    `import { LANGUAGES } ${from(`@${TF}/commons`)};`,
    `import { other } ${from(`${TF}-extras`)};`,
    `const text = "${TF} is archived"; // not a specifier`,
  ].join("\n");

  it("moves every specifier to cdktn, the null bindings to the generated folder, and leaves the rest", () => {
    expect(rewriteSource(original, "stacks/environment-stack.ts", "cdktn")).toBe(
      [
        `import { App, TerraformStack } ${from(TN)};`,
        `import type { IAspect } ${from(TN, "'")};`,
        `import { NullProvider } ${from("../.gen/providers/null/provider")};`,
        `import { Resource as NullResource } ${from("../.gen/providers/null/resource")};`,
        `const trace = ${req(`${TN}/lib/tokens/private/stack-trace`)};`,
        `import { CodeMaker } ${from(`@${TN}/provider-generator`)};`,
        `import { LANGUAGES } ${from(`@${TN}/commons`)};`,
        `import { other } ${from(`${TF}-extras`)};`,
        `const text = "${TF} is archived"; // not a specifier`,
      ].join("\n"),
    );
  });

  it("and back: cdktn → cdktf gives the original text", () => {
    expect(rewriteSource(rewriteSource(original, "constructs/x.ts", "cdktn"), "constructs/x.ts", "cdktf")).toBe(original);
  });

  it("changes nothing on a file already on the line", () => {
    const migrated = rewriteSource(original, "main.ts", "cdktn");
    expect(rewriteSource(migrated, "main.ts", "cdktn")).toBe(migrated);
    expect(rewriteSource(migrated, "main.ts", "cdktn")).toContain(from("./.gen/providers/null/resource"));
  });
});

describe("rewritePackageJson", () => {
  const pkg = {
    name: "flystack",
    engines: { node: ">=20" },
    scripts: { synth: "cdktf synth", test: "jest" },
    dependencies: { "@cdktf/provider-null": "11.0.1", cdktf: "0.21.0", constructs: "10.4.2", zod: "4.6.7" },
    devDependencies: { "@cdktf/commons": "0.21.0", "@cdktf/provider-generator": "0.21.0", "cdktf-cli": "0.21.0", jest: "29.7.0" },
  };
  // (Object keys, not specifiers: migrating this repository leaves them alone.)

  it("swaps the line's packages at exact versions, the Node engine and the CLI", () => {
    const moved = rewritePackageJson(pkg, "cdktn");
    expect(moved).toEqual({
      name: "flystack",
      engines: { node: ">=22" },
      scripts: { synth: "cdktn synth", test: "jest" },
      dependencies: { cdktn: "0.24.0", constructs: "10.6.0", zod: "4.6.7" },
      devDependencies: { "@cdktn/commons": "0.24.0", "@cdktn/provider-generator": "0.24.0", "cdktn-cli": "0.24.0", jest: "29.7.0" },
    });
    expect(lineOf(moved)).toBe("cdktn");
  });

  it("back to cdktf gives the original, and a second move changes nothing", () => {
    expect(rewritePackageJson(rewritePackageJson(pkg, "cdktn"), "cdktf")).toEqual(pkg);
    expect(rewritePackageJson(pkg, "cdktf")).toEqual(pkg);
  });
});
