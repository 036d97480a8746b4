/** A user's value in a message: quoted, on one line, bounded, never throwing. */

/** How many characters of a user's value a message shows. */
export const SHOWN_CHARACTERS = 80;

/**
 * A user's text as a message shows it, on one line and bounded: at most `max` characters (then
 * `…`), with newlines, tabs and other control characters written as escapes (`\n`, `\u0007`).
 */
export function clip(text: string, max = SHOWN_CHARACTERS): string {
  const chars = Array.from(text.length > max * 2 + 2 ? text.slice(0, max * 2 + 2) : text);
  const cut = chars.length > max;
  let out = "";
  for (const c of cut ? chars.slice(0, max) : chars) {
    const code = c.codePointAt(0)!;
    if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (c === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0) || code === 0x2028 || code === 0x2029) {
      out += `\\u${code.toString(16).padStart(4, "0")}`;
    } else out += c;
  }
  return cut ? `${out}…` : out;
}

/** A user's value quoted in a message: `"web.example.com"`, clipped (see `clip`), quotes inside escaped. */
export function quote(value: unknown): string {
  return `"${clip(safeString(value)).replace(/"/g, '\\"')}"`;
}

/** `String(value)`, never throwing (an object without a prototype, a throwing `toString`). */
export function safeString(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
