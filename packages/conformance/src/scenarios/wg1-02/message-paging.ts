/** CDS-WG1-02 §6.8, §6.9: each of the three Message lists pages on its own; big attachments. */
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { ScenarioContext } from "../../context.js";
import { isObject, type Json } from "../../context.js";
import { describe } from "../../http.js";
import type { Scenario } from "../../scenario.js";

const spec = "CDS-WG1-02" as const;
const lists = ["outstanding", "unread", "read"] as const;

export const messagePaging: Scenario = {
  id: "wg1-02/messages-paging",
  spec,
  title: "Following one Message list's paging link pages that list only, and `_previous` walks back",
  sections: ["6.8"],
  musts: ["WG1-02-6.8-6", "WG1-02-6.8-7"],
  async run(ctx: ScenarioContext) {
    // A registration of its own, filled with Messages until one list needs a second page (at most 120).
    const token = await ctx.clientToken(await ctx.ownRegistration());
    const api = await ctx.endpoint("cds_messages_api");
    let first: Json | undefined;
    let paged: (typeof lists)[number] | undefined;
    for (let n = 0; n < 120 && !paged; n++) {
      const res = await ctx.request(api, { bearer: token, body: { type: "private_message", name: `Paging check ${n + 1}`, description: "Sent by the CDS conformance suite." } });
      ctx.expectStatus(res, 201, "6.9", "POST a private_message");
      if (n % 10 !== 9 && n < 119) continue;
      const listing = await ctx.request(api, { bearer: token });
      ctx.check(isObject(listing.json), "6.8", `GET the Messages API answered ${describe(listing)}`);
      first = listing.json;
      paged = lists.find((l) => typeof first![`${l}_next`] === "string");
    }
    if (!paged || !first) ctx.skip("120 Messages still fit on one page: the Server's pages are too large to check paging");
    const next = await ctx.request(String(first[`${paged}_next`]), { bearer: token });
    ctx.expectStatus(next, 200, "6.8", `following ${paged}_next`);
    ctx.conforms("MessageListing", next.json, "6.8", `the page ${paged}_next leads to`);
    const page = next.json as Json;
    for (const other of lists.filter((l) => l !== paged)) ctx.check(Array.isArray(page[other]) && (page[other] as unknown[]).length === 0, "6.8", `following ${paged}_next also listed ${other} Messages`);
    const firstIds = (first[paged] as Json[]).map((m) => String(m.message_id));
    const nextIds = (page[paged] as Json[]).map((m) => String(m.message_id));
    ctx.check(nextIds.length > 0 && nextIds.every((id) => !firstIds.includes(id)), "6.8", `the second ${paged} page repeats Messages of the first`);
    const back = page[`${paged}_previous`];
    ctx.check(typeof back === "string", "6.8", `the second ${paged} page has no ${paged}_previous link`);
    const previous = await ctx.request(back, { bearer: token });
    const backIds = isObject(previous.json) && Array.isArray(previous.json[paged]) ? (previous.json[paged] as Json[]).map((m) => String(m.message_id)) : [];
    ctx.check(backIds.join() === firstIds.join(), "6.8", `${paged}_previous does not lead back to the first ${paged} page`);
  },
};

/**
 * Posts a body too big to be read, with node:http rather than fetch: a Server
 * may answer 413 from the Content-Length alone and close the connection
 * mid-upload, which fetch reports as a network error instead of the answer.
 */
function postBig(url: string, token: string, body: Buffer): Promise<number | "reset"> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    const req = send(target, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "content-length": body.length } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    // The upload breaking off after an early answer is expected; give that answer a moment to arrive.
    // If the Server closed the connection with the upload unread, the kernel may drop its answer
    // with the reset (seen on a loaded machine): a refusal whose status cannot be read, reported as such.
    req.on("error", (error) => setTimeout(() => ((error as NodeJS.ErrnoException).code === "EPIPE" || (error as NodeJS.ErrnoException).code === "ECONNRESET" ? resolve("reset") : reject(error)), 500));
    req.end(body);
  });
}

export const messageAttachmentSize: Scenario = {
  id: "wg1-02/messages-attachment-size",
  spec,
  title: "A 10 MB attachment is accepted; a far larger one is accepted or refused with 413, never another error",
  sections: ["6.9"],
  musts: ["WG1-02-6.9-14"],
  async run(ctx: ScenarioContext) {
    const token = await ctx.adminToken();
    const api = await ctx.endpoint("cds_messages_api");
    const post = (bytes: number) =>
      ctx.request(api, { bearer: token, body: { type: "private_message", name: "Attachment size check", description: "Sent by the CDS conformance suite.", attachments: [{ filename: "blob.bin", mime_type: "application/octet-stream", data: Buffer.alloc(bytes, 7).toString("base64") }] } });
    const tenMb = await post(10_000_000);
    ctx.expectStatus(tenMb, 201, "6.9", "a Message with a 10 MB attachment (the limit is at least 10 MB)");
    const huge = Buffer.from(JSON.stringify({ type: "private_message", name: "Attachment size check", description: "Sent by the CDS conformance suite.", attachments: [{ filename: "blob.bin", mime_type: "application/octet-stream", data: Buffer.alloc(48_000_000, 7).toString("base64") }] }));
    const status = await postBig(api, token, huge);
    ctx.check(status === 201 || status === 413 || status === "reset", "6.9", `a Message with a 48 MB attachment answered ${status}, not 201 or 413`);
    // Refused by a reset, the upload must not have taken the Server down with it.
    const after = await ctx.request(api, { bearer: token });
    ctx.expectStatus(after, 200, "6.9", "the Messages API right after the 48 MB upload");
  },
};
