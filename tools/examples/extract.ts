/**
 * Extracts every example of the spec documents' Examples sections into
 * spec/examples/<spec>/<section>-<n>.json, one file per code block.
 *
 *   pnpm examples:extract [--specs <dir>] [wg1-01 wg1-02 …]
 *
 * The spec documents live outside this repository (../shared/reference/specs);
 * the extracted files are committed so tests never read them.
 */
import { mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { findExampleBlocks } from "./markdown.ts";
import { parseExampleBlock } from "./http-message.ts";
import { SPEC_SOURCES } from "./sources.ts";
import type { SpecExample } from "./model.ts";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const { values, positionals } = parseArgs({
  options: { specs: { type: "string", default: path.resolve(repoRoot, "../shared/reference/specs") } },
  allowPositionals: true,
});

const wanted = positionals.length ? SPEC_SOURCES.filter((s) => positionals.includes(s.folder)) : SPEC_SOURCES;
for (const source of wanted) {
  const markdown = await readFile(path.join(values.specs!, source.document), "utf8");
  const blocks = findExampleBlocks(markdown);
  const outDir = path.join(repoRoot, "spec/examples", source.folder);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });

  const perSection = new Map<string, number>();
  for (const block of blocks) {
    const n = (perSection.get(block.section) ?? 0) + 1;
    perSection.set(block.section, n);
    const name = `${block.section}-${n}`;
    let messages;
    try {
      messages = parseExampleBlock(block.text);
    } catch (error) {
      throw new Error(`${source.document}:${block.lines[0]} (§${block.section}): ${(error as Error).message}`);
    }
    const example: SpecExample = {
      id: `${source.folder}/${name}`,
      spec: source.spec,
      section: block.section,
      heading: block.heading,
      anchor: block.anchor,
      source: { document: source.document, revision: source.revision, lines: block.lines },
      messages,
    };
    await writeFile(path.join(outDir, `${name}.json`), JSON.stringify(example, null, 2) + "\n");
  }
  const files = await readdir(outDir);
  console.log(`${source.spec}: ${files.length} examples from ${perSection.size} sections -> spec/examples/${source.folder}/`);
}
