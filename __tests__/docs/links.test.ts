import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { brokenLinks, headingAnchors } from "./links";
import { PROJECT_ROOT } from "../../src/util/project-root";

/** Folders that hold no documentation of this project: dependencies, generated and build output. */
const SKIPPED = new Set(["node_modules", ".git", ".gen", "dist", "cdktf.out", "plans", ".terraform"]);

/**
 * Every Markdown file of the project, found by walking it (a copy without .git, as
 * scripts/readme-steps.ts makes, has the same files).
 */
function markdownFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(PROJECT_ROOT, dir), { withFileTypes: true })) {
      if (SKIPPED.has(entry.name)) continue;
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith(".md")) out.push(rel);
    }
  };
  walk("");
  return out.sort();
}

describe("relative links in README and docs", () => {
  it("name files that exist and headings that exist", () => {
    const files = markdownFiles();
    expect(files).toEqual(expect.arrayContaining(["README.md", "docs/architecture.md", "docs/cli.md"]));
    const broken = brokenLinks(PROJECT_ROOT, files).map((b) => `${b.file}:${b.line}: ${b.target}: ${b.reason}`);
    expect(broken).toEqual([]);
  });

  it("the README links to each document in docs/", () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
    const docs = fs.readdirSync(path.join(PROJECT_ROOT, "docs")).filter((f) => f.endsWith(".md"));
    expect(docs.filter((doc) => !readme.includes(`](docs/${doc}`))).toEqual([]);
  });
});

describe("the link check", () => {
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-links-"));
    fs.mkdirSync(path.join(root, "docs"));
    fs.writeFileSync(path.join(root, "docs", "guide.md"), "# Guide\n\n## Set up, on a `fresh` machine\n\n## Set up, on a `fresh` machine\n");
    fs.writeFileSync(
      path.join(root, "README.md"),
      [
        "[ok](docs/guide.md) [ok](docs/guide.md#set-up-on-a-fresh-machine) [ok](docs/guide.md#set-up-on-a-fresh-machine-1)",
        "[web](https://fly.io/docs) [self](#top) [folder](docs/)",
        "[gone](docs/missing.md)",
        "[bad anchor](docs/guide.md#nowhere)",
        "```",
        "[in code](not/checked.md)",
        "```",
        "`[inline](not/checked.md)`",
        "# Top",
      ].join("\n"),
    );
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("finds a missing file and a missing heading, and nothing in code", () => {
    expect(brokenLinks(root, ["README.md", "docs/guide.md"])).toEqual([
      { file: "README.md", line: 3, target: "docs/missing.md", reason: "no such file: docs/missing.md" },
      { file: "README.md", line: 4, target: "docs/guide.md#nowhere", reason: "no heading #nowhere in docs/guide.md" },
    ]);
  });

  it("makes anchors as GitHub does", () => {
    expect([...headingAnchors("# Plan and deploy, with `flystack`\n## A.B c\n## A.B c\n")]).toEqual([
      "plan-and-deploy-with-flystack",
      "ab-c",
      "ab-c-1",
    ]);
  });
});
