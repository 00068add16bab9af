/**
 * Validating a year of 15-minute usage (see usage-listing.ts), against the
 * cost a Client pays anyway: JSON.parse of the same bytes, measured in the
 * same process. Every figure is a ratio to that baseline, so the targets hold
 * on any machine:
 *
 * - ours, strict (listing validation + `decodeUsageSegment` of every segment,
 *   which checks every value against its format's model): ≤ 0.5× JSON.parse;
 * - ours, lenient: ≤ 1.2× ours, strict.
 *
 * For scale, the same document through a hand-written minimal Ajv schema (the
 * floor for any JSON Schema check of it) and through @hyperjump/json-schema on
 * our strict schemas (a general-purpose interpreting validator).
 *
 * The cold-start figure spawns fresh `node` processes: one that loads the
 * validators module and validates the document, one that only parses it.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { registerSchema, validate as hyperjumpValidate } from "@hyperjump/json-schema/draft-2020-12";
import { afterAll, expect, test } from "vitest";
import { strictJsonSchemas } from "@cds-toolkit/schemas";
import { decodeUsageSegment, validateUsageSegmentListing, type Mode } from "@cds-toolkit/validators";
import { usageListingText } from "./usage-listing.ts";

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const text = usageListingText();
const document = JSON.parse(text) as { usage_segments: unknown[] };
const rows = document.usage_segments.reduce<number>((n, s) => n + (s as { values: unknown[] }).values.length, 0);

/** Ours: the listing's schema, then every segment decoded column by column (every value checked against its Value Type's model). */
function ours(value: unknown, mode: Mode): boolean {
  const listing = mode === "strict" ? validateUsageSegmentListing(value) : validateUsageSegmentListing(value, "lenient");
  if (!listing.ok) return false;
  for (const segment of listing.value.usage_segments) if (!decodeUsageSegment(segment, mode).ok) return false;
  return true;
}

/** The least a JSON Schema for this very document can check: shapes and types, the three known formats, `{eu: number}` or null values. */
const minimalSchema = {
  type: "object",
  required: ["usage_segments", "next", "previous"],
  properties: {
    next: { type: ["string", "null"] },
    previous: { type: ["string", "null"] },
    usage_segments: {
      type: "array",
      items: {
        type: "object",
        required: ["cds_usagesegment_id", "segment_start", "segment_end", "interval", "formats", "values"],
        properties: {
          cds_usagesegment_id: { type: "string" },
          segment_start: { type: "string", format: "date-time" },
          segment_end: { type: "string", format: "date-time" },
          interval: { type: "number" },
          formats: {
            type: "array",
            items: {
              type: "object",
              required: ["id", "type", "units"],
              properties: { id: { type: "string" }, type: { const: "electric_usage" }, units: { type: "string" } },
            },
          },
          values: {
            type: "array",
            items: {
              type: "array",
              items: { anyOf: [{ type: "null" }, { type: "object", required: ["eu"], properties: { eu: { type: "number" } }, additionalProperties: false }] },
            },
          },
        },
      },
    },
  },
};
const minimalAjv = new Ajv2020({ allErrors: true });
addFormats(minimalAjv);
const validateMinimal = minimalAjv.compile(minimalSchema);

// Hyperjump loads schemas by URI: our strict schemas, each under its own `$id` (they reference each other relatively).
const BASE = "https://cds-toolkit.invalid/strict/";
for (const schema of Object.values(strictJsonSchemas) as Array<{ $id: string }>) registerSchema(schema as Parameters<typeof registerSchema>[0], new URL(schema.$id, BASE).href);
const validateHyperjump = await hyperjumpValidate(new URL("UsageSegmentListing.json", BASE).href);

// Every candidate must accept the document, or the timings compare nothing.
expect(ours(document, "strict")).toBe(true);
expect(ours(document, "lenient")).toBe(true);
expect(validateMinimal(document)).toBe(true);
expect(validateHyperjump(document as never).valid).toBe(true);

type Stats = { latency: { p50: number; mean: number } };
const figures: Array<[string, string]> = [];
afterAll(() => {
  const width = Math.max(...figures.map(([k]) => k.length));
  console.log(["", `usage listing: ${(text.length / 1e6).toFixed(2)} MB, 12 segments, ${rows} value sets × 3 formats`, ...figures.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join("\n"));
});

// On a loaded machine one @hyperjump iteration of this document can take a second, and
// every candidate runs for 2 s after its warm-up: well past vitest's 60 s default.
const BENCH_TIMEOUT = 600_000;

test("a year of 15-minute usage: validation against JSON.parse of the same bytes", { timeout: BENCH_TIMEOUT }, async ({ bench }) => {
  const names = {
    parse: "baseline: JSON.parse",
    strict: "ours, strict (listing + decode)",
    lenient: "ours, lenient (listing + decode)",
    minimal: "hand-written minimal Ajv schema",
    hyperjump: "@hyperjump/json-schema (strict schemas)",
  };
  const result = await bench.compare(
    bench(names.parse, () => {
      if (!JSON.parse(text)) throw new Error("unreachable");
    }),
    bench(names.strict, () => {
      if (!ours(document, "strict")) throw new Error("strict rejected the listing");
    }),
    bench(names.lenient, () => {
      if (!ours(document, "lenient")) throw new Error("lenient rejected the listing");
    }),
    bench(names.minimal, () => {
      if (!validateMinimal(document)) throw new Error("the minimal schema rejected the listing");
    }),
    bench(names.hyperjump, () => {
      if (!validateHyperjump(document as never).valid) throw new Error("hyperjump rejected the listing");
    }),
    { time: 2000 },
  );
  const median = (name: string) => (result.get(name) as Stats).latency.p50;
  const parse = median(names.parse);
  figures.push([names.parse, `${parse.toFixed(2)} ms (1×)`]);
  for (const key of ["strict", "lenient", "minimal", "hyperjump"] as const) {
    figures.push([names[key], `${median(names[key]).toFixed(2)} ms = ${(median(names[key]) / parse).toFixed(2)}× JSON.parse`]);
  }
  const strictRatio = median(names.strict) / parse;
  const lenientOverStrict = median(names.lenient) / median(names.strict);
  figures.push(["lenient / strict", `${lenientOverStrict.toFixed(2)}×`]);
  // A bench reports against its targets; it never fails on numbers (they swing with the machine's load).
  figures.push(["target: strict ≤ 0.5× JSON.parse", strictRatio <= 0.5 ? "met" : `missed (${strictRatio.toFixed(2)}×)`]);
  figures.push(["target: lenient ≤ 1.2× strict", lenientOverStrict <= 1.2 ? "met" : `missed (${lenientOverStrict.toFixed(2)}×)`]);
});

const dir = mkdtempSync(path.join(tmpdir(), "cds-bench-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("first validation in a fresh process: spawn, load the module, validate one document", { timeout: BENCH_TIMEOUT }, () => {
  const file = path.join(dir, "usage-listing.json");
  writeFileSync(file, text);
  const validators = pathToFileURL(path.resolve(import.meta.dirname, "../dist/index.js")).href;
  const read = `import { readFileSync } from "node:fs"; const value = JSON.parse(readFileSync(${JSON.stringify(file)}, "utf8"));`;
  const scripts = {
    parse: `${read} if (!Array.isArray(value.usage_segments)) process.exit(1);`,
    ours: `import { validateUsageSegmentListing, decodeUsageSegment } from ${JSON.stringify(validators)}; ${read}
      const listing = validateUsageSegmentListing(value);
      if (!listing.ok || !listing.value.usage_segments.every((s) => decodeUsageSegment(s).ok)) process.exit(1);`,
  };
  const spawnMs = (script: string) => {
    const start = performance.now();
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "ignore", "pipe"] });
    const elapsed = performance.now() - start;
    if (child.status !== 0) throw new Error(`fresh process failed (${child.status}): ${child.stderr}`);
    return elapsed;
  };
  // Alternate the two so both see the same machine load; the median drops outliers.
  const times = { parse: [] as number[], ours: [] as number[] };
  for (let i = 0; i < 9; i++) {
    times.parse.push(spawnMs(scripts.parse));
    times.ours.push(spawnMs(scripts.ours));
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const parse = median(times.parse);
  const cold = median(times.ours);
  figures.push(["cold: node + JSON.parse", `${parse.toFixed(0)} ms (1×)`]);
  figures.push(["cold: node + load validators + strict listing + decode", `${cold.toFixed(0)} ms = ${(cold / parse).toFixed(2)}× the parse-only process`]);
  // Reported, not asserted: loading ~190 models' precompiled validators should stay a small multiple of starting node.
  figures.push(["target: cold < 5× parse-only", cold / parse < 5 ? "met" : "missed"]);
});
