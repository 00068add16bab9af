/**
 * Listings (CDS-WG1-01 §5.2, CDS-WG1-02 §5–§8, CDS-WG3-01 §10): each page
 * carries `next`, the complete URL of the following page or `null`. The
 * iterator fetches a page only when the consumer asks for its first item, so
 * a consumer that stops early stops the fetching (backpressure), and follows
 * `next` exactly as given: never rebuilt from parameters.
 */
import { PagingLoopError } from "../errors.js";
import type { Fetch } from "../http/fetch.js";
import { apiError, parseJson } from "../http/read.js";

export interface Page<T> {
  items: T[];
  next: string | null | undefined;
}

export interface PaginateOptions<T> {
  /** The first page: a URL to fetch, or a page already read (as a typed call returns it). */
  first: string | Page<T>;
  fetch: Fetch;
  /** Validates one page's body; `url` is where it came from. */
  read: (body: unknown, url: string) => Page<T>;
  /** Called after each page is read (for progress output). */
  onPage?: (page: Page<T>, url: string | null) => void;
}

/** Every item of every page, in order. */
export async function* paginate<T>(options: PaginateOptions<T>): AsyncGenerator<T, void, undefined> {
  for await (const page of pages(options)) yield* page.items;
}

/** Every page, in order. */
export async function* pages<T>(options: PaginateOptions<T>): AsyncGenerator<Page<T>, void, undefined> {
  const seen = new Set<string>();
  let page: Page<T>;
  let url: string | null;
  if (typeof options.first === "string") {
    url = options.first;
    page = await fetchPage(options, url);
  } else {
    url = null;
    page = options.first;
  }
  for (;;) {
    options.onPage?.(page, url);
    yield page;
    const next = page.next;
    if (next === null || next === undefined) return;
    if (seen.has(next) || next === url) throw new PagingLoopError(`${next}: this listing's next link leads back to a page already read`, next);
    if (url) seen.add(url);
    url = next;
    page = await fetchPage(options, next);
  }
}

async function fetchPage<T>(options: PaginateOptions<T>, url: string): Promise<Page<T>> {
  const response = await options.fetch(new Request(url, { headers: { accept: "application/json" } }));
  const text = await response.text();
  if (!response.ok) throw apiError(response.status, text, url);
  return options.read(parseJson(text, url, response.status), url);
}
