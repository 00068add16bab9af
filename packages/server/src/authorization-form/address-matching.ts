/**
 * Address matching for the `addresses` preselection field (CDS-WG3-01
 * §7.1.13.1), for this Server's one locale (United States postal style):
 *
 * - A stored address is Typical when, after an optional leading name
 *   segment, it starts with a house number followed by a street; anything
 *   else (directions, field descriptions) is Atypical.
 * - Typical addresses lose the leading name, have the postal abbreviations
 *   below expanded, are lowercased, have their segments (lines and commas)
 *   joined with ", ", duplicate whitespace removed and the ends trimmed.
 * - Atypical addresses, and every address a Client sends, are only
 *   lowercased, have line breaks made single spaces, duplicate whitespace
 *   removed and the ends trimmed.
 * - An input matches a resource when the normalized strings are equal.
 *   The customer's several resources at one normalized address (the electric
 *   and gas service points of one house) are one place, so they count as one
 *   match, not as "two or more" (spec/ERRATA.md E-WG3-01-270).
 *
 * §7.1.13.1 also asks for these rules, with examples, on the `addresses`
 * field's `documentation` page: the docs site's guide
 * (packages/docs/pages/guides/address-matching.md), which
 * test/authorization-form/address-matching-docs.test.ts keeps in step with
 * this file.
 */

/** Postal abbreviations expanded in Typical Addresses (USPS street suffixes, unit designators and directions). */
export const POSTAL_ABBREVIATIONS: Readonly<Record<string, string>> = {
  aly: "alley",
  ave: "avenue",
  av: "avenue",
  blvd: "boulevard",
  cir: "circle",
  ct: "court",
  dr: "drive",
  expy: "expressway",
  fwy: "freeway",
  hwy: "highway",
  ln: "lane",
  pkwy: "parkway",
  pl: "place",
  plz: "plaza",
  rd: "road",
  sq: "square",
  st: "street",
  ter: "terrace",
  trl: "trail",
  apt: "apartment",
  bldg: "building",
  fl: "floor",
  ste: "suite",
  rm: "room",
  n: "north",
  s: "south",
  e: "east",
  w: "west",
  ne: "northeast",
  nw: "northwest",
  se: "southeast",
  sw: "southwest",
};

/** The segment separator of a normalized Typical Address. */
export const SEGMENT_SEPARATOR = ", ";

const collapse = (s: string) => s.replace(/\s+/g, " ").trim();

/** A house number then a street word: "123 Main St", "12B Elm Street"; not a distance ("12 mi North on FM 5555"). */
const STREET_LINE = /^\d+[a-z]?(?:-\d+)?\s+(?!(?:mi|miles?|ft|feet|km|yd|yards?)\b)\p{L}/iu;

function segmentsOf(address: string): string[] {
  return address
    .split(/[\n,]/)
    .map((s) => collapse(s))
    .filter((s) => s.length > 0);
}

/** Typical when a segment (the first, or the second after a name) starts with a house number. */
export function isTypicalAddress(address: string): boolean {
  const segments = segmentsOf(address);
  return segments.length > 0 && (STREET_LINE.test(segments[0]!) || (segments.length > 1 && STREET_LINE.test(segments[1]!)));
}

function expandWords(segment: string): string {
  return segment
    .replace(/#\s*(\w+)/g, "Unit $1")
    .split(" ")
    .map((word) => {
      const bare = word.replace(/\.$/, "").toLowerCase();
      return POSTAL_ABBREVIATIONS[bare] ?? word;
    })
    .join(" ");
}

/** §7.1.13.1's normalization of a stored Typical Address. */
export function normalizeTypical(address: string): string {
  let segments = segmentsOf(address);
  // The address name: a leading segment before the one that starts with the house number.
  if (segments.length > 1 && !STREET_LINE.test(segments[0]!) && STREET_LINE.test(segments[1]!)) segments = segments.slice(1);
  return collapse(segments.map((s) => expandWords(s).toLowerCase()).join(SEGMENT_SEPARATOR));
}

/** §7.1.13.1's normalization of an Atypical Address, and of every input address. */
export function normalizeAtypical(address: string): string {
  return collapse(address.toLowerCase().replace(/\r?\n/g, " "));
}

export function normalizeStored(address: string): string {
  return isTypicalAddress(address) ? normalizeTypical(address) : normalizeAtypical(address);
}

/**
 * The ids of the candidates any input matches; `candidates` are this
 * customer's resources at one level, each with its stored addresses.
 */
export function matchAddresses(inputs: readonly string[], candidates: readonly { id: string; addresses: readonly string[] }[]): Set<string> {
  const byPlace = new Map<string, Set<string>>();
  for (const c of candidates) {
    for (const a of c.addresses) {
      const key = normalizeStored(a);
      if (!key) continue;
      if (!byPlace.has(key)) byPlace.set(key, new Set());
      byPlace.get(key)!.add(c.id);
    }
  }
  const matched = new Set<string>();
  for (const input of inputs) {
    const wanted = normalizeAtypical(input);
    if (!wanted) continue;
    for (const id of byPlace.get(wanted) ?? []) matched.add(id);
  }
  return matched;
}
