/** Finds the fenced code blocks of a spec's Examples section, with the subsection each belongs to. */
export interface ExampleBlock {
  section: string;
  heading: string;
  anchor: string | null;
  /** 1-based line numbers of the block's content, fences excluded. */
  lines: [number, number];
  text: string;
}

const HEADING = /^(#{2,6})\s+(\d+(?:\.\d+)*)\.?\s+(.*?)\s*(?:<a id="([^"]+)".*)?$/;

export function findExampleBlocks(markdown: string): ExampleBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: ExampleBlock[] = [];
  let examplesLevel: number | null = null;
  let current: { section: string; heading: string; anchor: string | null } | null = null;
  let fenceStart: number | null = null;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (fenceStart !== null) {
      if (line.trim().startsWith("```")) {
        if (current && examplesLevel !== null) {
          blocks.push({
            ...current,
            lines: [fenceStart + 2, i],
            text: lines.slice(fenceStart + 1, i).join("\n"),
          });
        }
        fenceStart = null;
      }
      continue;
    }
    if (line.trim().startsWith("```")) {
      fenceStart = i;
      continue;
    }
    const heading = HEADING.exec(line);
    if (!heading) continue;
    const level = heading[1]!.length;
    const title = heading[3]!.trim();
    if (examplesLevel === null) {
      if (level === 2 && /^Examples$/i.test(title)) {
        examplesLevel = level;
        current = { section: heading[2]!, heading: title, anchor: heading[4] ?? null };
      }
      continue;
    }
    if (level <= examplesLevel) break; // the next top-level section ends the Examples
    current = { section: heading[2]!, heading: title, anchor: heading[4] ?? null };
  }
  return blocks;
}
