/**
 * A minimal browser for driving the login and consent pages over real HTTP:
 * a cookie jar (path-scoped, as oidc-provider's interaction cookies are),
 * redirects followed by hand, and the HTML forms read back from the pages.
 */

interface Cookie {
  name: string;
  value: string;
  path: string;
}

export interface Form {
  action: string;
  fields: Record<string, string>;
  /** The submit button's name and value, if it has them. */
  button?: { name: string; value: string };
}

export class Browser {
  private cookies: Cookie[] = [];
  private readonly origin: string;
  constructor(origin: string) {
    this.origin = origin;
  }

  async get(url: string): Promise<Response> {
    return this.request(url, { method: "GET" });
  }

  /**
   * Posts a form as a browser does from one of the server's own pages: with
   * `Origin` and `Sec-Fetch-Site: same-origin`; `from` overrides them (a
   * post another site sends, or none at all for a script).
   */
  async post(url: string, fields: Record<string, string> | URLSearchParams, from: Record<string, string> = { origin: this.origin, "sec-fetch-site": "same-origin" }): Promise<Response> {
    return this.request(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...from }, body: new URLSearchParams(fields).toString() });
  }

  /**
   * Follows same-origin redirects from `start` (a response or a URL); stops at
   * a page, or at a redirect that leaves the server (to the client's
   * redirect URI), whose Location is returned.
   */
  async follow(start: Response | string): Promise<{ response: Response; location?: string }> {
    let response = typeof start === "string" ? await this.get(start) : start;
    for (let hops = 0; hops < 10; hops++) {
      const location = response.headers.get("location");
      if (response.status < 300 || response.status >= 400 || !location) return { response };
      const next = new URL(location, response.url || this.origin);
      if (next.origin !== this.origin) return { response, location: next.toString() };
      response = await this.get(next.toString());
    }
    throw new Error("too many redirects");
  }

  /** Submits the form whose action ends with `actionSuffix` on `page`, with `fields` added. */
  async submit(page: string, actionSuffix: string, fields: Record<string, string> = {}, from?: Record<string, string>): Promise<Response> {
    const form = parseForms(page).find((f) => f.action.endsWith(actionSuffix));
    if (!form) throw new Error(`no form posting to …${actionSuffix}`);
    const button = form.button ? { [form.button.name]: form.button.value } : {};
    return this.post(new URL(form.action, this.origin).toString(), { ...form.fields, ...button, ...fields }, from);
  }

  forget(name: string): void {
    this.cookies = this.cookies.filter((c) => c.name !== name);
  }

  /** Every cookie value held, for tests that look for them where they must not be (logs). */
  cookieValues(namePrefix = ""): string[] {
    return this.cookies.filter((c) => c.name.startsWith(namePrefix)).map((c) => c.value);
  }

  cookieNames(): string[] {
    return this.cookies.map((c) => c.name);
  }

  private async request(url: string, init: RequestInit): Promise<Response> {
    const target = new URL(url, this.origin);
    const cookie = this.cookies
      .filter((c) => target.pathname === c.path || target.pathname.startsWith(c.path.endsWith("/") ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join("; ");
    const headers = new Headers(init.headers);
    if (cookie) headers.set("cookie", cookie);
    const response = await fetch(target, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) this.store(line, target);
    // fetch leaves `url` empty for manual redirects in some runtimes; keep it for relative Locations.
    Object.defineProperty(response, "url", { value: target.toString() });
    return response;
  }

  private store(line: string, target: URL): void {
    const [pair = "", ...attributes] = line.split(";").map((s) => s.trim());
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    let path = target.pathname.replace(/\/[^/]*$/, "") || "/";
    let expired = false;
    for (const attribute of attributes) {
      const [key = "", val = ""] = attribute.split("=");
      if (key.toLowerCase() === "path") path = val;
      if (key.toLowerCase() === "expires" && Date.parse(val) < Date.now()) expired = true;
      if (key.toLowerCase() === "max-age" && Number(val) <= 0) expired = true;
    }
    this.cookies = this.cookies.filter((c) => !(c.name === name && c.path === path));
    if (!expired) this.cookies.push({ name, value, path });
  }
}

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m?.[1] === undefined ? undefined : decode(m[1]);
};

export function parseForms(page: string): Form[] {
  const forms: Form[] = [];
  for (const match of page.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const [, formAttrs = "", inner = ""] = match;
    const fields: Record<string, string> = {};
    for (const input of inner.matchAll(/<input\b[^>]*>/g)) {
      // As a browser submits: unticked boxes and disabled fields send nothing.
      const box = /\stype="(checkbox|radio)"/.test(input[0]);
      if ((box && !/\schecked(?=[\s>=/])/.test(input[0])) || /\sdisabled(?=[\s>=/])/.test(input[0])) continue;
      const name = attr(input[0], "name");
      if (name) fields[name] = attr(input[0], "value") ?? "";
    }
    // The first named submit button, as pressing Enter in the form would use.
    const buttonTag = [...inner.matchAll(/<button\b[^>]*>/g)].map((m) => m[0]).find((tag) => /\sname="/.test(tag) && !/\stype="button"/.test(tag));
    const buttonName = buttonTag && attr(buttonTag, "name");
    forms.push({
      action: attr(` ${formAttrs}`, "action") ?? "",
      fields,
      ...(buttonTag && buttonName ? { button: { name: buttonName, value: attr(buttonTag, "value") ?? "" } } : {}),
    });
  }
  return forms;
}
