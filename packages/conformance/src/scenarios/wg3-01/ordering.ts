/**
 * CDS-WG3-01 §10 ordering and paging, read with the Direct Access token:
 * each listing is in its section's order, and the order is total: walking it
 * in small pages by `next` gives exactly the same sequence as the largest
 * pages (no object twice, none skipped), the ends' links are null, and
 * `previous` walks back over the same pages.
 */
import type { ScenarioContext } from "../../context.js";
import type { Scenario } from "../../scenario.js";
import { compareByRule, listings, type Listing, type Numbers } from "./listings.js";
import { fetchPage, idsOf, LARGEST_PAGE, numbersFrom, readListings, walk, withParams, type Readable } from "./read.js";

/** How many small pages a listing is cut into: enough to cross page bounds several times, few enough to stay fast. */
const SMALL_PAGES = 4;

function checkOrder(ctx: ScenarioContext, listing: Listing, objects: Readable["objects"], n: Numbers): void {
  for (let i = 1; i < objects.length; i++) {
    const [a, b] = [objects[i - 1]!, objects[i]!];
    const { cmp, key } = compareByRule(listing.order.keys, a, b, n);
    ctx.check(cmp <= 0, listing.section, `${listing.title}: ${String(a[listing.id])} is listed before ${String(b[listing.id])}, against the section's order (by ${key}: ${String(listing.order.keys.find((k) => k.name === key)?.value(a, n))} vs ${String(listing.order.keys.find((k) => k.name === key)?.value(b, n))})`);
  }
}

async function checkPaging(ctx: ScenarioContext, { listing, url, objects }: Readable, token: string): Promise<void> {
  const section = listing.section;
  if (objects.length < 2) return;
  // Capped: a long listing (a year of usage has hundreds of segments) gets more pages, not pages past the largest size.
  const size = Math.min(LARGEST_PAGE, Math.max(1, Math.ceil(objects.length / SMALL_PAGES)));
  const pages = await walk(ctx, listing, withParams(url, { page_size: String(size) }), token);
  const whole = idsOf(listing, objects);
  const paged = pages.flatMap((p) => idsOf(listing, p.objects));
  const firstDiff = paged.findIndex((id, i) => id !== whole[i]);
  ctx.check(
    paged.length === whole.length && firstDiff === -1,
    section,
    `${listing.title} in pages of ${size} by \`next\` lists ${paged.length} objects, the full listing ${whole.length}; they differ first at position ${firstDiff === -1 ? paged.length : firstDiff} (${paged[firstDiff] ?? "end"} vs ${whole[firstDiff] ?? "end"}): objects repeated, skipped or not in one total order`,
  );
  ctx.check(pages[0]!.body.previous === null, section, `${listing.title}: the first page's \`previous\` is not null`);
  // Back from the last page, each `previous` gives the page before it.
  let page = pages.at(-1)!;
  for (let k = pages.length - 1; k > 0; k--) {
    const back = page.body.previous;
    ctx.check(typeof back === "string", section, `${listing.title}: page ${k + 1} of ${pages.length} has no \`previous\` link`);
    page = await fetchPage(ctx, listing, back, token);
    const want = idsOf(listing, pages[k - 1]!.objects).join(" ");
    ctx.check(idsOf(listing, page.objects).join(" ") === want, section, `${listing.title}: \`previous\` from page ${k + 1} does not give page ${k} back`);
  }
  ctx.check(page.body.previous === null, section, `${listing.title}: walking back by \`previous\` does not end at the first page`);
}

/** The REQUIRED-field statements (rule `required-field`) of each object's format section, by number. */
const requiredFields = Object.entries({
  "10.1.1": [1, 2, 3, 4, 5],
  "10.2.1": [1, 2, 3, 4, 5, 6, 7, 8],
  "10.3.1": [1, 2, 3, 4, 5, 6, 7, 9],
  "10.4.1": [1, 2, 3, 4, 5, 6, 8],
  "10.5.1": [1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14],
  "10.6.1": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 17, 19, 21, 23, 24],
  "10.7.1": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  "10.8.1": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16],
  "10.9.1": [1, 2, 3, 4, 5, 6, 7, 8, 11, 14, 15],
}).flatMap(([section, ns]) => ns.map((n) => `WG3-01-${section}-${n}`));

/**
 * The §10 value lists ("values come only from the list below"): the strict
 * validators keep every enumeration closed, so each listed object's values
 * are checked against them. Value formats the demo data never holds (water,
 * fuel oil, demand) are left out: nothing here would ever exercise them.
 */
const enumerations = [
  ...["10.1.2", "10.1.3", "10.1.5", "10.1.7", "10.1.9", "10.2.2", "10.2.3", "10.2.4", "10.2.6", "10.3.2", "10.3.4", "10.4.2", "10.4.4", "10.5.3", "10.6.2", "10.6.4", "10.6.6", "10.6.8", "10.7.2", "10.7.4", "10.7.6"].map((s) => `WG3-01-${s}-1`),
  ...["10.8.7.1", "10.8.7.2", "10.8.7.3", "10.8.7.4", "10.8.7.5", "10.8.7.6"].map((s) => `WG3-01-${s}-1`),
  "WG3-01-10.8.5.1.1-4",
  "WG3-01-10.8.5.1.1-6",
];

export const customerDataOrdering: Scenario = {
  id: "wg3-01/listing-order-paging",
  spec: "CDS-WG3-01",
  title: "The nine Customer Data listings are strictly valid, in their sections' order, and page completely by next and back by previous",
  sections: listings.map((l) => l.section),
  musts: [
    ...listings.flatMap((l) => l.order.musts),
    // The listings' item lists (…-1), strictly valid on every page.
    ...listings.map((l) => `WG3-01-${l.section}-1`),
    // The REQUIRED fields of the nine objects, strictly validated on every object listed.
    ...requiredFields,
    ...enumerations,
  ],
  async run(ctx: ScenarioContext) {
    const { token } = await ctx.directAccess();
    const { readable } = await readListings(ctx, token);
    if (readable.length === 0) ctx.skip("the Direct Access token reads none of the Customer Data listings");
    const n = numbersFrom(readable);
    for (const r of readable) {
      checkOrder(ctx, r.listing, r.objects, n);
      await checkPaging(ctx, r, token);
    }
  },
};
