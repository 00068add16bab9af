/**
 * CDS-WG3-01 §10.8.8, issue 12 item 5: an authorized Usage Segments listing
 * of one meter, a year back, 15-minute intervals, three Value Formats shared
 * by the Grant (§7.2.8.1: forward, reverse and net of Alex's six columns),
 * read through Direct Access. The server holds the demo utility as `pnpm
 * start` has it, with Alex's electric meter at 15 minutes every day for 13
 * months (a page is 100 days, ~0.4 MB). Targets: ≥ 50% of bare Fastify on
 * the same bytes, ≥ 5× Prism mocking the same operation.
 */
import type { LoadScenario } from "../load-shared.ts";

const METER = "md-1001-001-electric";

// Issue 12's measurement before segments were served from stored JSON (session 21, a quiet machine).
const before = { ratio: 1 / 159, source: "s21, PGlite: 1 vs 159 req/s" };

export const scenarios: LoadScenario[] = [
  {
    key: "usage-year",
    label: "GET usage-segments, one meter, a year of 15-min days, 3 of 6 formats (Direct Access)",
    server: "serving",
    expect: 200,
    before,
    needs: { meterIntervalDays: { [METER]: "all" }, usageValueTypes: ["forward", "reverse", "net"] },
    prism: true,
    request: async (context) => {
      const year = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
      return {
        method: "GET",
        path: `/cds-customerdata-api/v1/usage-segments?cds_meterdevice_ids=${METER}&after=${year}T00:00:00Z`,
        headers: { authorization: `Bearer ${await context.token("demo-direct-access", "cds_query_usage_1")}` },
      };
    },
  },
];
