/**
 * Safe pieces of Mermaid flowchart syntax built from text that comes from a stack: app keys, Fly
 * app names, hostnames, volume names, commands. Such text may hold any character, so it must not
 * be able to end a label, start a link, open HTML or a Markdown string, or collide with a keyword.
 */

// Mermaid turns `#name;` and `#<decimal>;` in labels into HTML entities. Replacement is one pass
// over the input, so the `#` of an entity written here is never escaped a second time.
const LABEL_ENTITIES: ReadonlyMap<string, string> = new Map([
  ["#", "#35;"], // would otherwise start an entity code of its own
  ['"', "#quot;"], // would end the quoted label
  ["<", "#lt;"], // labels are HTML: no tags from data
  [">", "#gt;"],
  ["&", "#amp;"], // no HTML entities from data
  ["`", "#96;"], // "` at the start of a label opens a Markdown string
  ["%", "#37;"], // `%%{init: …}%%` anywhere in the text, even in a label, is read as configuration
  // Before parsing, Mermaid drops the last `;` of any line matching /style.*:\S*#.*;/ (meant for
  // `style` statements); a label with no colon before a non-space (or its end) cannot match.
  [":", "#58;"],
]);

/** One line of label text, with every character that means something to Mermaid or HTML escaped. */
export function escapeLabelText(text: string): string {
  return text.replace(/[\r\n\t]+/g, " ").replace(/[#"<>&`%]|:(?!\s)/g, (char) => LABEL_ENTITIES.get(char) ?? char);
}

/** A quoted label of one or more lines; `<br/>` is the line break Mermaid renders in flowcharts. */
export function quotedLabel(...lines: readonly string[]): string {
  return `"${lines.map(escapeLabelText).join("<br/>")}"`;
}

/**
 * Text for a `%%` comment line: one line, without braces, since `%%{…}%%` is read as a
 * configuration directive wherever it appears (comments are no exception).
 */
export function commentText(text: string): string {
  return text.replace(/[\r\n\t]+/g, " ").replace(/\{/g, "(").replace(/\}/g, ")");
}

/**
 * Node and subgraph IDs. An ID is `<kind>_<parts>`, with every character other than ASCII
 * letters, digits and `_` replaced by `_`: the prefix keeps IDs off Mermaid's keywords (`end`,
 * `style`, `class`, `graph`) and off the `o`/`x` that would turn `-->` into a circle or cross edge.
 * Replacing characters can make two things' IDs equal (`api.example.com` and `api_example_com`);
 * the later one then gets `_2`, `_3`…. Asked in the same order, the same model gets the same IDs.
 */
export class MermaidIds {
  private readonly byThing = new Map<string, string>();
  private readonly taken = new Set<string>();

  /**
   * The ID of the thing named by `kind` and `parts`. `distinguishing` tells things apart without
   * lengthening the ID (two volume sets of one group and region that differ only in size).
   */
  id(kind: string, parts: readonly string[] = [], distinguishing: readonly string[] = []): string {
    const thing = JSON.stringify([kind, parts, distinguishing]);
    const known = this.byThing.get(thing);
    if (known !== undefined) return known;
    const base = [kind, ...parts].map((part) => part.replace(/[^A-Za-z0-9_]/g, "_")).join("_");
    let id = base;
    for (let n = 2; this.taken.has(id); n += 1) id = `${base}_${n}`;
    this.taken.add(id);
    this.byThing.set(thing, id);
    return id;
  }
}
