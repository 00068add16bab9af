/**
 * Requests for one operation: valid ones, built from its parameter
 * definitions and request body schema with valid credentials, and invalid
 * ones, a valid request with one thing broken (a field's value, the
 * credentials, the query's shape, the body's bytes or content type, the
 * method). A request is plain data (bodies too big to print are described,
 * not spelled out), so fast-check can shrink it and print it on a failure.
 */
import fc from "fast-check";
import type { Operation } from "./contract-operations.ts";
import { hostileJsonValue, hostileNumberTexts, hostileUrlValue } from "./hostile-values.ts";
import { resolve, schemaArbitrary, type Hints, type SchemaContext } from "./schema-arbitrary.ts";

/** A body piece: text, bytes (for what is not UTF-8), or text repeated (20 MB, deep nesting) without spelling it out. */
export type BodyPiece = string | { bytes: number[] } | { repeat: string; times: number };

export interface FuzzRequest {
  operation: string;
  /** `valid`, or the mutation that made it invalid. */
  mutation: string;
  method: string;
  /** Path and query, percent-encoded as sent. */
  url: string;
  headers: Record<string, string>;
  body?: BodyPiece[];
}

export function bodyBytes(body: BodyPiece[]): Buffer {
  return Buffer.concat(body.map((p) => (typeof p === "string" ? Buffer.from(p) : "bytes" in p ? Buffer.from(p.bytes) : Buffer.from(p.repeat.repeat(p.times)))));
}

/** What the session knows to build valid requests with (fuzz-session.ts). */
export interface RequestContext {
  schemas: SchemaContext["components"];
  /** Valid `authorization` header values for each security alternative of the operation (empty: no authentication). */
  authorizations(op: Operation): fc.Arbitrary<string | undefined>;
  /** Valid credentials of another kind than the operation takes (a consent token on the Clients API…). */
  wrongAuthorizations: readonly string[];
  hints(op: Operation): Hints;
  /** The session's secrets and tokens: also planted in body fields, where no answer may echo them. */
  secrets: string[];
  /**
   * Known-good requests for operations whose fields depend on each other (a
   * client's credentials and the scope it may ask for, a PAR request_uri),
   * which values drawn field by field from the schema almost never meet.
   */
  examples(op: Operation): fc.Arbitrary<Example> | undefined;
}

export interface Example {
  /** Query parameters, not encoded. */
  query?: Record<string, string>;
  /** The body, as the operation's media type takes it (form values are strings). */
  body?: Record<string, unknown>;
  authorization?: string;
}

interface Parts {
  pathParams: Record<string, string>;
  query: [string, string][];
  headers: Record<string, string>;
  /** A form's values are percent-encoded already. */
  body?: { kind: "json"; value: unknown } | { kind: "form"; value: [string, string][] };
}

/** Percent-encodes like `encodeURIComponent`, but a lone surrogate becomes U+FFFD rather than a throw. */
const encode = (value: string) => encodeURIComponent(value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd"));

function formValue(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function validParts(op: Operation, ctx: RequestContext): fc.Arbitrary<Parts> {
  const fromSchema = schemaParts(op, ctx);
  const examples = ctx.examples(op);
  if (!examples) return fromSchema;
  const fromExample = fc.tuple(fromSchema, examples).map(([parts, example]): Parts => ({
    pathParams: parts.pathParams,
    query: example.query ? Object.entries(example.query).map(([k, v]) => [k, encode(v)] as [string, string]) : parts.query,
    headers: example.authorization ? { ...parts.headers, authorization: example.authorization } : parts.headers,
    ...(example.body
      ? { body: op.body?.mediaType === "application/x-www-form-urlencoded" ? { kind: "form" as const, value: Object.entries(example.body).map(([k, v]) => [k, encode(formValue(v))] as [string, string]) } : { kind: "json" as const, value: example.body } }
      : parts.body
        ? { body: parts.body }
        : {}),
  }));
  return fc.oneof(fromSchema, fromExample);
}

function schemaParts(op: Operation, ctx: RequestContext): fc.Arbitrary<Parts> {
  const schemas: SchemaContext = { components: ctx.schemas, hints: ctx.hints(op) };
  const pathParams = op.parameters.filter((p) => p.in === "path");
  const queryParams = op.parameters.filter((p) => p.in === "query");
  const headerParams = op.parameters.filter((p) => p.in === "header");
  const paramValue = (p: Operation["parameters"][number]) =>
    schemaArbitrary(schemas, p.schema, p.name).map((v) => (Array.isArray(v) ? v.map(String).join(" ") : typeof v === "string" ? v : JSON.stringify(v)));
  const pathArb = fc.record(Object.fromEntries(pathParams.map((p) => [p.name, paramValue(p).map(encode)])));
  const queryArb = fc.tuple(...queryParams.map((p) => (p.required ? paramValue(p).map((v) => [p.name, v] as const) : fc.option(paramValue(p).map((v) => [p.name, v] as const), { freq: 2 }))));
  const headerArb = fc.tuple(...headerParams.map((p) => fc.option(fc.constantFrom('"abc"', "*", 'W/"x"').map((v) => [p.name.toLowerCase(), v] as const))));
  let bodyArb: fc.Arbitrary<Parts["body"]> = fc.constant(undefined);
  if (op.body) {
    const value = schemaArbitrary(schemas, op.body.schema);
    bodyArb = op.body.mediaType === "application/x-www-form-urlencoded"
      ? value.map((v) => ({ kind: "form" as const, value: Object.entries((v ?? {}) as Record<string, unknown>).filter(([, x]) => x !== null && x !== undefined).map(([k, x]) => [k, encode(formValue(x))] as [string, string]) }))
      : value.map((v) => ({ kind: "json" as const, value: v }));
  }
  return fc.record({ pathParams: pathArb, query: queryArb, headerList: headerArb, body: bodyArb, authorization: ctx.authorizations(op) }).map(({ pathParams, query, headerList, body, authorization }) => {
    const headers: Record<string, string> = Object.fromEntries(headerList.filter((h) => h !== null) as [string, string][]);
    if (authorization) headers.authorization = authorization;
    return {
      pathParams,
      query: (query.filter((q) => q !== null) as (readonly [string, string])[]).map(([k, v]) => [k, encode(v)] as [string, string]),
      headers,
      ...(body ? { body } : {}),
    };
  });
}

function render(op: Operation, parts: Parts, mutation: string, override: { method?: string; body?: BodyPiece[]; contentType?: string | null } = {}): FuzzRequest {
  const path = op.template.replace(/\{([^}]+)\}/g, (_, name: string) => parts.pathParams[name] ?? "x");
  const query = parts.query.map(([k, v]) => `${k}=${v}`).join("&");
  const headers = { ...parts.headers };
  let body: BodyPiece[] | undefined;
  if (parts.body?.kind === "json") {
    body = [JSON.stringify(parts.body.value) ?? "null"];
    headers["content-type"] = "application/json";
  } else if (parts.body?.kind === "form") {
    body = [parts.body.value.map(([k, v]) => `${encode(k)}=${v}`).join("&")];
    headers["content-type"] = "application/x-www-form-urlencoded";
  }
  if (override.body) body = override.body;
  if (override.contentType === null) delete headers["content-type"];
  else if (override.contentType !== undefined) headers["content-type"] = override.contentType;
  return { operation: op.id, mutation, method: override.method ?? op.method, url: query ? `${path}?${query}` : path, headers, ...(body ? { body } : {}) };
}

/** Form values are kept percent-encoded (a hostile one may not be UTF-8); `name` is encoded in `render`. */
function withFormField(parts: Parts, name: string, encodedValue: string): Parts {
  if (parts.body?.kind !== "form") return parts;
  const rest = parts.body.value.filter(([k]) => k !== name);
  return { ...parts, body: { kind: "form", value: [...rest, [name, encodedValue]] } };
}

const picked = <T>(list: readonly T[], index: number): T | undefined => (list.length ? list[index % list.length] : undefined);

function propertyNames(op: Operation, ctx: RequestContext): string[] {
  if (!op.body) return [];
  const schema = resolve({ components: ctx.schemas, hints: {} }, op.body.schema);
  const names = new Set(Object.keys(schema.properties ?? {}));
  for (const branch of (schema.oneOf ?? schema.anyOf ?? []) as Record<string, unknown>[]) for (const k of Object.keys(resolve({ components: ctx.schemas, hints: {} }, branch).properties ?? {})) names.add(k);
  return [...names];
}

const otherMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"];

const MB20 = 20 * 1024 * 1024;

/** Whole-body replacements: malformed, nested past any parser's patience, enormous, not UTF-8, of the wrong shape. */
const rawBodies: readonly [string, BodyPiece[], string | null][] = [
  ["malformed JSON", ["{"], "application/json"],
  ["malformed JSON", ['{"a":'], "application/json"],
  ["malformed JSON", ["{'a':1}"], "application/json"],
  ["malformed JSON", ['{"a":1}}'], "application/json"],
  ["malformed JSON", ["\u0000"], "application/json"],
  ["deeply nested JSON arrays", [{ repeat: "[", times: 100_000 }, { repeat: "]", times: 100_000 }], "application/json"],
  ["deeply nested JSON objects", [{ repeat: '{"a":', times: 50_000 }, "1", { repeat: "}", times: 50_000 }], "application/json"],
  ["deeply nested JSON, not closed", [{ repeat: "[", times: 200_000 }], "application/json"],
  ["20 MB JSON body", ['{"name":"', { repeat: "x", times: MB20 }, '"}'], "application/json"],
  ["20 MB form body", ["a=", { repeat: "x", times: MB20 }], "application/x-www-form-urlencoded"],
  ["20 MB body, no content type", [{ repeat: "x", times: MB20 }], null],
  ["invalid UTF-8 JSON", ['{"client_name":"', { bytes: [0xff, 0xfe, 0xc3, 0x28] }, '","name":"a"}'], "application/json"],
  ["invalid UTF-8 form", ["grant_type=", { bytes: [0xff, 0xfe] }, "&token=", { bytes: [0xc3, 0x28] }], "application/x-www-form-urlencoded"],
  ["UTF-16 JSON", [{ bytes: [0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00] }], "application/json"],
  ["BOM JSON", ["\ufeff{}"], "application/json"],
  ["empty body", [""], "application/json"],
  ["empty body", [""], "application/x-www-form-urlencoded"],
  ["JSON array", ["[]"], "application/json"],
  ["JSON null", ["null"], "application/json"],
  ["JSON string", ['"x"'], "application/json"],
  ["JSON number", ["1e999"], "application/json"],
  ["duplicate JSON keys", ['{"type":"private_message","type":1,"client_id":"a","client_id":null}'], "application/json"],
  ["form with repeated fields", ["grant_type=client_credentials&grant_type=authorization_code&token=a&token=b&scope=a&scope=b"], "application/x-www-form-urlencoded"],
  ["form with %00 and bad escapes", ["grant_type=%00&token=%zz&scope=%&%=%"], "application/x-www-form-urlencoded"],
  ["JSON body as form", ['{"token":"x"}'], "application/x-www-form-urlencoded"],
  ["form body as JSON", ["grant_type=client_credentials"], "application/json"],
];

const wrongContentTypes = ["text/plain", "application/xml", "multipart/form-data; boundary=x", "application/json; charset=utf-16", "application/x-www-form-urlencoded; charset=iso-8859-1", "application/octet-stream", "a/b/c", ";", "application/json, text/plain", "APPLICATION/JSON"];

/**
 * One invalid request: a valid one with one mutation. Each mutation's
 * parameters are drawn independently of the valid request, so both shrink.
 */
function mutatedRequest(op: Operation, ctx: RequestContext): fc.Arbitrary<FuzzRequest> {
  const base = validParts(op, ctx);
  const properties = propertyNames(op, ctx);
  const queryNames = op.parameters.filter((p) => p.in === "query");
  const pathNames = op.parameters.filter((p) => p.in === "path").map((p) => p.name);
  const headerNames = op.parameters.filter((p) => p.in === "header").map((p) => p.name.toLowerCase());
  const mutations: fc.Arbitrary<FuzzRequest>[] = [
    fc.tuple(base, fc.constantFrom(undefined, "Bearer", "Bearer ", "Bearer x", `Bearer ${"a".repeat(5000)}`, "Basic !!!", `Basic ${Buffer.from("nocolon").toString("base64")}`, `Basic ${Buffer.from("a:b").toString("base64")}`, `Basic ${Buffer.from(":").toString("base64")}`, "Digest x", "bearer  x y", ...ctx.wrongAuthorizations)).map(([parts, authorization]) => {
      const headers = { ...parts.headers };
      if (authorization === undefined) delete headers.authorization;
      else headers.authorization = authorization;
      return render(op, { ...parts, headers }, authorization === undefined ? "no credentials" : "bad credentials");
    }),
    fc.tuple(base, fc.nat(), fc.boolean(), fc.nat(), hostileUrlValue).map(([parts, which, unknown, nameIndex, value]) => {
      const param = picked(queryNames, which);
      const name = unknown || !param ? picked(["colour", "debug", "page", "limit", "client_id[]", "a%00", "%ff", "__proto__", "ids[0]"], nameIndex)! : param.name;
      const text = param?.schema?.type === "integer" && !unknown ? picked(hostileNumberTexts, nameIndex)! : value;
      return render(op, { ...parts, query: [...parts.query.filter(([k]) => k !== name), [name, text]] }, unknown || !param ? "unknown query parameter" : "query value");
    }),
    fc.tuple(base, fc.nat(), fc.nat({ max: 4 })).map(([parts, which, copies]) => {
      const param = picked(queryNames, which);
      const name = param?.name ?? "page_size";
      const value = parts.query.find(([k]) => k === name)?.[1] ?? "1";
      return render(op, { ...parts, query: [...parts.query, ...Array.from({ length: copies + 1 }, () => [name, value] as [string, string])] }, "repeated query parameter");
    }),
    ...(pathNames.length
      ? [fc.tuple(base, fc.nat(), hostileUrlValue).map(([parts, which, value]) => render(op, { ...parts, pathParams: { ...parts.pathParams, [picked(pathNames, which)!]: value || "%20" } }, "path parameter"))]
      : []),
    ...(headerNames.length ? [fc.tuple(base, fc.constantFrom("", "*, *", '"' + "x".repeat(8000) + '"', "W/", '"a", W/"b", "c"', "\u00ff")).map(([parts, value]) => render(op, { ...parts, headers: { ...parts.headers, [headerNames[0]!]: value } }, "header parameter"))] : []),
    fc.tuple(base, fc.constantFrom(...otherMethods.filter((m) => m !== op.method))).map(([parts, method]) => render(op, parts, "wrong method", { method })),
    fc.tuple(base, fc.constantFrom(...rawBodies)).map(([parts, [label, body, type]]) => render(op, parts, label, { body, contentType: type, method: op.body ? op.method : "POST" })),
    ...(op.body
      ? [
          fc.tuple(base, fc.constantFrom(...wrongContentTypes, null)).map(([parts, type]) => render(op, parts, "wrong content type", { contentType: type })),
          fc.tuple(base, fc.nat(), fc.boolean(), fc.oneof({ arbitrary: hostileJsonValue, weight: 9 }, fc.constantFrom(...ctx.secrets)), fc.oneof({ arbitrary: hostileUrlValue, weight: 9 }, fc.constantFrom(...ctx.secrets.map(encode)))).map(([parts, which, unknown, json, url]) => {
            const name = unknown || !properties.length ? "unknown_field" : picked(properties, which)!;
            if (parts.body?.kind === "form") return render(op, withFormField(parts, name, url), unknown ? "unknown body field" : "body field");
            const object = parts.body?.kind === "json" && parts.body.value && typeof parts.body.value === "object" && !Array.isArray(parts.body.value) ? parts.body.value : {};
            return render(op, { ...parts, body: { kind: "json", value: { ...object, [name]: json } } }, unknown ? "unknown body field" : "body field");
          }),
        ]
      : []),
  ];
  return fc.oneof(...mutations);
}

/** Requests for `op`: about one valid to two invalid. */
export function requestArbitrary(op: Operation, ctx: RequestContext): fc.Arbitrary<FuzzRequest> {
  return fc.oneof({ arbitrary: validParts(op, ctx).map((parts) => render(op, parts, "valid")), weight: 1 }, { arbitrary: mutatedRequest(op, ctx), weight: 2 });
}
