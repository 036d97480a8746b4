/**
 * cdktf's per-token creation stack traces are switched off while flystack builds and checks stacks
 * (src/features/synth/token-stack-traces.ts). They are never written, so the output must be byte-identical
 * with and without them; and the switch must reach cdktf (a cdktf upgrade that stops calling its
 * stack-trace helper through the module's exports would make it a silent no-op).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Lazy } from "cdktf";
import { buildAppFromSources, synthesizeApp } from "../../main";
import { generatedEnvironment } from "../../bench/generated-environment";
import { canSkipTokenStackTraces, tokenTraceFunction, withoutTokenStackTraces } from "../../src/features/synth/token-stack-traces";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const cdktfStackTrace = require("cdktf/lib/tokens/private/stack-trace") as Record<string, (below?: unknown) => string[]>;
/** What tokens call for their creation stack on this line (CDK Terrain: captureCreationStack). */
const TRACE = tokenTraceFunction();

const creationStack = () => (Lazy.anyValue({ produce: () => 1 }) as unknown as { creationStack: string[] }).creationStack;

describe("token stack traces", () => {
  test("cdktf's tokens get none inside withoutTokenStackTraces, and do again after it, even when it throws", () => {
    expect(canSkipTokenStackTraces()).toBe(true);
    expect(creationStack().length).toBeGreaterThan(0);
    expect(withoutTokenStackTraces(creationStack, false)).toEqual([]);
    expect(creationStack().length).toBeGreaterThan(0);
    expect(() =>
      withoutTokenStackTraces(() => {
        throw new Error("boom");
      }, false),
    ).toThrow("boom");
    expect(creationStack().length).toBeGreaterThan(0);
    // Nested, and errors thrown inside still carry their own stack.
    withoutTokenStackTraces(() => {
      withoutTokenStackTraces(() => expect(creationStack()).toEqual([]), false);
      expect(creationStack()).toEqual([]);
      expect(new Error("inside").stack?.split("\n").length).toBeGreaterThan(2);
    }, false);
    expect(creationStack().length).toBeGreaterThan(0);
  });

  test("keep keeps them", () => {
    expect(withoutTokenStackTraces(creationStack, true).length).toBeGreaterThan(0);
  });

  describe("synthesis of 300 machines with and without them", () => {
    const outdirs: string[] = [];
    afterAll(() => outdirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

    function synth(traced: boolean): { files: Map<string, string>; traces: number } {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-traces-"));
      outdirs.push(outdir);
      const env = generatedEnvironment(30, 10);
      // Counts cdktf's traces. With traces: the property ignores the switch's writes, so it cannot take effect.
      const original = cdktfStackTrace[TRACE];
      let traces = 0;
      const counting = (below?: unknown) => {
        traces++;
        return original(below ?? counting);
      };
      let current = counting;
      Object.defineProperty(cdktfStackTrace, TRACE, {
        configurable: true,
        enumerable: true,
        get: () => current,
        set: (fn: typeof original) => {
          if (!traced) current = fn;
        },
      });
      try {
        synthesizeApp(buildAppFromSources([{ name: env.name, value: env }], { outdir }));
      } finally {
        Object.defineProperty(cdktfStackTrace, TRACE, { configurable: true, enumerable: true, writable: true, value: original });
      }
      // Every byte, as base64.
      const files = new Map<string, string>();
      const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
          const file = path.join(dir, entry.name);
          if (entry.isDirectory()) walk(file);
          else files.set(path.relative(outdir, file), fs.readFileSync(file).toString("base64"));
        }
      };
      walk(outdir);
      return { files, traces };
    }

    test("every written file is byte-identical, and almost no trace is taken", () => {
      const traced = synth(true);
      const untraced = synth(false);
      expect(traced.traces).toBeGreaterThan(3000);
      expect(untraced.traces).toBeLessThan(traced.traces / 50);
      expect([...untraced.files.keys()].sort()).toEqual([...traced.files.keys()].sort());
      expect(traced.files.has(path.join("stacks", "generated", "cdk.tf.json"))).toBe(true);
      for (const [name, bytes] of traced.files) expect({ name, same: bytes === untraced.files.get(name) }).toEqual({ name, same: true });
    });
  });
});
