// Child processes of usage-export.bench.ts.
//   generate <file>: writes the pages, one JSON text per line (outside any measurement)
//   baseline <file>: JSON.parse of every page (what any client must do at least)
//   export <file>:   JSON.parse + lenient checks (page envelope, then decodeUsageSegment per segment) + rows + CSV, into a sink
// Each measured mode runs in its own process, reading one page at a time as a client reads pages off the network,
// so its peak RSS is its own.
import { createReadStream, createWriteStream } from "node:fs";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { decodeUsagePage, usageCsv } from "../dist/index.js";

const [mode, file, totalArg] = process.argv.slice(2);
const TOTAL = Number(totalArg ?? 1_000_000);
const PER_SEGMENT = 2976; // a 31-day month of 15-minute intervals
const SEGMENTS_PER_PAGE = 4;

function pageText(first, count, startMs) {
  const segments = [];
  for (let s = 0; s < count; s++) {
    const n = Math.min(PER_SEGMENT, TOTAL - (first + s) * PER_SEGMENT);
    const start = startMs + (first + s) * PER_SEGMENT * 900_000;
    const values = [];
    for (let i = 0; i < n; i++) values.push(i % 97 === 0 ? [null, { c: 0.02 }] : [{ eu: Math.round(((i * 7919) % 1000) / 3) / 100 }, { c: Math.round((i % 50) * 3) / 100 }]);
    segments.push({
      cds_usagesegment_id: `seg-${first + s}`,
      cds_created: "2024-01-01T00:00:00Z", cds_modified: "2024-01-01T00:00:00Z", cds_synced: "2024-01-01T00:00:00Z",
      related_aggregations: [], related_accounts: ["a1"], related_servicecontracts: [], related_servicepoints: ["sp1"], related_meterdevices: ["m1"], related_billsections: [],
      segment_start: new Date(start).toISOString(), segment_end: new Date(start + n * 900_000).toISOString(), interval: 900,
      formats: [{ id: "usage", type: "electric_usage", units: "kWh", direction: "forward", quality: "validated" }, { id: "cost", type: "cost", currency: "USD", indexes: [0] }],
      values,
    });
  }
  return JSON.stringify({ usage_segments: segments, next: null, previous: null });
}

const segmentsTotal = Math.ceil(TOTAL / PER_SEGMENT);
const startMs = Date.UTC(2020, 0, 1);

if (mode === "generate") {
  const out = createWriteStream(file);
  for (let first = 0; first < segmentsTotal; first += SEGMENTS_PER_PAGE) {
    if (!out.write(`${pageText(first, Math.min(SEGMENTS_PER_PAGE, segmentsTotal - first), startMs)}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  process.exit(0);
}

let elapsed = 0n;
let intervals = 0;
let bytes = 0;
let csvRows = 0;
const sink = {
  write: (chunk) => {
    bytes += chunk.length;
    // Count lines outside the timed section would need a second pass; this is cheap beside the export itself.
    for (let i = chunk.indexOf("\n"); i !== -1; i = chunk.indexOf("\n", i + 1)) csvRows++;
    if (chunk.startsWith("interval_start,")) csvRows--;
  },
};
for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
  const t0 = process.hrtime.bigint();
  const page = JSON.parse(text);
  if (mode === "baseline") {
    for (const s of page.usage_segments) intervals += s.values.length;
  } else {
    async function* decoded() {
      for (const rows of decodeUsagePage(page, "(recorded page)", "lenient")) {
        intervals += rows.count;
        yield rows;
      }
    }
    for await (const chunk of usageCsv(decoded())) sink.write(chunk);
  }
  elapsed += process.hrtime.bigint() - t0;
}
const seconds = Number(elapsed) / 1e9;
process.stdout.write(JSON.stringify({ mode, intervals, seconds, perSecond: intervals / seconds, maxRssMb: process.resourceUsage().maxRSS / 1024, csvBytes: bytes, csvRows }));
