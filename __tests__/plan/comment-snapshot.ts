/**
 * Plan comments kept as Markdown files a reviewer can read (`__tests__/plan/comments/<name>.md`),
 * compared like jest snapshots: `jest -u` rewrites them, `jest --ci` fails on a missing one, and a
 * plain run writes a missing one.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const COMMENTS = path.join(__dirname, "comments");

type SnapshotMode = "all" | "new" | "none";

function mode(): SnapshotMode {
  // jest's own setting (-u → "all", --ci → "none", else "new"), so these files follow jest's rules.
  const state = expect.getState() as { snapshotState?: { _updateSnapshot?: SnapshotMode } };
  return state.snapshotState?._updateSnapshot ?? "none";
}

export function expectComment(name: string, markdown: string): void {
  const file = path.join(COMMENTS, `${name}.md`);
  const current = mode();
  if (current === "all" || (current === "new" && !fs.existsSync(file))) {
    fs.mkdirSync(COMMENTS, { recursive: true });
    fs.writeFileSync(file, markdown);
    return;
  }
  if (!fs.existsSync(file)) throw new Error(`no comment snapshot ${path.relative(process.cwd(), file)}: run jest without --ci (or with -u) to write it`);
  expect(markdown).toBe(fs.readFileSync(file, "utf8"));
}
