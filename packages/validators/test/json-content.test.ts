/**
 * `authorization_details` travels as a JSON string in form bodies and URLs
 * (RFC 9396 §2, §6.1); the contract says what it decodes to (`contentSchema`)
 * and the validators decode and check it (tools/codegen/json-content.ts).
 */
import { describe, expect, it } from "vitest";
import { validate } from "../src/index.js";

// CDS-WG1-02 §12.19 / CDS-WG3-01 §13.3.7: a Grant Admin token request, decoded from its form body.
const specGrantAdmin = new URLSearchParams(
  "grant_type=client_credentials&scope=cds_grant_admin_1&authorization_details=%5B%7B%22type%22%3A%22cds_grant_admin_1%22%2C%22client_id%22%3A%22cd19fadc538d3bf3b0%22%2C%22grant_id%22%3A%22dcf6a23cb940d6a0%22%7D%5D",
);
const specRequest = Object.fromEntries(specGrantAdmin);

describe("authorization_details inside a token request", () => {
  it.each(["TokenRequest", "CustomerDataTokenRequest"] as const)("%s accepts the spec's Grant Admin request in both modes", (model) => {
    expect(validate(model, specRequest, "strict").ok).toBe(true);
    expect(validate(model, specRequest, "lenient").ok).toBe(true);
  });

  it("rejects a string that is not JSON, naming the field", () => {
    const result = validate("CustomerDataTokenRequest", { ...specRequest, authorization_details: "[{" }, "strict");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => [e.pointer, e.rule])).toEqual([["/authorization_details", "contentSchema"]]);
  });

  it("points into the decoded value when an entry breaks its model", () => {
    const bad = { ...specRequest, authorization_details: JSON.stringify([{ client_id: "c" }]) };
    const result = validate("TokenRequest", bad, "strict");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => [e.pointer, e.rule])).toContainEqual(["/authorization_details/0/type", "required"]);
  });

  it("types CDS-WG3-01 entries by their §7 formats", () => {
    const bad = { ...specRequest, authorization_details: JSON.stringify([{ type: "cds_query_accounts_1", account_numbers: "1234567-9" }]) };
    expect(validate("CustomerDataTokenRequest", bad, "strict").ok).toBe(false);
    const good = { ...specRequest, authorization_details: JSON.stringify([{ type: "cds_query_accounts_1", account_numbers: ["1234567-9"], sync_until: "P0D" }]) };
    expect(validate("CustomerDataTokenRequest", good, "strict").ok).toBe(true);
  });
});

describe("authorization_details of an authorization request", () => {
  const base = { response_type: "code", client_id: "cd19fadc538d3bf3b0", code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256" };
  it("accepts CDS-WG3-01 entries and rejects a wrongly typed field", () => {
    const good = { ...base, authorization_details: JSON.stringify([{ type: "cds_usage_1", include_usage_segments: true }]) };
    const bad = { ...base, authorization_details: JSON.stringify([{ type: "cds_usage_1", include_usage_segments: "yes" }]) };
    expect(validate("CustomerDataAuthorizationRequestParameters", bad, "strict").ok).toBe(false);
    expect(validate("CustomerDataAuthorizationDetailsJson", bad.authorization_details, "strict").ok).toBe(false);
    expect(validate("AuthorizationRequestParameters", { ...base, authorization_details: "{}" }, "strict").ok).toBe(false);
    expect(validate("CustomerDataAuthorizationRequestParameters", good, "strict").ok).toBe(true);
    expect(validate("CustomerDataAuthorizationRequestParameters", good, "lenient").ok).toBe(true);
  });
});
