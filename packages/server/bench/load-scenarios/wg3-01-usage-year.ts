/**
 * CDS-WG3-01 Customer Data: a page of a year of 15-minute usage (the
 * server seeded with 13 months, every day at 15 minutes, as `cds-server
 * seed --months 13` does), read through Direct Access.
 */
import type { LoadScenario } from "../load-shared.ts";

export const scenarios: LoadScenario[] = [
  {
    key: "usage-year",
    label: "GET usage-segments, 100 of a year of 15-min days (Direct Access)",
    server: "serving",
    expect: 200,
    needs: { usageMonths: 13 },
    request: async (context) => ({
      method: "GET",
      path: "/cds-customerdata-api/v1/usage-segments?page_size=100",
      headers: { authorization: `Bearer ${await context.token("demo-direct-access", "cds_query_usage_1")}` },
    }),
  },
];
