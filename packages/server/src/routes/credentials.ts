/**
 * The Credentials API (CDS-WG1-02 §7): list, create, get, and PATCH the
 * expiry of the Credentials of the token's registration. Another
 * registration's Credential is a 404, exactly like one that does not exist.
 */
import { validateCredential, validateCredentialCreationRequest, validateCredentialListing, validateCredentialModificationRequest } from "@cds-toolkit/validators";
import type { FastifyInstance } from "fastify";
import { findClientRow } from "../cds/client-objects.js";
import { addChangelogMessage } from "../cds/messages.js";
import { createCredential, credentialUri, findCredentialRow, listCredentialRows, setCredentialExpiry, toCredential } from "../cds/credentials.js";
import type { Db } from "../db/index.js";
import { sendModel } from "../http/contract-response.js";
import { querystringSchema } from "../http/operation-schema.js";
import { ProblemError } from "../http/problem.js";
import { checkBody, fieldError } from "../http/request-body.js";
import { paths } from "../urls.js";
import { idList, listingPageSizes, pageLink, pagingParameters, readCursor, readInstant, type PagingQuery } from "./listing.js";
import type { ServerContext } from "../context.js";

const notFound = () => new ProblemError(404, "No such Credential.");

interface ListQuery extends PagingQuery {
  credential_ids?: string;
  client_ids?: string;
  after?: string;
  before?: string;
}

export function registerCredentialsRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { db, urls } = ctx;
  const auth = ctx.auth.clientAdmin;
  app.get<{ Querystring: ListQuery }>(
    paths.credentialsApi,
    {
      preHandler: auth,
      schema: {
        // The datetimes are read by readInstant, which names the parameter in its error.
        querystring: querystringSchema("client-registration", "listCredentials", { ...pagingParameters, after: { type: "string" }, before: { type: "string" } }),
      },
    },
    async (request, reply) => {
      const q = request.query;
      const credentialIds = idList(q.credential_ids);
      const clientIds = idList(q.client_ids);
      const after = readInstant("after", q.after);
      const before = readInstant("before", q.before);
      const cursor = readCursor(q.cursor);
      const page = await listCredentialRows(db, {
        registrationId: request.clientAdmin!.registrationId,
        pageSize: q.page_size ?? listingPageSizes.defaultPageSize,
        ...(credentialIds ? { credentialIds } : {}),
        ...(clientIds ? { clientIds } : {}),
        ...(after ? { after } : {}),
        ...(before ? { before } : {}),
        ...(cursor ? { cursor } : {}),
      });
      const link = pageLink(urls.credentialsApi, {
        credential_ids: credentialIds?.join(" "),
        client_ids: clientIds?.join(" "),
        after: q.after,
        before: q.before,
        page_size: q.page_size,
      });
      const listing = { credentials: page.rows.map((r) => toCredential(r, urls)), next: link(page.next), previous: link(page.previous) };
      return sendModel(request, reply, "CredentialListing", validateCredentialListing, listing, { noStore: true });
    },
  );

  app.post(paths.credentialsApi, { preHandler: auth }, async (request, reply) => {
    const { registrationId } = request.clientAdmin!;
    const body = checkBody(request.body, (v) => validateCredentialCreationRequest(v, "strict"));
    const client = await findClientRow(db, registrationId, body.client_id);
    // Another registration's Client Object reads exactly like one that does not exist.
    if (!client) throw fieldError("/client_id", "exists", "no such Client Object");
    if (client.metadata.token_endpoint_auth_method === null) throw fieldError("/client_id", "token_endpoint_auth_method", "this Client Object does not authenticate, so it takes no Credentials");
    if (client.status === "disabled") throw fieldError("/client_id", "cds_status", "this Client Object is disabled");
    // §7.3: every Credential added after registration is logged as a Message (never with the secret), in the same transaction.
    const created = await db.transaction(async (tx) => {
      const t = tx as unknown as Db;
      const credential = await createCredential(t, client.clientId);
      await addChangelogMessage(t, registrationId, {
        name: `Credential ${credential.id} created`,
        description: `A Credential was created for Client Object ${client.clientId}.`,
        relatedUri: credentialUri(urls, credential.id),
        relatedType: "credential",
      });
      return credential;
    });
    const row = await findCredentialRow(db, registrationId, created.id);
    // §7.5: 201 with the created Credential; the one time its secret is shown.
    return sendModel(request, reply, "Credential", validateCredential, toCredential(row!, urls, created.secret), { status: 201, noStore: true });
  });

  app.get<{ Params: { credential_id: string } }>(`${paths.credentialsApi}/:credential_id`, { preHandler: auth }, async (request, reply) => {
    const row = await findCredentialRow(db, request.clientAdmin!.registrationId, request.params.credential_id);
    if (!row) throw notFound();
    return sendModel(request, reply, "Credential", validateCredential, toCredential(row, urls), { noStore: true });
  });

  app.patch<{ Params: { credential_id: string } }>(`${paths.credentialsApi}/:credential_id`, { preHandler: auth }, async (request, reply) => {
    const { registrationId } = request.clientAdmin!;
    const row = await findCredentialRow(db, registrationId, request.params.credential_id);
    if (!row) throw notFound();
    // spec/ERRATA.md E-WG1-02-7: fields the Client may not change are ignored, not refused.
    const body = checkBody(request.body, (v) => validateCredentialModificationRequest(v, "strict"));
    if (body.client_secret_expires_at !== undefined) {
      const current = toCredential(row, urls).client_secret_expires_at!;
      const requested = body.client_secret_expires_at;
      // Timestamps at or past year 10000 have no RFC 3339 form and overflow PostgreSQL's timestamp handling (issue 18).
      if (requested >= 253402300800) throw fieldError("/client_secret_expires_at", "maximum", "must be before the year 10000 (less than 253402300800)");
      const now = Math.floor(Date.now() / 1000);
      // §7.6: at or after now, and never later than the current expiry (0, no expiry, allows anything).
      const allowed = current === 0 ? requested === 0 || requested >= now - CLOCK_SKEW_SECONDS : requested >= now - CLOCK_SKEW_SECONDS && requested <= current;
      if (!allowed) {
        throw fieldError(
          "/client_secret_expires_at",
          "credential-expiry",
          current === 0 ? "must be 0 or a time not in the past" : `must be a time not in the past and no later than the current expiry (${current})`,
        );
      }
      // A time just past (clock skew) means "now": the Credential expires at once.
      const expiresAt = requested === 0 ? null : new Date(Math.max(requested, now) * 1000);
      if (requested !== current) {
        await setCredentialExpiry(db, row.id, expiresAt, (tx) =>
          addChangelogMessage(tx, registrationId, {
            name: `Credential ${row.id} modified`,
            description: expiresAt && expiresAt.getTime() <= Date.now() ? `Credential ${row.id} has expired; its tokens are revoked.` : `Credential ${row.id} now expires ${expiresAt ? `at ${expiresAt.toISOString()}` : "never"}.`,
            relatedUri: credentialUri(urls, row.id),
            relatedType: "credential",
          }),
        );
      }
    }
    const updated = await findCredentialRow(db, registrationId, row.id);
    return sendModel(request, reply, "Credential", validateCredential, toCredential(updated!, urls), { noStore: true });
  });
}

/** How far in the past a requested expiry may be and still mean "now" (clients' clocks drift). */
export const CLOCK_SKEW_SECONDS = 60;
