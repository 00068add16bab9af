import { expect, it } from "vitest";
import { findExampleBlocks } from "./markdown.ts";

const doc = [
  "## 6. Extensions <a id=\"extensions\">🔗</a>",
  "```",
  "not an example",
  "```",
  "## 7. Examples <a id=\"examples\" href=\"#examples\">🔗</a>",
  "intro",
  "```",
  "first",
  "```",
  "### 7.1. Fetching things <a id=\"example-fetch\">🔗</a>",
  "```",
  "second",
  "line two",
  "```",
  "## 8. Security",
  "```",
  "after",
  "```",
].join("\n");

it("takes only the Examples section's blocks, each with its subsection and 1-based lines", () => {
  expect(findExampleBlocks(doc)).toEqual([
    { section: "7", heading: "Examples", anchor: "examples", lines: [8, 8], text: "first" },
    { section: "7.1", heading: "Fetching things", anchor: "example-fetch", lines: [12, 13], text: "second\nline two" },
  ]);
});

it("finds nothing in a document without an Examples section", () => {
  expect(findExampleBlocks("## 1. Intro\n```\nx\n```")).toEqual([]);
});
