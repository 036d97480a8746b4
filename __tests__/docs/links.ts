/**
 * Relative links in Markdown: every `[text](target)` that is not a URL must name a file or folder
 * that exists, and a `#fragment` must name a heading of the target (as GitHub makes its anchors).
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface BrokenLink {
  readonly file: string;
  readonly line: number;
  readonly target: string;
  readonly reason: string;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes, repeats numbered. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const heading of withoutFences(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const text = heading[1].replace(/`/g, "").replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
    const base = text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "").replace(/ /g, "-");
    const count = seen.get(base) ?? 0;
    anchors.add(count === 0 ? base : `${base}-${count}`);
    seen.set(base, count + 1);
  }
  for (const html of markdown.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(html[1]);
  return anchors;
}

/** The text with fenced code blocks blanked (lines kept, so line numbers hold). */
function withoutFences(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, (block) => block.replace(/[^\n]/g, " "));
}

/** The text with fenced code blocks and inline code blanked. */
function withoutCode(markdown: string): string {
  return withoutFences(markdown).replace(/`[^`\n]*`/g, (code) => " ".repeat(code.length));
}

export function brokenLinks(root: string, files: readonly string[]): BrokenLink[] {
  const broken: BrokenLink[] = [];
  for (const file of files) {
    const text = withoutCode(fs.readFileSync(path.join(root, file), "utf8"));
    const lines = text.split("\n");
    lines.forEach((line, index) => {
      for (const match of line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
        const target = match[1];
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
        const problem = checkTarget(root, file, target);
        if (problem) broken.push({ file, line: index + 1, target, reason: problem });
      }
    });
  }
  return broken;
}

function checkTarget(root: string, file: string, target: string): string | undefined {
  const [pathPart, fragment] = target.split("#", 2) as [string, string | undefined];
  const resolved = pathPart === "" ? path.join(root, file) : path.resolve(path.dirname(path.join(root, file)), decodeURIComponent(pathPart));
  if (!resolved.startsWith(root)) return "points outside the repository";
  if (!fs.existsSync(resolved)) return `no such file: ${path.relative(root, resolved)}`;
  if (fragment === undefined || fragment === "") return undefined;
  if (!resolved.endsWith(".md")) return `#${fragment} on a file that is not Markdown`;
  const anchors = headingAnchors(fs.readFileSync(resolved, "utf8"));
  return anchors.has(fragment) ? undefined : `no heading #${fragment} in ${path.relative(root, resolved)}`;
}
