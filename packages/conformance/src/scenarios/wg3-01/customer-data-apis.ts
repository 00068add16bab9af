/**
 * CDS-WG3-01 Customer Data APIs, read with a customer's access token: every
 * page strictly valid, no object twice across pages, `previous` leading back,
 * and APIs outside the Grant refusing rather than answering.
 */
import type { ModelName } from "@cds-toolkit/schemas";
import type { ScenarioContext } from "../../context.js";
import { isObject, type Json } from "../../context.js";
import { describe } from "../../http.js";
import type { Scenario } from "../../scenario.js";

const spec = "CDS-WG3-01" as const;

/** The metadata field of each Customer Data API (§5), its listing model and the listing's item field. */
const apis: Record<string, { section: string; model: ModelName; items: string }> = {
  cds_accounts_api: { section: "10.1", model: "AccountListing", items: "accounts" },
  cds_servicecontracts_api: { section: "10.2", model: "ServiceContractListing", items: "service_contracts" },
  cds_servicepoints_api: { section: "10.3", model: "ServicePointListing", items: "service_points" },
  cds_meterdevices_api: { section: "10.4", model: "MeterDeviceListing", items: "meter_devices" },
  cds_usagesegments_api: { section: "10.8", model: "UsageSegmentListing", items: "usage_segments" },
  cds_billstatement_api: { section: "10.5", model: "BillStatementListing", items: "bill_statements" },
  cds_billsection_api: { section: "10.6", model: "BillSectionListing", items: "bill_sections" },
  cds_eacs_api: { section: "10.9", model: "EnergyAttributeCertificateListing", items: "eacs" },
  cds_aggregations_api: { section: "10.7", model: "AggregationListing", items: "aggregations" },
};

/** Pages read per API: enough to see paging work, bounded so a year of usage does not make the run slow. */
const MAX_PAGES = 25;

export const customerDataListings: Scenario = {
  id: "wg3-01/customer-data-listings",
  spec,
  title: "Every Customer Data API answers a customer's token with strictly valid, duplicate-free pages, or refuses it",
  sections: ["5", "10.1", "10.2", "10.3", "10.4", "10.5", "10.6", "10.7", "10.8", "10.9"],
  musts: [],
  async run(ctx: ScenarioContext) {
    const as = await ctx.asMetadata();
    const offered = Object.keys(apis).filter((f) => typeof as[f] === "string");
    if (offered.length === 0) ctx.skip("the Server lists no Customer Data API (CDS-WG3-01 §5)");
    const tokens = await ctx.customerTokens();
    let readable = 0;
    for (const field of offered) {
      const { section, model, items } = apis[field]!;
      const url = String(as[field]);
      const anonymous = await ctx.request(url);
      ctx.expectStatus(anonymous, 401, section, `${field} without a token`);
      const first = await ctx.request(url, { bearer: tokens.access_token });
      if (first.status === 401 || first.status === 403) continue; // outside what the Grant gives
      ctx.expectStatus(first, 200, section, `${field} with the customer's token`);
      readable++;
      const seen = new Set<string>();
      const pages: string[][] = [];
      let page: Json = first.json as Json;
      let pageUrl = url;
      for (let n = 0; ; n++) {
        ctx.conforms(model, page, section, `${field} page ${n + 1}`);
        const objects = (page[items] as unknown[]).map((o) => JSON.stringify(o));
        for (const o of objects) ctx.check(!seen.has(o), section, `${field} lists the same object twice (page ${n + 1})`);
        objects.forEach((o) => seen.add(o));
        pages.push(objects);
        if (typeof page.next !== "string" || n + 1 >= MAX_PAGES) break;
        ctx.check(page.next !== pageUrl, section, `${field}'s next link points at the page itself`);
        pageUrl = page.next;
        const res = await ctx.request(pageUrl, { bearer: tokens.access_token });
        ctx.expectStatus(res, 200, section, `${field} following next`);
        ctx.check(isObject(res.json), section, `${field}'s next page is not a JSON object`);
        page = res.json;
      }
      if (pages.length > 1) {
        const back = page.previous;
        ctx.check(typeof back === "string", section, `${field}'s page ${pages.length} has no previous link`);
        const res = await ctx.request(back, { bearer: tokens.access_token });
        const objects = isObject(res.json) && Array.isArray(res.json[items]) ? (res.json[items] as unknown[]).map((o) => JSON.stringify(o)) : [];
        ctx.check(objects.join() === pages.at(-2)!.join(), section, `${field}'s previous link does not lead back to the page before (${describe(res)})`);
      }
    }
    ctx.check(readable > 0, "10", "no Customer Data API answers the customer's fresh token");
  },
};
