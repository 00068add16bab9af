import { describe, expect, it } from "vitest";
import { parseExampleBlock } from "./http-message.ts";

describe("parseExampleBlock", () => {
  it.each([
    {
      given: "==Request==\nGET /x?a=1 HTTP/1.1\nHost: example.com\n\n==Response==\nHTTP/1.1 304 Not Modified\nETag: \"abc\"\n",
      want: [
        { kind: "request", method: "GET", target: "/x?a=1", headers: [["Host", "example.com"]], body: null },
        { kind: "response", status: 304, reason: "Not Modified", headers: [["ETag", '"abc"']], body: null },
      ],
    },
    {
      given: "==Request==\nPOST /oauth/token HTTP/1.1\nAuthorization: Basic YTpi\n\ngrant_type=client_credentials&scope=x\n\n",
      want: [{ kind: "request", method: "POST", target: "/oauth/token", headers: [["Authorization", "Basic YTpi"]], body: "grant_type=client_credentials&scope=x" }],
    },
    {
      given: "==Response==\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{\n  \"a\": 1,\n\n  \"b\": 2\n}\n",
      want: [{ kind: "response", status: 200, reason: "OK", headers: [["Content-Type", "application/json"]], body: '{\n  "a": 1,\n\n  "b": 2\n}' }],
    },
    {
      given: "POST /token HTTP/1.1\nHost: a.example\n\ngrant_type=x\n\n==Response==\nHTTP/1.1 200 OK\n",
      want: [
        { kind: "request", method: "POST", target: "/token", headers: [["Host", "a.example"]], body: "grant_type=x" },
        { kind: "response", status: 200, reason: "OK", headers: [], body: null },
      ],
    },
    {
      given: "\nhttps://example.com/authorize?client_id=a\n",
      want: [{ kind: "document", body: "https://example.com/authorize?client_id=a" }],
    },
  ])("splits $given", ({ given, want }) => {
    expect(parseExampleBlock(given)).toEqual(want);
  });

  it("names the line it cannot read", () => {
    expect(() => parseExampleBlock("==Request==\nnot a request line")).toThrow(/request line not understood: "not a request line"/);
    expect(() => parseExampleBlock("==Response==\nHTTP/1.1 200 OK\nbroken header")).toThrow(/header line not understood/);
  });
});
