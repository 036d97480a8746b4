import { canonicalStackText } from "../../src/features/synth/canonical-json";

describe("the one written form of a stack's JSON", () => {
  it("writes empty objects and arrays over two lines, at their line's indent, as CDKTF 0.21 does", () => {
    const cdktn = ['{', '  "provider": {', '    "null": [', '      {}', '    ],', '    "list": []', '  },', '  "output": {', '    "value": {},', '    "x": 1', '  }', '}'].join("\n");
    expect(canonicalStackText(cdktn)).toBe(
      ['{', '  "provider": {', '    "null": [', '      {', '      }', '    ],', '    "list": [', '    ]', '  },', '  "output": {', '    "value": {', '    },', '    "x": 1', '  }', '}'].join("\n"),
    );
  });

  it("leaves strings alone, and text already in the form", () => {
    const text = ['{', '  "env": {', '    "EMPTY": "{}",', '    "LIST": "[]",', '    "ODD": "a\\"b {}"', '  },', '  "x": {', '  }', '}'].join("\n");
    expect(canonicalStackText(text)).toBe(text);
  });
});
