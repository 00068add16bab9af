/**
 * Rules every request meets before any handler, query or OAuth library sees
 * it, so no crafted string can reach the database (PostgreSQL `text` cannot
 * hold NUL: the insert fails and the request would be a 500) and every
 * refusal is a 400 naming the field and the rule.
 *
 * - No NUL (U+0000) in any string: path, query parameter names and values,
 *   JSON strings and keys, form fields. Rule `no-nul`.
 * - Well-formed Unicode: percent-encodings decode as UTF-8, JSON strings hold
 *   no lone surrogates. Rules `utf-8`, `well-formed-unicode`.
 * - JSON bodies nest at most `MAX_JSON_DEPTH` levels. Rule `max-depth`.
 * - Integer query parameters (the operation's query schema says
 *   `type: integer`) are decimal digits only: no `Infinity`, `1e309`, `0x10`,
 *   `+5`, `1e1`, which Ajv's coercion would otherwise turn into numbers.
 *   Rule `decimal-digits`.
 *
 * The hooks are installed on the root instance, so every route registered
 * later (any API folder) gets them without doing anything. oidc-provider's
 * form bodies are checked by `checkFormBody`, called from its mount.
 */
import type { ProblemFieldError } from "@cds-toolkit/types";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { InvalidRequestError } from "../authorization-form/InvalidRequestError.js";
import { neutralBrand } from "../authorization-form/brand.js";
import { newNonce, pageHeaders, renderPage } from "../authorization-form/render.js";
import { paths } from "../urls.js";
import { problem, sendOAuthError, sendProblem } from "./problem.js";

/** A request that breaks an edge rule: where, which rule, and a message that never echoes the value. */
export class EdgeRuleError extends Error {
  readonly field: ProblemFieldError;
  constructor(pointer: string, rule: string, message: string) {
    super(`${pointer}: ${message}`);
    this.name = "EdgeRuleError";
    this.field = { pointer, rule, message: `${pointer}: ${message}` };
  }
}

const NUL = "\u0000";
/** In `u` mode a surrogate pair is one code point, so this matches only unpaired halves. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Decodes one percent-encoded component strictly (`+` as space when `form`), or says which rule it breaks. */
function decodeComponent(raw: string, pointer: string, form: boolean): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(form ? raw.replace(/\+/g, " ") : raw);
  } catch {
    throw new EdgeRuleError(pointer, "utf-8", "is not valid percent-encoded UTF-8");
  }
  if (decoded.includes(NUL)) throw new EdgeRuleError(pointer, "no-nul", "must not contain a NUL character (U+0000)");
  return decoded;
}

/** The name=value pairs of a query string or form body, each decoded strictly. */
export function checkUrlEncoded(text: string, where: "query" | "body"): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const pair of text.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    const name = decodeComponent(rawName, where === "query" ? "query" : "", true);
    const pointer = where === "query" ? `query:${name}` : `/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`;
    const value = decodeComponent(eq === -1 ? "" : pair.slice(eq + 1), pointer, true);
    out.set(name, [...(out.get(name) ?? []), value]);
  }
  return out;
}

/** The request target: path segments and query, strictly decoded. */
export function checkRequestTarget(url: string): Map<string, string[]> {
  const q = url.indexOf("?");
  decodeComponent(q === -1 ? url : url.slice(0, q), "path", false);
  return q === -1 ? new Map() : checkUrlEncoded(url.slice(q + 1), "query");
}

/**
 * How deep a JSON body may nest. The deepest model (authorization details
 * inside a Grant request inside a Message) is under a dozen levels; a body
 * nested thousands deep would otherwise exhaust the stack of every recursive
 * walk after the parser (this one, the validators) and answer 500.
 */
export const MAX_JSON_DEPTH = 64;

function checkString(value: string, pointer: string): void {
  if (value.includes(NUL)) throw new EdgeRuleError(pointer, "no-nul", "must not contain a NUL character (U+0000)");
  if (LONE_SURROGATE.test(value)) throw new EdgeRuleError(pointer, "well-formed-unicode", "must not contain a lone surrogate");
}

/** Every string (and key) of a parsed JSON value: no NUL, no lone surrogate; nesting at most `MAX_JSON_DEPTH`. Iterative, so no depth can overflow the stack. */
export function checkJsonStrings(root: unknown, rootPointer = ""): void {
  const pending: [value: unknown, pointer: string, depth: number][] = [[root, rootPointer, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, pointer, depth] = next;
    if (typeof value === "string") {
      checkString(value, pointer);
      continue;
    }
    if (!value || typeof value !== "object") continue;
    // The pointer of a too-deep value would be as long as the body: name the depth at the root instead.
    if (depth >= MAX_JSON_DEPTH) throw new EdgeRuleError(rootPointer, "max-depth", `must not nest more than ${MAX_JSON_DEPTH} levels deep`);
    const children: [unknown, string, number][] = [];
    if (Array.isArray(value)) value.forEach((item, i) => children.push([item, `${pointer}/${i}`, depth + 1]));
    else {
      for (const [key, item] of Object.entries(value)) {
        const child = `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
        checkString(key, child);
        children.push([item, child, depth + 1]);
      }
    }
    // Reversed onto the stack, so values are checked in document order and the first bad one is named.
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]!);
  }
}

/** An integer query parameter's raw value: decimal digits only. */
function checkIntegerParameters(request: FastifyRequest): void {
  const schema = request.routeOptions.schema?.querystring as { properties?: Record<string, { type?: unknown }> } | undefined;
  const query = request.query as Record<string, unknown> | undefined;
  if (!schema?.properties || !query) return;
  for (const [name, property] of Object.entries(schema.properties)) {
    if (property.type !== "integer" || query[name] === undefined) continue;
    const values = Array.isArray(query[name]) ? (query[name] as unknown[]) : [query[name]];
    for (const value of values) {
      if (typeof value !== "string" || !/^[0-9]{1,15}$/.test(value)) {
        throw new EdgeRuleError(`query:${name}`, "decimal-digits", "must be written in decimal digits only (no sign, exponent, hexadecimal or Infinity)");
      }
    }
  }
}

export type IsOAuthRequest = (request: { url: string }) => boolean;

/** The 400 for an edge rule: problem details on REST routes, the RFC 6749 body on OAuth routes. */
export function sendEdgeError(reply: FastifyReply, request: { url: string; method?: string }, error: EdgeRuleError, isOAuth: IsOAuthRequest): FastifyReply {
  const description = `${error.message} (rule: ${error.field.rule})`;
  // The authorization endpoint is read by people: its errors are pages (the contract documents text/html for
  // GET and, through the overlay, for POST, which shows the Invalid Request page: E-WG3-01-411). Other
  // methods are no operation of the contract: an OAuth error body like the endpoint's 404/405.
  const method = request.method;
  if (request.url.split("?")[0] === paths.oauthAuthorize && (method === undefined || method === "GET" || method === "HEAD" || method === "POST")) {
    // Answered before any lookup, so with the neutral brand (authorization-form/brand.ts).
    const nonce = newNonce();
    return reply
      .code(400)
      .headers(pageHeaders(nonce))
      .type("text/html; charset=utf-8")
      .send(renderPage(InvalidRequestError({ nonce, brand: neutralBrand, reason: `The request is not valid: ${description}.` })));
  }
  if (isOAuth(request)) return sendOAuthError(reply, 400, { error: "invalid_request", error_description: description });
  return sendProblem(reply, problem(400, "The request breaks a rule every request must meet.", [error.field]));
}

export function installEdgeValidation(app: FastifyInstance, isOAuth: IsOAuthRequest): void {
  // Callback-style hooks (no promise per request); an answered refusal ends the request without `done`.
  app.addHook("onRequest", (request, reply, done) => {
    const url = request.raw.url ?? "/";
    // Without a percent-encoding nothing can decode wrongly: only a raw NUL (which the HTTP parser refuses anyway) could break a rule.
    if (!url.includes("%") && !url.includes(NUL)) return done();
    try {
      checkRequestTarget(url);
    } catch (error) {
      if (error instanceof EdgeRuleError) return void sendEdgeError(reply, request, error, isOAuth);
      return done(error as Error);
    }
    done();
  });
  app.addHook("preValidation", (request, reply, done) => {
    try {
      checkIntegerParameters(request);
      if (request.body !== undefined && !Buffer.isBuffer(request.body)) checkJsonStrings(request.body);
    } catch (error) {
      if (error instanceof EdgeRuleError) return void sendEdgeError(reply, request, error, isOAuth);
      return done(error as Error);
    }
    done();
  });
}
