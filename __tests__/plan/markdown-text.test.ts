import { codeSpan, describeReason, escapeText, formatPath } from "../../src/features/plan/markdown-text";

describe("codeSpan", () => {
  it.each([
    ["fly_app.app", false, "`fly_app.app`"],
    ["a`b", false, "``a`b``"],
    ["a``b`", false, "``` a``b` ```"], // padded so the trailing backtick is not read as the fence
    [" a", false, "`  a `"],
    ["a|b", true, "`a\\|b`"],
    ["a|b", false, "`a|b`"],
    ["line\nbreak", false, "`line break`"],
    ["", false, ""],
  ])("%j (table: %s) → %s", (text, inTable, expected) => {
    expect(codeSpan(text, inTable)).toBe(expected);
  });
});

describe("escapeText", () => {
  it("escapes what Markdown or HTML would read", () => {
    expect(escapeText("a|b `c` *d* _e_ <f> [g](h) & ~i~ #j !k\\")).toBe(
      "a\\|b \\`c\\` \\*d\\* \\_e\\_ \\<f\\> \\[g\\](h) \\& \\~i\\~ \\#j \\!k\\\\",
    );
  });

  it("keeps it on one line", () => {
    expect(escapeText("a\r\nb\nc")).toBe("a b c");
  });
});

describe("formatPath", () => {
  it.each([
    [["region"], "region"],
    [["services", 0, "ports", 1, "port"], "services[0].ports[1].port"],
    [["env", "LOG_LEVEL"], "env.LOG_LEVEL"],
    [["env", "A B"], 'env["A B"]'],
  ] as const)("%j → %s", (path, expected) => {
    expect(formatPath(path)).toBe(expected);
  });
});

describe("describeReason", () => {
  it("explains the reasons Terraform documents", () => {
    expect(describeReason("replace_because_cannot_update", true)).toBe("cannot be updated in place");
    expect(describeReason("delete_because_no_resource_config", true)).toBe("removed from the configuration");
  });

  it("shows one it does not know as it is, even one named like an Object member", () => {
    expect(describeReason("replace_because_moon_phase", true)).toBe("`replace_because_moon_phase`");
    expect(describeReason("constructor", true)).toBe("`constructor`");
  });
});
