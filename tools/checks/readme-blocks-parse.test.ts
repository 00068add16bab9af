/** The README conventions as readme-blocks.ts reads them: given → want. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normaliseOutput, outputMatches, placeholderNames, shellBlocks, undeclaredNeeds } from "./readme-blocks.ts";

const fence = "```";

describe("shellBlocks", () => {
  it("reads markers, code and the output block that follows", () => {
    const md = [
      "<!-- readme-test: skip: the test starts it itself -->",
      `${fence}sh`,
      "pnpm start",
      fence,
      "",
      "<!-- readme-test: browser -->",
      "",
      `${fence}sh`,
      "echo hi",
      fence,
      "",
      `${fence}json`,
      "{}",
      fence,
      `${fence}text output`,
      "hi",
      fence,
    ].join("\n");
    expect(shellBlocks(md)).toEqual([
      { line: 2, code: "pnpm start", marker: { kind: "skip", words: ": the test starts it itself" } },
      { line: 8, code: "echo hi", marker: { kind: "browser", words: "" }, output: ["hi"] },
    ]);
  });

  it("gives an output block to the shell block before it only", () => {
    const md = [`${fence}text output`, "orphan", fence, `${fence}bash`, "true", fence].join("\n");
    expect(shellBlocks(md)).toEqual([{ line: 4, code: "true" }]);
  });
});

describe("needs and placeholders", () => {
  it.each([
    ["BASE=x\ncurl $BASE", []],
    ["curl $BASE/$ID", ["BASE", "ID"]],
    ["# Needs: BASE (first block)\ncurl $BASE/$ID", ["ID"]],
    ["jq '.a | $X'", []],
    ["for F in a b; do echo $F; done", []],
    ["echo $HOME", []],
  ] as const)("%j leaves %j undeclared", (code, want) => {
    expect(undeclaredNeeds(code)).toEqual(want);
  });

  it("finds NAME=... lines, not other dots", () => {
    expect(placeholderNames("SECRET=...   # yours\nX=a...b\n  CODE=...")).toEqual(["SECRET", "CODE"]);
  });
});

describe("outputMatches", () => {
  it.each([
    [["304"], ["304"], true],
    [["304"], ["200"], false],
    [['{"id": "…", "n": 1}'], ['{"id":"abc","n":1}'], true],
    [['{"id": "…", "n": 1}'], ['{"id":"abc","n":2}'], false],
    [["a", "…", "z"], ["a", "b", "c", "z"], true],
    [["a", "…"], ["a"], true],
    [["a"], ["a", "b"], false],
    [[], ["x"], false],
  ] as const)("%j against %j is %s", (expected, actual, want) => {
    expect(outputMatches([...expected], [...actual])).toBe(want);
  });

  it("folds a pretty-printed document onto one line", () => {
    expect(normaliseOutput('{\n  "a": [\n    1\n  ]\n}\nplain  text\n\n"s"')).toEqual(['{"a":[1]}', "plain text", '"s"']);
  });

  it("any JSON value matches itself, pretty or compact, and a line of … matches any output", () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { minLength: 1, maxLength: 4 }), (values) => {
        const pretty = values.map((v) => JSON.stringify(v, null, 2)).join("\n");
        const actual = normaliseOutput(pretty);
        expect(outputMatches(values.map((v) => JSON.stringify(v)), actual)).toBe(true);
        expect(outputMatches(["…"], actual)).toBe(true);
      }),
    );
  });
});
