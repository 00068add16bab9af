/**
 * A listing operation: one page as a typed call, or every item across pages
 * as an async iterator that follows `next` as given (paging/paginate.ts).
 */
import type { Lenient } from "@cds-toolkit/validators";
import { apiError, checked, parseJson, readBody, type Validator } from "../http/read.js";
import { paginate, pages, type Page } from "../paging/paginate.js";
import type { Endpoint } from "./endpoint.js";

export interface ListOptions {
  /** Called after each page is read: items on it, and its URL (`null` for the first). */
  onPage?: (items: number, url: string | null) => void;
}

export class Listing<Filters, L extends { next: string | null }, K extends keyof Lenient<L>> {
  private readonly endpoint: Endpoint<any>;
  private readonly path: string;
  private readonly validator: Validator<L>;
  private readonly model: string;
  private readonly key: K;
  constructor(endpoint: Endpoint<any>, path: string, validator: Validator<L>, model: string, key: K) {
    this.endpoint = endpoint;
    this.path = path;
    this.validator = validator;
    this.model = model;
    this.key = key;
  }

  /** The first page (or the page `filters` select). */
  async page(filters?: Filters): Promise<Lenient<L>> {
    const { data, error, response } = await this.endpoint.client.GET(this.path, { params: { query: (filters ?? {}) as Record<string, unknown> }, parseAs: "text" });
    return readBody(response, (data ?? error) as string | undefined, this.validator, this.model, this.endpoint.mode);
  }

  /** Every item of every page; stops fetching when the consumer stops. */
  async *all(filters?: Filters, options: ListOptions = {}): AsyncGenerator<Item<L, K>, void, undefined> {
    const first = await this.page(filters);
    yield* paginate<Item<L, K>>({ first: this.asPage(first), fetch: this.endpoint.fetch, read: (body, url) => this.asPage(checked(this.validator, this.model, body, url, this.endpoint.mode)), onPage: (page, url) => options.onPage?.(page.items.length, url) });
  }

  /** Every page, for callers that want page boundaries (such as progress output). */
  async *pages(filters?: Filters): AsyncGenerator<Page<Item<L, K>>, void, undefined> {
    const first = await this.page(filters);
    yield* pages<Item<L, K>>({ first: this.asPage(first), fetch: this.endpoint.fetch, read: (body, url) => this.asPage(checked(this.validator, this.model, body, url, this.endpoint.mode)) });
  }

  /**
   * Every page's body, unchecked, with its URL: for readers that check the
   * items themselves (usage segments are decoded and checked segment by
   * segment, so validating the whole page first would check them twice).
   */
  async *rawPages(filters?: Filters): AsyncGenerator<{ body: unknown; url: string }, void, undefined> {
    const { data, error, response } = await this.endpoint.client.GET(this.path, { params: { query: (filters ?? {}) as Record<string, unknown> }, parseAs: "text" });
    const url = response.url || this.path;
    if (!response.ok) throw apiError(response.status, (data ?? error) as string | undefined, url);
    const first = parseJson((data ?? "") as string, url, response.status);
    const next = (body: unknown) => (typeof body === "object" && body !== null ? ((body as { next?: unknown }).next as string | null | undefined) : null);
    yield* paginate<{ body: unknown; url: string }>({
      first: { items: [{ body: first, url }], next: next(first) },
      fetch: this.endpoint.fetch,
      read: (body, pageUrl) => ({ items: [{ body, url: pageUrl }], next: next(body) }),
    });
  }

  get mode() {
    return this.endpoint.mode;
  }

  private asPage(listing: Lenient<L>): Page<Item<L, K>> {
    return { items: listing[this.key] as Item<L, K>[], next: (listing as { next?: string | null }).next ?? null };
  }
}

export type Item<L, K extends keyof Lenient<L>> = Lenient<L>[K] extends ReadonlyArray<infer I> ? I : never;
