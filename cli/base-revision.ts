import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { CliContext } from "./command";
import { buildRecord, fileDigest, readRecord, type SynthesisRecord, withCommit, writeRecord } from "../src/features/synth/synthesis-record";
import { readManifest } from "./stacks";

export class BaseRevisionError extends Error {}

/** A git revision checked out in a temporary worktree. */
export interface RevisionCheckout {
  readonly worktree: string;
  /** Removes the worktree and everything written beside it. */
  readonly cleanup: () => Promise<void>;
}

export interface SynthesizedRevision {
  /** The revision's cdktf.out. */
  readonly outdir: string;
  /** The project folder it was synthesized in: absolute paths in its stacks start here, where this checkout's start at ctx.cwd. */
  readonly worktree: string;
  /** Where its cdktf.out was when written, when it has moved since (a cached synthesis). @default outdir */
  readonly writtenOutdir?: string;
  /** Its synthesis record (cdktf.out/flystack-synthesis.json), with the commit. */
  readonly record?: SynthesisRecord;
  readonly cleanup: () => Promise<void>;
}

/**
 * Checks `ref` out in a temporary git worktree, with this checkout's node_modules (a base revision
 * is run with today's dependencies).
 */
export async function checkoutRevision(ctx: CliContext, ref: string): Promise<RevisionCheckout> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-base-"));
  const worktree = path.join(root, "worktree");
  const git = (args: string[]) => ctx.runner.run("git", args, { cwd: ctx.cwd, env: ctx.env });
  const cleanup = async () => {
    await git(["worktree", "remove", "--force", worktree]);
    fs.rmSync(root, { recursive: true, force: true });
  };
  const added = await git(["worktree", "add", "--detach", worktree, ref]);
  if (added.code !== 0) {
    fs.rmSync(root, { recursive: true, force: true });
    throw new BaseRevisionError(`cannot check out "${ref}" for comparison: ${added.stderr.trim().split("\n").pop() ?? ""}`);
  }
  const modules = path.join(worktree, "node_modules");
  if (!fs.existsSync(modules)) fs.symlinkSync(path.join(ctx.cwd, "node_modules"), modules, "dir");
  return { worktree, cleanup };
}

/**
 * Synthesizes the project as it was at `ref`, in a temporary git worktree (checkoutRevision).
 * Returns the folder holding its cdktf.out, whose record carries the commit; `cleanup` removes the
 * worktree and the output.
 */
export async function synthesizeRevision(ctx: CliContext, ref: string): Promise<SynthesizedRevision> {
  const commit = await resolveCommit(ctx, ref);
  ctx.stderr.write(`synthesizing the base revision ${ref} in a git worktree…\n`);
  const { worktree, cleanup } = await checkoutRevision(ctx, ref);
  const outdir = path.join(path.dirname(worktree), "cdktf.out");
  const synth = await ctx.runner.run(path.join(ctx.cwd, "node_modules", ".bin", "tsx"), ["main.ts"], {
    cwd: worktree,
    env: { ...ctx.env, CDKTF_OUTDIR: outdir, FLYSTACK_ENVIRONMENTS_DIR: "" },
  });
  if (synth.code !== 0) {
    await cleanup();
    throw new BaseRevisionError(`the base revision ${ref} does not synthesize:\n${synth.stderr.trim()}`);
  }
  // A revision from before synthesis records has none: it gets one saying what was written, whose
  // unknown code fingerprint ("") matches no synthesis, so none of its stacks is ever reused.
  let record = readRecord(outdir) ?? recordOfOutput(outdir);
  if (commit) record = withCommit(record, commit);
  writeRecord(outdir, record);
  return { outdir, worktree, record, cleanup };
}

/** A record of what a synthesis without one wrote: each stack's output digest, no inputs, no code. */
function recordOfOutput(outdir: string): SynthesisRecord {
  const stacks = fs.existsSync(path.join(outdir, "manifest.json")) ? readManifest(outdir) : [];
  return buildRecord("", Object.fromEntries(stacks.map((s) => [s.name, { inputs: "", output: fileDigest(path.join(s.dir, "cdk.tf.json")) }])));
}

/** The full commit id `ref` names, or undefined when git cannot say. */
export async function resolveCommit(ctx: CliContext, ref: string): Promise<string | undefined> {
  const found = await ctx.runner.run("git", ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`], { cwd: ctx.cwd, env: ctx.env });
  const sha = found.stdout.trim();
  return found.code === 0 && /^[0-9a-f]{40,64}$/.test(sha) ? sha : undefined;
}
