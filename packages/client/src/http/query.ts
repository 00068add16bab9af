/**
 * Query strings as the CDS specs write them: list parameters are one value of
 * space-separated items (CDS-WG1-01 §5.2, CDS-WG1-02 §5.2, CDS-WG3-01 §10),
 * dates are RFC 3339 strings. Written for both shapes of the generated types:
 * a list parameter typed `string` (space-separated already) or `string[]`.
 */

/** A filter value a caller may give: one string, several, a Date, a number or a boolean. */
export type QueryValue = string | readonly string[] | Date | number | boolean | null | undefined;

/** One query parameter to its wire form; arrays join with a space, dates become RFC 3339 in UTC. */
export function queryValue(value: Exclude<QueryValue, null | undefined>): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError("an invalid Date cannot be sent as a filter");
    return value.toISOString().replace(/\.000Z$/, "Z");
  }
  if (Array.isArray(value)) return value.join(" ");
  return String(value);
}

/** The query string without `?`; spaces as `%20` (as the spec's examples write them), not `+`. */
export function serializeQuery(query: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(queryValue(value as Exclude<QueryValue, null | undefined>))}`);
  }
  return parts.join("&");
}

/**
 * The filters a typed call accepts, from the operation's generated query type:
 * each list parameter as a string or an array of strings, each string
 * parameter also as a Date (for the time filters).
 */
export type Filters<Q> = {
  [K in keyof Q]?: NonNullable<Q[K]> extends string | readonly string[] ? string | readonly string[] | Date : Q[K];
};
