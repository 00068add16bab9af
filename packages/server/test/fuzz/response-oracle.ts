/**
 * What every answer must be, whatever was asked: never a 5xx; a status the
 * operation documents (or its `4XX` range), or one of the generic refusals
 * any route may give (400/401/403/404/405/413/415/429) as problem details or
 * an OAuth error; a body that validates strictly against the documented
 * schema (helpers/contract.ts); and no stack trace, SQL text, secret or
 * token in it. The checks are keyed on the method and path actually sent,
 * so a request sent with another method is judged by that method's contract.
 */
import { validate } from "@cds-toolkit/validators";
import { bodyFinding, declaredResponse, templateOf } from "../helpers/contract.ts";
import { contract } from "./contract-operations.ts";

export const genericStatuses = new Set([400, 401, 403, 404, 405, 413, 415, 429]);

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

const stackTrace = /\n\s+at \S.*:\d+:\d+|node:internal|node_modules|file:\/\/\/|\/work\/|\.ts:\d+:\d+|\.js:\d+:\d+/;
const sqlText = /Failed query|syntax error at or near|violates [a-z ]*constraint|duplicate key value|relation "[^"]+"|column "[^"]+"|invalid input syntax for type|unterminated quoted string|\bselect\s+"|\binsert into\s+"|\bupdate\s+"[a-z_]+"\s+set\b|pg_catalog|PGlite|ErrorMessage|DrizzleError/i;

function contentTypeOf(headers: Answer["headers"]): string {
  return String(headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
}

/** Findings for one answer (empty when it is on the contract). `secrets`: what the session holds and must never see echoed. */
export function findings(method: string, url: string, answer: Answer, secrets: readonly string[]): string[] {
  const out: string[] = [];
  const { status, body } = answer;
  const type = contentTypeOf(answer.headers);
  if (status >= 500) out.push(`a ${status}`);
  const rawPath = url.split("?")[0]!;
  let decoded = rawPath;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    // Not percent-decodable: matched as sent.
  }
  const template = templateOf(contract, rawPath) ?? templateOf(contract, decoded.replace(/[^\x20-\x7e]/g, "x"));
  // A HEAD answer is its GET's without the body (Fastify answers HEAD for every GET route).
  const declared = template ? declaredResponse(contract, template, method === "HEAD" ? "GET" : method, status) : undefined;
  if (declared) {
    const types = Object.keys(declared.content ?? {});
    if (body.length > 0 && !types.includes(type) && !types.includes("*/*")) out.push(`content type ${type || "(none)"} not declared for ${status} (${types.join(", ") || "no body"})`);
    else if (body.length > 0) {
      const finding = bodyFinding(declared.content?.[type] ?? declared.content?.["*/*"], type, body);
      if (finding) out.push(finding);
    }
  } else if (genericStatuses.has(status)) {
    // Not documented for this method and path (an unknown route, a wrong method): a refusal in one of the two error shapes.
    if (method === "HEAD" && body === "") {
      // No body to judge.
    } else if (type === "application/problem+json") {
      const result = safeValidate("Problem", body);
      if (result) out.push(`undeclared ${status}: ${result}`);
    } else if (type === "application/json") {
      const result = safeValidate("OAuthError", body);
      if (result) out.push(`undeclared ${status}: ${result}`);
    } else out.push(`undeclared ${status} as ${type || "(no content type)"}, not problem details or an OAuth error`);
  } else out.push(`status ${status} is not documented for ${method} ${template ?? rawPath}`);
  if (type === "application/problem+json" && body) {
    try {
      const problem = JSON.parse(body) as { status?: unknown };
      if (problem.status !== status) out.push(`problem status ${String(problem.status)} ≠ ${status}`);
    } catch {
      // Reported by the schema check.
    }
  }
  const stack = stackTrace.exec(body);
  if (stack) out.push(`stack trace or file path in the body: …${body.slice(Math.max(0, stack.index - 40), stack.index + 60)}…`);
  const sql = sqlText.exec(body);
  if (sql) out.push(`SQL text in the body: …${body.slice(Math.max(0, sql.index - 40), sql.index + 60)}…`);
  const headerText = Object.values(answer.headers).map(String).join("\n");
  for (const secret of secrets) if (body.includes(secret) || headerText.includes(secret)) out.push(`a secret or token the session holds is echoed (${secret.slice(0, 6)}…)`);
  return out;
}

function safeValidate(model: "Problem" | "OAuthError", text: string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return `not JSON (${text.slice(0, 40)})`;
  }
  const result = validate(model, value, "strict");
  return result.ok ? null : `not a strict ${model}: ${JSON.stringify(result.errors.slice(0, 3))}`;
}
