/**
 * A small CDS-WG1-02 client for tests: registers, gets tokens, calls the
 * APIs, and checks every body it reads against the generated strict
 * validators, so a test fails on any contract break.
 */
import type { ValidationResult } from "@cds-toolkit/validators";
import { validateCustomerDataClientRegistrationResponse, validateProblem } from "@cds-toolkit/validators";
import type { ClientRegistrationResponse } from "@cds-toolkit/types";
import { expect } from "vitest";
import type { CdsServer } from "../../src/server.ts";

export const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

export function strictly<T>(result: ValidationResult<T>): T {
  if (!result.ok) expect.fail(result.errors.map((e) => e.message).join("\n"));
  return result.value;
}

export interface Response {
  status: number;
  headers: Headers;
  body: unknown;
}

export async function call(server: CdsServer, method: string, path: string, init: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Response> {
  const res = await fetch(path.startsWith("http") ? path : `${server.url}${path}`, {
    method,
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

export async function registerClient(server: CdsServer, request: Record<string, unknown> = { scope: "cds_client_admin" }): Promise<ClientRegistrationResponse> {
  const res = await call(server, "POST", "/oauth/register", { body: request });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return strictly(validateCustomerDataClientRegistrationResponse(res.body, "strict"));
}

export async function tokenResponse(server: CdsServer, clientId: string, secret: string, scope = "cds_client_admin") {
  const res = await fetch(`${server.url}/oauth/token`, {
    method: "POST",
    headers: { authorization: basic(clientId, secret), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", scope }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export async function adminToken(server: CdsServer, clientId: string, secret: string, scope = "cds_client_admin"): Promise<string> {
  const res = await tokenResponse(server, clientId, secret, scope);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.access_token as string;
}

export async function introspect(server: CdsServer, clientId: string, secret: string, token: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${server.url}/oauth/token/info`, {
    method: "POST",
    headers: { authorization: basic(clientId, secret), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token }),
  });
  return (await res.json()) as Record<string, unknown>;
}

/** A problem+json answer, checked strictly; answers the problem. */
export function expectProblem(res: Response, status: number) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  return strictly(validateProblem(res.body, "strict"));
}
