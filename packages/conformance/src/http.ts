/**
 * The HTTP calls a scenario makes: plain `fetch`, redirects never followed
 * (a redirect is itself something the specs rule on), JSON bodies parsed when
 * the Server says they are JSON. Credentials go in headers only; nothing
 * here ever writes a token or secret into a message.
 */

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or undefined when the body was empty or not JSON. */
  json: unknown;
  text: string;
  url: string;
}

export interface RequestOptions {
  method?: string;
  bearer?: string;
  basic?: { id: string; secret: string };
  /** A JSON body. */
  body?: unknown;
  /** An application/x-www-form-urlencoded body. */
  form?: Record<string, string | undefined>;
  headers?: Record<string, string>;
}

export const basicAuth = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

export async function request(url: string | URL, options: RequestOptions = {}): Promise<HttpResponse> {
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  if (options.bearer !== undefined) headers.authorization = `Bearer ${options.bearer}`;
  if (options.basic) headers.authorization = basicAuth(options.basic.id, options.basic.secret);
  let body: string | undefined;
  if (options.form) {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(options.form)) if (v !== undefined) form.set(k, v);
    body = form.toString();
    headers["content-type"] = "application/x-www-form-urlencoded";
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] = "application/json";
  }
  const method = options.method ?? (body === undefined ? "GET" : "POST");
  let res = await fetch(url, { method, headers, redirect: "manual", ...(body === undefined ? {} : { body }) });
  // A Server's rate limits are respected (CDS-WG1-01 §8.2, CDS-WG1-02 §11.3): wait as told and try again, a few times.
  for (let attempt = 0; res.status === 429 && attempt < 3; attempt++) {
    const wait = Number(res.headers.get("retry-after"));
    if (!Number.isFinite(wait) || wait < 0 || wait > 60) break;
    await res.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 250));
    res = await fetch(url, { method, headers, redirect: "manual", ...(body === undefined ? {} : { body }) });
  }
  const text = await res.text();
  let json: unknown;
  if (/json/i.test(res.headers.get("content-type") ?? "") && text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { status: res.status, headers: res.headers, json, text, url: String(url) };
}

/** A short description of an answer for a failure message: status and, for problems and OAuth errors, their error field. */
export function describe(res: HttpResponse): string {
  const body = res.json as { error?: unknown; detail?: unknown; title?: unknown } | undefined;
  const reason = body && typeof body === "object" ? (body.error ?? body.detail ?? body.title) : undefined;
  return `${res.status}${typeof reason === "string" ? ` (${reason.slice(0, 120)})` : ""}`;
}
