/**
 * Literal strings in Terraform JSON. Terraform reads every string of `cdk.tf.json` (and every key
 * of an object value) as a template: `${…}` is an interpolation and `%{…}` a directive. A value
 * from configuration (an env value, a command argument, a check path) is meant as written, so the
 * constructs pass each one through `terraformLiteral` where it enters them; Terraform then writes
 * `$${` back as `${` and `%%{` as `%{`.
 *
 * cdktf's own token markers (`${TfToken[TOKEN.12]}`, what a reference such as `app.name` is until
 * synthesis) are left as they are, so a string that mixes a reference and literal text still
 * resolves to the reference.
 */

/** cdktf's string-token marker (cdktf/lib/tokens/private/encoding.js, STRING_TOKEN_REGEX). */
const TOKEN_MARKER = /(\$\{TfToken\[[a-zA-Z0-9:._-]+\]\})/;

/** Every `${` and `%{` of literal text, doubled (linear: no quantifier). */
const TEMPLATE_START = /([$%])\{/g;

/** `price is ${5}` → `price is $${5}`; `%{if x}` → `%%{if x}`; cdktf tokens untouched. */
export function terraformLiteral(value: string): string {
  if (!value.includes("{")) return value;
  return value
    .split(TOKEN_MARKER)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(TEMPLATE_START, "$1$1{")))
    .join("");
}

/** A string map (env) with keys and values escaped: Terraform reads an object's keys as templates too. */
export function terraformLiteralMap(map: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [terraformLiteral(k), terraformLiteral(v)]));
}

/**
 * Does `value` hold a live Terraform interpolation or directive? `${` and `%{` are live; doubled
 * (`$${`, `%%{`, or more of the same character) they are escapes for the literal text.
 */
export function hasTemplateSequence(value: string): boolean {
  for (let i = value.indexOf("{", 1); i !== -1; i = value.indexOf("{", i + 1)) {
    const before = value[i - 1];
    if ((before === "$" || before === "%") && value[i - 2] !== before) return true;
  }
  return false;
}
