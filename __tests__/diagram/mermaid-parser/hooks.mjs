/**
 * A Node module hook (node:module `register`) for parse.mjs: it loads dompurify-stub.mjs where
 * Mermaid imports "dompurify", so that Mermaid's own flowchart parser runs in Node without a DOM
 * library. Nothing else is redirected.
 */
const stub = new URL("./dompurify-stub.mjs", import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === "dompurify") return { url: stub, shortCircuit: true };
  return nextResolve(specifier, context);
}
