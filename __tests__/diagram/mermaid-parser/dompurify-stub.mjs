/**
 * Stands in for DOMPurify while Mermaid parses (see hooks.mjs). Mermaid sanitizes label text
 * with DOMPurify as it builds its graph, and DOMPurify needs a browser DOM that Node lacks.
 * Parsing only checks syntax and builds the graph; nothing is rendered, so nothing needs cleaning.
 */
const passThrough = {
  sanitize: (text) => text,
  addHook() {},
  removeHook() {},
  removeHooks() {},
  removeAllHooks() {},
  setConfig() {},
  clearConfig() {},
  isSupported: true,
};
export default passThrough;
