import { describe, expect, it } from "vitest";
import type { ResponseMessage } from "../examples/model.ts";
import { parseBody } from "./examples.ts";

function response(body: string): ResponseMessage {
  return { kind: "response", status: 200, reason: "OK", headers: [["Content-Type", "application/json"]], body };
}

describe("parseBody", () => {
  it("reads strict JSON as is", () => {
    expect(parseBody(response('{"a": [1, 2]}'))).toEqual({ kind: "json", value: { a: [1, 2] }, strictJsonError: null });
  });

  it("reads trailing commas with JSON5 and keeps the syntax error", () => {
    const parsed = parseBody(response('{"a": [1, 2,],}'));
    expect(parsed).toMatchObject({ kind: "json", value: { a: [1, 2] } });
    expect(parsed.kind === "json" && parsed.strictJsonError).toBeTruthy();
  });

  it("drops lines that only hold an ellipsis, in arrays and objects", () => {
    const body = ['{', '    ...', '    "values": [', '        [{"eu": 10.0}],', '        ...', '    ],', '    ...,', '    "next": null', '}'].join("\n");
    const parsed = parseBody(response(body));
    expect(parsed).toMatchObject({ kind: "json", value: { values: [[{ eu: 10 }]], next: null } });
    expect(parsed.kind === "json" && parsed.strictJsonError).toBeTruthy();
  });

  it("keeps an ellipsis inside a string", () => {
    expect(parseBody(response('{"note": "..."}'))).toEqual({ kind: "json", value: { note: "..." }, strictJsonError: null });
  });
});
