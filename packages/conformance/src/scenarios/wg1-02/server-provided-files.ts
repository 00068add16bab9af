/**
 * CDS-WG1-02 §3.3.2, §3.3.3, §9: the Server-Provided Files a Server shared
 * with a registration, reached through a Grant Admin token the suite obtains
 * with a Credential it creates for the Grant Admin Client Object.
 */
import type { ScenarioContext } from "../../context.js";
import { isObject, type Json } from "../../context.js";
import { describe } from "../../http.js";
import type { Scenario } from "../../scenario.js";
import { range } from "../musts-ids.js";
import { checkIdFilter, checkNewestFirst, listAll } from "./listing.js";

const spec = "CDS-WG1-02" as const;

export const serverProvidedFiles: Scenario = {
  id: "wg1-02/server-provided-files",
  spec,
  title: "Server-Provided Files: a Grant Admin token for a files Grant lists, fetches and downloads exactly its files",
  sections: ["3.3.2", "3.3.3", "9.1", "9.2", "9.3", "9.4", "11.2"],
  musts: ["WG1-02-3.3.2-2", "WG1-02-3.3.2-5", "WG1-02-3.3.2-6", "WG1-02-3.3.3-1", "WG1-02-3.3.3-3", ...range("WG1-02-9.1-", 1, 10), ...range("WG1-02-9.2-", 1, 5), "WG1-02-9.3-1", "WG1-02-9.4-1"],
  async run(ctx: ScenarioContext) {
    const as = await ctx.asMetadata();
    const filesApi = as.cds_server_provided_files_api;
    if (typeof filesApi !== "string") ctx.skip("the Server offers no Server-Provided Files API");
    const anonymous = await ctx.request(filesApi);
    ctx.expectStatus(anonymous, 401, "11.2", "the files API without a token");
    const owner = ctx.options.credentials?.filesClientAdmin;
    if (!owner) ctx.skip("needs the Client admin of a registration the Server shared files with (credentials.filesClientAdmin)");
    const descriptions = as.cds_scope_descriptions as Record<string, Json>;
    const adminToken = await ctx.clientToken(owner);
    const admin = await ctx.request(filesApi, { bearer: adminToken });
    ctx.check(admin.status === 401 || admin.status === 403, "9", `the files API with a cds_client_admin token answered ${describe(admin)}`);

    // §3.3.3: the Server's files Grants are on the Grants API, each listing its file ids.
    const grants = await listAll(ctx, await ctx.endpoint("cds_grants_api"), adminToken, "grants", "8.4");
    const filesGrant = grants.find((g) => descriptions[String(g.scope)]?.type === "cds_server_provided_files" && g.status === "active");
    ctx.check(filesGrant, "3.3.3", "no active Server-Provided Files Grant is listed on the Grants API for this registration");
    const scope = String(filesGrant.scope);
    const sharedIds = (filesGrant.enabled_authorization_details as Json[]).filter((d) => d.type === scope).map((d) => String(d.file_id));
    ctx.check(sharedIds.length > 0, "3.3.3", `files Grant ${String(filesGrant.grant_id)} lists no file_id under type ${scope}`);

    // A Credential for the Grant Admin Client Object (§3.3.2), made through the Credentials API.
    const grantAdminScope = String(descriptions[scope]!.grant_admin_scope);
    const clients = await listAll(ctx, await ctx.endpoint("cds_clients_api"), adminToken, "clients", "5.3");
    const grantAdmin = clients.find((c) => c.scope === grantAdminScope);
    ctx.check(grantAdmin, "4.2", `the registration has no Client Object for the Grant Admin scope ${grantAdminScope}`);
    const credential = await ctx.request(await ctx.endpoint("cds_credentials_api"), { bearer: adminToken, body: { client_id: grantAdmin.client_id } });
    ctx.expectStatus(credential, 201, "7.5", "a Credential for the Grant Admin Client Object");
    const ga = { clientId: String(grantAdmin.client_id), clientSecret: String((credential.json as Json).client_secret) };
    const entry = { type: grantAdminScope, client_id: filesGrant.client_id, grant_id: filesGrant.grant_id };
    const tokenRes = await ctx.tokenRequest(ga, { grant_type: "client_credentials", scope: grantAdminScope, authorization_details: JSON.stringify([entry]) });
    ctx.expectStatus(tokenRes, 200, "3.3.2", "a Grant Admin token request for the files Grant");
    ctx.conforms("TokenResponse", tokenRes.json, "3.3.2", "the Grant Admin token response");
    const token = String((tokenRes.json as Json).access_token);
    const foreign = await ctx.tokenRequest(ga, { grant_type: "client_credentials", scope: grantAdminScope, authorization_details: JSON.stringify([{ ...entry, grant_id: "cds-conformance-no-such-grant" }]) });
    ctx.check(foreign.status === 400, "3.3.2", `a Grant Admin token request for a Grant that is not the Client's answered ${describe(foreign)}`);

    const files = await listAll(ctx, filesApi, token, "files", "9.2", "ServerProvidedFileListing");
    ctx.check(files.length > 0 && files.every((f) => sharedIds.includes(String(f.file_id))), "9.2", `the files listing shows [${files.map((f) => String(f.file_id)).join(", ")}], not only the Grant's files [${sharedIds.join(", ")}]`);
    checkNewestFirst(ctx, files, "modified", "file_id", "9.2");
    await checkIdFilter(ctx, filesApi, token, "files", "file_ids", "file_id", [String(files[0]!.file_id)], "9.2");
    for (const f of files) {
      const one = await ctx.request(String(f.uri), { bearer: token });
      ctx.expectStatus(one, 200, "9.3", `GET file ${String(f.file_id)}'s uri`);
      ctx.conforms("ServerProvidedFile", one.json, "9.1", `file ${String(f.file_id)}`);
      const data = await ctx.request(String(f.download_uri), { bearer: token, headers: { accept: "*/*" } });
      ctx.expectStatus(data, 200, "9.4", `download file ${String(f.file_id)}`);
      ctx.check(isObject(one.json) && Buffer.byteLength(data.text) === Number(one.json.size), "9.4", `file ${String(f.file_id)}'s download is not ${String(f.size)} bytes`);
      const open = await ctx.request(String(f.download_uri));
      ctx.expectStatus(open, 401, "9.1", `download file ${String(f.file_id)} without a token`);
    }
  },
};
