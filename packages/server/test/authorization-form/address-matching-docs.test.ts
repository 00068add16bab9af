/**
 * CDS-WG3-01 §7.1.13.1 asks a Server to publish its address rules, with
 * examples, on the `addresses` field's documentation page. The docs site's
 * page (packages/docs/pages/guides/address-matching.md) is checked here
 * against the code it describes: its abbreviation table is the server's,
 * and every example normalizes and matches as the page says.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isTypicalAddress, matchAddresses, normalizeStored, POSTAL_ABBREVIATIONS, SEGMENT_SEPARATOR } from "../../src/authorization-form/address-matching.ts";

const page = readFileSync(join(import.meta.dirname, "../../../docs/pages/guides/address-matching.md"), "utf8");
/** The body rows of the table whose header row starts with `header`, as cells without their code marks. */
const rows = (header: string): string[][] => {
  const lines = page.slice(page.indexOf(`\n${header}`) + 1).split("\n");
  const end = lines.findIndex((l) => !l.startsWith("|"));
  return lines
    .slice(2, end)
    .map((l) => l.slice(2, -2).split(" | ").map((c) => c.replace(/^`|`$/g, "")));
};
const stored = (cell: string) => cell.replaceAll("\\n", "\n");

describe("the §7.1.13.1 documentation page says what the server does", () => {
  it("lists exactly the abbreviations the server writes out", () => {
    expect(Object.fromEntries(rows("| Abbreviation").map(([abbr, full]) => [abbr, full]))).toEqual(POSTAL_ABBREVIATIONS);
    expect(page).toContain(`joined with \`${SEGMENT_SEPARATOR}\``);
  });

  it("gives each stored example the kind and Normalized Address the server computes", () => {
    const examples = rows("| Stored address");
    expect(examples.length).toBeGreaterThanOrEqual(4);
    for (const [address, kind, normalized] of examples) {
      expect(isTypicalAddress(stored(address!)) ? "Typical" : "Atypical", address).toBe(kind);
      expect(normalizeStored(stored(address!)), address).toBe(normalized);
    }
  });

  it("matches each Input Address example as the page says", () => {
    const house = stored("10 Harbor St\\nLake Demo, DM 55000");
    const candidates = [{ id: "electric", addresses: [house] }, { id: "gas", addresses: [house] }];
    const inputs = rows("| Input Address");
    expect(inputs).toHaveLength(4);
    for (const [input, answer] of inputs) {
      const matched = matchAddresses([input!], candidates);
      expect(matched.size, input).toBe(answer!.startsWith("yes") ? 2 : 0);
    }
  });
});
