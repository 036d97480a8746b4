import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { CliContext } from "./command";

export class BaseRevisionError extends Error {}

export interface SynthesizedRevision {
  /** The revision's cdktf.out. */
  readonly outdir: string;
  /** The worktree it was synthesized in (absolute paths in its stacks start here, where this checkout's start at ctx.cwd). */
  readonly worktree: string;
  readonly cleanup: () => Promise<void>;
}

/**
 * Synthesizes the project as it was at `ref`, in a temporary git worktree, with this checkout's
 * node_modules (a base revision is compared with today's dependencies). Returns the folder holding
 * its cdktf.out; `cleanup` removes the worktree and the output.
 */
export async function synthesizeRevision(ctx: CliContext, ref: string): Promise<SynthesizedRevision> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-base-"));
  const worktree = path.join(root, "worktree");
  const outdir = path.join(root, "cdktf.out");
  const git = (args: string[]) => ctx.runner.run("git", args, { cwd: ctx.cwd, env: ctx.env });
  const cleanup = async () => {
    await git(["worktree", "remove", "--force", worktree]);
    fs.rmSync(root, { recursive: true, force: true });
  };
  ctx.stderr.write(`synthesizing the base revision ${ref} in a git worktree…\n`);
  const added = await git(["worktree", "add", "--detach", worktree, ref]);
  if (added.code !== 0) {
    fs.rmSync(root, { recursive: true, force: true });
    throw new BaseRevisionError(`cannot check out "${ref}" for comparison: ${added.stderr.trim().split("\n").pop() ?? ""}`);
  }
  const modules = path.join(worktree, "node_modules");
  if (!fs.existsSync(modules)) fs.symlinkSync(path.join(ctx.cwd, "node_modules"), modules, "dir");
  const synth = await ctx.runner.run(path.join(ctx.cwd, "node_modules", ".bin", "tsx"), ["main.ts"], {
    cwd: worktree,
    env: { ...ctx.env, CDKTF_OUTDIR: outdir, FLYSTACK_ENVIRONMENTS_DIR: "" },
  });
  if (synth.code !== 0) {
    await cleanup();
    throw new BaseRevisionError(`the base revision ${ref} does not synthesize:\n${synth.stderr.trim()}`);
  }
  return { outdir, worktree, cleanup };
}
