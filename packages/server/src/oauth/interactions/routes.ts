/**
 * The customer's side of the authorization-code flow (CDS-WG3-01 §9.1), at
 * `/oauth/interaction/:uid` (oidc-provider's `interactions.url`): the request
 * is resolved and checked before sign-in (§9.1.1; errors go back to the
 * Client's redirect URI), the customer signs in (§9.1.2), the request is
 * checked again against this customer's resources (Preselection Error,
 * §9.3.1), and the Authorization Form (§9.2) is shown. Approval makes or
 * updates the Grant, a receipt (§9.4) and its email.
 *
 * CSRF: every state change is a POST under the interaction URL, accepted
 * only with oidc-provider's signed, HttpOnly, SameSite=Lax interaction cookie
 * for that `uid`, a form token bound to the interaction (an HMAC of its uid
 * under the cookie keys), and only for the prompt that is due. Before any of
 * that, a post another site sent is refused outright (origin-check.ts).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type Provider from "oidc-provider";
import { errors } from "oidc-provider";
import { eq } from "drizzle-orm";
import { grantMismatch, isGrantForCustomer, recordAuthorization } from "../../cds/grant-authorization.js";
import { deleteOidcGrant, findGrantRowById } from "../../cds/grants.js";
import type { Db } from "../../db/index.js";
import { customers, grants, oauthClients } from "../../db/schema.js";
import { findCustomerByAccountId, type LoginRefusal } from "../../customers/index.js";
import { requestedDetails as parseDetails } from "../cds-grant-id.js";
import type { ServerContext } from "../../context.js";
import type { ConsentDetail } from "../../customer-data/authorization-details/validate.js";
import { AuthorizationForm } from "../../authorization-form/AuthorizationForm.js";
import { loadBrand, neutralBrand, type Brand } from "../../authorization-form/brand.js";
import { approvedDetails, preselectionFailures, readSelections, sectionViews, type SectionView, type SubmittedSelection } from "../../authorization-form/consent-flow.js";
import { dataItems } from "../../authorization-form/DataComponent.js";
import { SELECTION_WORDS } from "../../authorization-form/data-words.js";
import { DefaultRedirectError } from "../../authorization-form/DefaultRedirectError.js";
import { durationsOf } from "../../authorization-form/DurationComponent.js";
import { LoginPage } from "../../authorization-form/LoginPage.js";
import { PreselectionError } from "../../authorization-form/PreselectionError.js";
import { Receipt } from "../../authorization-form/Receipt.js";
import { createReceipt, findReceipt, latestReceiptOfGrant, newerReceipt, type ReceiptContent } from "../../authorization-form/receipts.js";
import { newNonce, pageHeaders, renderPage } from "../../authorization-form/render.js";
import { RequestRefused, resolveRequest, type ClientView, type ResolvedRequest } from "../../authorization-form/request.js";
import { CrossOriginError, InvalidRequestError } from "../../authorization-form/InvalidRequestError.js";
import { crossOriginRefusal } from "../../authorization-form/origin-check.js";
import { canRevoke, cookieValue, newRevokeCookie, REVOKE_COOKIE, revokeCookieHeader, revokeGrant, revokeToken, revokeTokenOk } from "../../authorization-form/revocation.js";
import { FreshCache } from "../../http/fresh-cache.js";
import { paths } from "../../urls.js";
import { accountPaths, registerAccountRoutes } from "./account-routes.js";
import { signedInAccount } from "./account-session.js";
import { receiptChanges } from "../../authorization-form/receipt-changes.js";
import type { VNode } from "preact";
import { TemporarilyUnavailable } from "../../authorization-form/TemporarilyUnavailable.js";
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from "../../http/database-unavailable.js";
import { loggableError } from "../../http/loggable-error.js";

type InteractionDetails = Awaited<ReturnType<Provider["interactionDetails"]>>;
type Params = { uid: string };
type OidcResult = Parameters<Provider["interactionResult"]>[2];

/** How long a refused sign-in attempt is held before its 429, and how many are held at once (see `refuseLogin`). */
const REFUSAL_PAUSE_MS = 1000;
const MAX_HELD_REFUSALS = 1000;

/** Form fields are short, but a long selection list posts many ids. */
const FORM_BODY_LIMIT = 64 * 1024;

export async function registerInteractionRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const { provider, db } = ctx;
  const issuer = ctx.urls.issuer;
  const { protocol, host } = new URL(issuer);
  const csrfKey = String((provider as unknown as { keys: string[] }).keys[0]);
  const csrfFor = (uid: string) => createHmac("sha256", csrfKey).update(`interaction-form:${uid}`).digest("base64url");
  const csrfOk = (form: URLSearchParams, uid: string) => {
    const given = Buffer.from(form.get("csrf") ?? "");
    const wanted = Buffer.from(csrfFor(uid));
    return given.length === wanted.length && timingSafeEqual(given, wanted);
  };

  await app.register(async (scope) => {
    scope.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string", bodyLimit: FORM_BODY_LIMIT }, (_request, body, done) => {
      done(null, new URLSearchParams(body as string));
    });

    // The last brand read, for the one page answered when the database cannot be read (below).
    let lastBrand: Brand = neutralBrand;
    const send = async (reply: FastifyReply, status: number, page: (nonce: string, brand: Brand) => VNode) => {
      const nonce = newNonce();
      lastBrand = await loadBrand(db);
      return reply.code(status).headers(pageHeaders(nonce)).send(renderPage(page(nonce, lastBrand)));
    };
    // These are pages a customer's browser opens: a database outage is a page too (503, Retry-After),
    // not the JSON body the APIs answer. Anything else goes on to the server's error handler.
    scope.setErrorHandler((error, request, reply) => {
      if (!isDatabaseUnavailable(error)) throw error;
      request.log.warn({ error: loggableError(error) }, "database unavailable");
      const nonce = newNonce();
      return reply
        .code(503)
        .headers(pageHeaders(nonce))
        .header("retry-after", String(DATABASE_RETRY_AFTER_SECONDS))
        .send(renderPage(TemporarilyUnavailable({ nonce, brand: lastBrand, retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS })));
    });
    const invalid = (reply: FastifyReply, status: number, reason: string) => send(reply, status, (nonce, brand) => InvalidRequestError({ nonce, brand, reason }));

    // §9.4, §9.1.1: sign-in from a receipt, the customer's receipts, sign-out (account-routes.ts).
    registerAccountRoutes(scope, { ctx, csrfKey, secure: protocol === "https:", send, invalid });

    // Every post here comes from this Server's own pages; one another site sent is refused before anything else.
    const ownOrigin = new URL(issuer).origin;
    scope.addHook("preHandler", async (request, reply) => {
      if (request.method !== "POST") return;
      const refusal = crossOriginRefusal(request.headers, ownOrigin);
      if (!refusal) return;
      request.log.info({ interaction: "post", outcome: "cross-origin" }, "form post from another site refused");
      await send(reply, 403, (nonce, brand) => CrossOriginError({ nonce, brand, reason: refusal }));
      return reply;
    });

    /** The interaction this browser is in, if it is the one in the path. */
    const load = async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply): Promise<InteractionDetails | null> => {
      // As in mount.ts: oidc-provider builds its URLs from the issuer's protocol and host, whatever the browser sent.
      request.raw.headers["x-forwarded-proto"] = protocol.slice(0, -1);
      request.raw.headers["x-forwarded-host"] = host;
      try {
        const details = await provider.interactionDetails(request.raw, reply.raw);
        if (details.uid === request.params.uid) return details;
      } catch (error) {
        if (!(error instanceof errors.SessionNotFound)) throw error;
      }
      await invalid(reply, 400, "This sign-in request has expired, was already answered, or was started in another browser.");
      return null;
    };

    /** Loads the interaction for a POST and checks the form token; answers the form too. */
    const loadPost = async (request: FastifyRequest<{ Params: Params; Body: URLSearchParams }>, reply: FastifyReply) => {
      const details = await load(request, reply);
      if (!details) return null;
      const form = formOf(request.body);
      if (!csrfOk(form, details.uid)) {
        await invalid(reply, 403, "The form was not sent from this page.");
        return null;
      }
      return { details, form };
    };

    const finish = async (request: FastifyRequest, reply: FastifyReply, result: OidcResult, merge: boolean) => {
      const returnTo = await provider.interactionResult(request.raw, reply.raw, result, { mergeWithLastSubmission: merge });
      // 303: the browser follows with a GET, never re-posting the form.
      return reply.code(303).header("cache-control", "no-store").redirect(returnTo, 303);
    };

    /** §9.1.1 before sign-in: the request with the Client Object's defaults, or why it goes back to the Client. */
    const resolve = async (details: InteractionDetails): Promise<{ client: ClientView; request: ResolvedRequest } | { refusal: OidcResult }> => {
      const client = await clientView(db, String(details.params.client_id));
      if (!client) return { refusal: { error: "unauthorized_client", error_description: "client_id: unknown Client Object" } };
      try {
        return { client, request: resolveRequest(details.params, client) };
      } catch (error) {
        if (error instanceof RequestRefused) return { refusal: { error: error.error, error_description: error.message } };
        if (error instanceof SyntaxError) return { refusal: { error: "invalid_authorization_details", error_description: "authorization_details: not valid JSON" } };
        throw error;
      }
    };

    const renderForm = async (reply: FastifyReply, details: InteractionDetails, client: ClientView, sections: SectionView[], status = 200, state?: { errors: Map<string, string>; checked: Map<string, Set<string>>; future: Map<string, boolean> }) => {
      const customer = await findCustomerByAccountId(db, details.session!.accountId);
      const base = `/oauth/interaction/${details.uid}`;
      return send(reply, status, (nonce, brand) =>
        AuthorizationForm({
          nonce,
          brand,
          clientName: client.clientName,
          clientUri: client.clientUri,
          action: `${base}/confirm`,
          switchAction: `${base}/switch`,
          csrf: csrfFor(details.uid),
          signedInAs: customer?.displayName ?? "a customer",
          errorSummary: state?.errors.size ? "Some parts of the form need your attention; they are marked below." : null,
          sections: sections.map((s) => ({
            scopes: s.scopes,
            purpose: s.purpose,
            selection: {
              list: s.list,
              name: s.name,
              editable: s.editable,
              checked: state?.checked.get(s.name) ?? s.list.preselected,
              futureChecked: state?.future.get(s.name) ?? s.list.futurePreselected,
              error: state?.errors.get(s.name) ?? null,
            },
          })),
        }),
      );
    };

    scope.get<{ Params: Params }>("/oauth/interaction/:uid", async (request, reply) => {
      const details = await load(request, reply);
      if (!details) return reply;
      const resolved = await resolve(details);
      if ("refusal" in resolved) return finish(request, reply, resolved.refusal, false);
      const { client, request: req } = resolved;
      const base = `/oauth/interaction/${details.uid}`;
      if (details.prompt.name === "login") {
        // Nothing of the customer yet (§9.2): only what the Client itself asked for.
        const asks = dataItems(req.scopes).slice(0, 3).map((i) => i.words);
        return send(reply, 200, (nonce, brand) => LoginPage({ nonce, brand, clientName: client.clientName, asks, action: `${base}/login`, cancelAction: `${base}/abort`, csrf: csrfFor(details.uid), failed: false, username: "" }));
      }
      if (details.prompt.name === "consent" && details.session?.accountId) {
        const refusal = await grantRefusal(db, details);
        if (refusal) return finish(request, reply, refusal, false);
        const sections = sectionViews(req, await ctx.customerData.resourceGraph(details.session.accountId), client);
        const failures = preselectionFailures(sections);
        if (failures.length) {
          return send(reply, 200, (nonce, brand) =>
            PreselectionError({ nonce, brand, clientName: client.clientName, requested: failures, declineAction: `${base}/preselection-decline`, switchAction: `${base}/switch`, csrf: csrfFor(details.uid) }),
          );
        }
        return renderForm(reply, details, client, sections);
      }
      return invalid(reply, 400, "This request asks for something this server does not offer.");
    });

    // The 429/503 sign-in refusals come by the thousand during a guessing burst: their brand is read at most once a second.
    const refusalBrand = new FreshCache<"brand", Brand>(() => loadBrand(db), { maxAgeMs: 1000, maxEntries: 1 });
    // A refused guess is answered after a pause (a tarpit): a guesser that waits for each answer, as
    // scripts with a fixed number of connections do, then sends a few requests a second instead of
    // thousands, and a held request costs a socket and a timer, not CPU. Bounded, so a flood of
    // connections is answered at once rather than held.
    let held = 0;
    const refuseLogin = async (request: FastifyRequest, reply: FastifyReply, refusal: LoginRefusal) => {
      request.log.info({ interaction: "login", outcome: refusal.outcome }, "customer login refused before the password check");
      if (refusal.outcome === "throttled" && held < MAX_HELD_REFUSALS) {
        held++;
        await sleep(Math.min(REFUSAL_PAUSE_MS, refusal.retryAfterSeconds * 1000)).finally(() => held--);
      }
      const wait = `Please wait ${refusal.retryAfterSeconds} second${refusal.retryAfterSeconds === 1 ? "" : "s"} and try again.`;
      const reason = refusal.outcome === "throttled" ? `Too many failed sign-in attempts. ${wait}` : `Sign-in is busy right now. ${wait}`;
      const nonce = newNonce();
      const brand = await refusalBrand.get("brand");
      return reply
        .code(refusal.outcome === "throttled" ? 429 : 503)
        .headers(pageHeaders(nonce))
        .header("retry-after", String(refusal.retryAfterSeconds))
        .send(renderPage(InvalidRequestError({ nonce, brand, reason })));
    };

    scope.post<{ Params: Params; Body: URLSearchParams }>(
      "/oauth/interaction/:uid/login",
      {
        // A locked address, or one whose attempt is still in flight, is refused before its body is read (login-guard.ts).
        onRequest: async (request, reply) => {
          const refusal = ctx.login.addressRefusal(request.ip);
          if (refusal) return refuseLogin(request, reply, refusal);
        },
      },
      async (request, reply) => {
        const form = formOf(request.body);
        const username = form.get("username") ?? "";
        // Refused attempts are refused first, before the interaction lookup: a guessing burst costs almost nothing.
        const early = ctx.login.refusal(username, request.ip);
        if (early) return refuseLogin(request, reply, early);
        const loaded = await loadPost(request, reply);
        if (!loaded) return reply;
        const { details } = loaded;
        if (details.prompt.name !== "login") return invalid(reply, 400, "This sign-in step is already done.");
        const attempt = await ctx.login.attempt(username, form.get("password") ?? "", request.ip);
        if (attempt.outcome === "throttled" || attempt.outcome === "busy") return refuseLogin(request, reply, attempt);
        if (attempt.outcome !== "signed-in") {
          request.log.info({ interaction: "login", outcome: "failed" }, "customer login failed");
          const resolved = await resolve(details);
          const clientName = "client" in resolved ? resolved.client.clientName : String(details.params.client_id);
          const asks = "request" in resolved ? dataItems(resolved.request.scopes).slice(0, 3).map((i) => i.words) : ["your data"];
          const base = `/oauth/interaction/${details.uid}`;
          const uid = details.uid;
          return send(reply, 200, (nonce, brand) => LoginPage({ nonce, brand, clientName, asks, action: `${base}/login`, cancelAction: `${base}/abort`, csrf: csrfFor(uid), failed: true, username }));
        }
        const { customer } = attempt;
        if (details.session?.accountId && details.session.accountId !== customer.accountId) await endSession(provider, details);
        return finish(request, reply, { login: { accountId: customer.accountId } }, false);
      },
    );

    // §9.1.2: giving up on signing in is a decline; so is Decline on the form (§9.1.1).
    scope.post<{ Params: Params; Body: URLSearchParams }>("/oauth/interaction/:uid/abort", async (request, reply) => {
      const loaded = await loadPost(request, reply);
      if (!loaded) return reply;
      return finish(request, reply, { error: "access_denied", error_description: "the customer declined the request" }, false);
    });

    // §9.3.1 with spec/ERRATA.md E-WG3-01-4: the Client learns only that nothing could be preselected.
    scope.post<{ Params: Params; Body: URLSearchParams }>("/oauth/interaction/:uid/preselection-decline", async (request, reply) => {
      const loaded = await loadPost(request, reply);
      if (!loaded) return reply;
      return finish(request, reply, { error: "invalid_authorization_details", error_description: "no_preselections: the customer has nothing matching the preselection fields and declined" }, false);
    });

    // §9.2.1.7, §9.3.1: sign in as someone else. The session ends at once and the request starts over at sign-in.
    scope.post<{ Params: Params; Body: URLSearchParams }>("/oauth/interaction/:uid/switch", async (request, reply) => {
      const loaded = await loadPost(request, reply);
      if (!loaded) return reply;
      await endSession(provider, loaded.details);
      return reply.code(303).header("cache-control", "no-store").redirect(loaded.details.returnTo, 303);
    });

    scope.post<{ Params: Params; Body: URLSearchParams }>("/oauth/interaction/:uid/confirm", async (request, reply) => {
      const loaded = await loadPost(request, reply);
      if (!loaded) return reply;
      const { details, form } = loaded;
      if (details.prompt.name !== "consent" || !details.session?.accountId) return invalid(reply, 400, "There is nothing to approve at this step.");
      if (form.get("decision") !== "approve") return finish(request, reply, { error: "access_denied", error_description: "the customer declined the request" }, false);
      const { accountId } = details.session;
      const resolved = await resolve(details);
      if ("refusal" in resolved) return finish(request, reply, resolved.refusal, false);
      const refusal = await grantRefusal(db, details);
      if (refusal) return finish(request, reply, refusal, false);
      const { client, request: req } = resolved;
      const resources = await ctx.customerData.resourceGraph(accountId);
      const sections = sectionViews(req, resources, client);
      if (preselectionFailures(sections).length) return invalid(reply, 400, "There is nothing to approve at this step.");
      const read = readSelections(sections, resources, form);
      // §9.2.1.6: mark what needs correcting and let the customer send the form again.
      if (!read.ok) return renderForm(reply, details, client, sections, 400, read);

      const approvedAt = new Date();
      const approved = approvedDetails(sections, approvedAt);
      const scopeString = req.scopes.map((s) => s.rule.id).join(" ");
      // One oidc-provider grant per approval (provider.ts `loadExistingGrant`), so each CDS Grant owns its tokens.
      const grant = new provider.Grant({ accountId, clientId: client.clientId });
      const missing = details.prompt.details as { missingOIDCScope?: string[]; missingResourceScopes?: Record<string, string[]> };
      if (missing.missingOIDCScope?.length) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
      for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(" "));
      // What the code and tokens carry (consent-details.ts `authorizationDetailsForCode`).
      (grant as unknown as { rar?: ConsentDetail[] }).rar = approved;
      const oidcGrantId = await grant.save();
      const cdsGrantId = typeof details.params.cds_grant_id === "string" ? details.params.cds_grant_id : undefined;
      const content = receiptContent(client, sections, read.selections, (await loadBrand(db)).tosUri);
      // The CDS Grant, the customer's selection and the receipt are one transaction (issue 16): a crash in
      // between left an active Grant without its receipt. The oidc-provider grant saved above holds no
      // token until the code is exchanged, and expires on its own if this never commits.
      const receipt = await db.transaction(async (tx) => {
        const t = tx as unknown as Db;
        const grantId = await recordAuthorization(t, { clientId: client.clientId, accountId, scope: scopeString, authorizationDetails: approved as never, oidcGrantId, ...(cdsGrantId ? { cdsGrantId } : {}) });
        if (!grantId) return null;
        const customerSelection = read.selections.map((s) => ({ scopes: sections.find((x) => x.name === s.section)!.scopes.map((r) => r.rule.id), type: s.type, ids: s.ids, numbers: s.numbers, includeFuture: s.includeFuture }));
        await t.update(grants).set({ customerSelection }).where(eq(grants.id, grantId));
        // §9.4: what was approved is kept with the receipt, so later changes to the Grant can be shown beside it.
        const approvedRecord = { scope: scopeString, authorizationDetails: approved, selection: customerSelection };
        return createReceipt(t, grantId, accountId, { ...content, approved: approvedRecord });
      });
      if (!receipt) {
        // The named Grant ended (or was authorized) while this approval ran: nothing is granted, the new tokens' grant goes.
        await deleteOidcGrant(db, oidcGrantId);
        return finish(request, reply, { error: "cds_grant_id_invalid_value", error_description: "the Grant no longer needs a user authorization" }, false);
      }
      await notify(ctx, accountId, receipt.confirmation, `${ctx.urls.receipts}/${receipt.id}`, client.clientName).catch((error: Error) =>
        request.log.warn({ err: { type: error.name } }, "receipt email not sent"),
      );
      return finish(request, reply, { consent: { grantId: oidcGrantId } }, true);
    });

    // A person who reloads (or comes back to) the address a form posted to asks for it with GET: back to the
    // page the form was on, which shows the current step or the styled "expired" page, never a bare error.
    scope.get<{ Params: Params & { step: string } }>("/oauth/interaction/:uid/:step", async (request, reply) =>
      reply.code(303).header("cache-control", "no-store").redirect(`/oauth/interaction/${encodeURIComponent(request.params.uid)}`, 303),
    );

    // CDS-WG3-01 §9.1.1: the Server's default redirect URI. A code leads to its receipt; an error to §9.3.3's page.
    scope.get<{ Querystring: Record<string, string | undefined> }>(paths.defaultRedirect, async (request, reply) => {
      const { code, error, error_description: description } = request.query;
      if (typeof code === "string" && code) {
        const stored = await provider.AuthorizationCode.find(code, { ignoreExpiration: true }).catch(() => undefined);
        const [row] = stored?.grantId ? await db.select({ id: grants.id }).from(grants).where(eq(grants.oidcGrantId, stored.grantId)) : [];
        const receipt = row ? await latestReceiptOfGrant(db, row.id) : null;
        if (receipt) return reply.code(303).header("cache-control", "no-store").redirect(`${ctx.urls.receipts}/${receipt.id}`, 303);
        return send(reply, 400, (nonce, brand) => DefaultRedirectError({ nonce, brand, error: "invalid_request", description: "the authorization could not be found" }));
      }
      return send(reply, 200, (nonce, brand) => DefaultRedirectError({ nonce, brand, error: typeof error === "string" && error ? error : "invalid_request", description: typeof description === "string" ? description : null }));
    });

    // CDS-WG3-01 §9.4: the receipt, without sign-in, at its random URL.
    const secure = protocol === "https:";
    scope.get<{ Params: { id: string } }>(`${paths.receipts}/:id`, async (request, reply) => {
      const receipt = await findReceipt(db, request.params.id);
      if (!receipt) return send(reply, 404, (nonce, brand) => DefaultRedirectError({ nonce, brand, error: "invalid_request", description: "no such receipt" }));
      const grant = await findGrantRowById(db, receipt.grantId);
      const newer = await newerReceipt(db, receipt);
      const current = grant ? await clientView(db, grant.clientId) : null;
      const status = grant?.status ?? "revoked";
      const receiptPath = `${paths.receipts}/${receipt.id}`;
      let revoke: { action: string; token: string } | null = null;
      if (canRevoke(status)) {
        let cookie = cookieValue(request.headers.cookie, REVOKE_COOKIE);
        if (!cookie || !/^[\w-]{24}$/.test(cookie)) {
          cookie = newRevokeCookie();
          reply.header("set-cookie", revokeCookieHeader(cookie, receiptPath, secure));
        }
        revoke = { action: `${receiptPath}/revoke`, token: revokeToken(csrfKey, receipt.id, cookie) };
      }
      // §9.4: the customer's own numbers only for the signed-in owner; everyone else gets counts and a sign-in link.
      const viewer = await signedInAccount(provider, issuer, request.raw, reply.raw);
      const content = receipt.content as ReceiptContent;
      const brandNow = await loadBrand(db);
      const changes = receiptChanges(content, {
        clientName: current?.clientName ?? null,
        clientUri: current?.clientUri ?? null,
        tosUri: brandNow.tosUri,
        grant: grant ? { enabledScope: grant.enabledScope, enabledAuthorizationDetails: grant.enabledAuthorizationDetails as unknown[], customerSelection: grant.customerSelection ?? null } : null,
      });
      return send(reply, 200, (nonce, brand) =>
        Receipt({
          nonce,
          brand,
          confirmation: receipt.confirmation,
          createdAt: receipt.createdAt,
          status,
          content,
          changes,
          ownerSignedIn: viewer !== null && viewer === receipt.accountId,
          signInUrl: `${accountPaths.signIn}?return=${encodeURIComponent(receiptPath)}`,
          currentClientName: current?.clientName ?? null,
          newerUrl: newer ? `${ctx.urls.receipts}/${newer.id}` : null,
          revoke,
          revokedNow: (request.query as Record<string, unknown>).revoked === "1" && status === "revoked",
        }),
      );
    });

    // §9.4: the customer stops the Grant from its receipt, signed in or not.
    // As above: the revocation form's address, reloaded, shows the receipt again.
    scope.get<{ Params: { id: string } }>(`${paths.receipts}/:id/revoke`, async (request, reply) =>
      reply.code(303).header("cache-control", "no-store").redirect(`${ctx.urls.receipts}/${encodeURIComponent(request.params.id)}`, 303),
    );
    scope.post<{ Params: { id: string }; Body: URLSearchParams }>(`${paths.receipts}/:id/revoke`, async (request, reply) => {
      const receipt = await findReceipt(db, request.params.id);
      if (!receipt) return send(reply, 404, (nonce, brand) => DefaultRedirectError({ nonce, brand, error: "invalid_request", description: "no such receipt" }));
      const form = formOf(request.body);
      if (!revokeTokenOk(csrfKey, receipt.id, cookieValue(request.headers.cookie, REVOKE_COOKIE), form.get("csrf"))) {
        return invalid(reply, 403, "The form was not sent from this receipt's page. Open the receipt again and use its button.");
      }
      const ended = await revokeGrant(db, receipt.grantId);
      request.log.info({ receipt: "revoke", outcome: ended ? "revoked" : "already-ended" }, "grant stopped from its receipt");
      return reply.code(303).header("cache-control", "no-store").redirect(`${ctx.urls.receipts}/${receipt.id}?revoked=1`, 303);
    });
  });
}

/** The Client Object as the form uses it (CDS-WG1-02 §5.1 defaults, CDS-WG3-01 §8.1 Purposes). */
async function clientView(db: Db, clientId: string): Promise<ClientView | null> {
  const [row] = await db.select().from(oauthClients).where(eq(oauthClients.clientId, clientId));
  if (!row) return null;
  const m = row.metadata as Record<string, unknown>;
  return {
    clientId,
    clientName: (m.client_name as string | undefined) ?? clientId,
    clientUri: (m.client_uri as string | undefined) ?? null,
    tosUri: (m.tos_uri as string | undefined) ?? null,
    purposes: (m.cds_purposes as ClientView["purposes"] | undefined) ?? {},
    defaultScope: (m.cds_default_scope as string | undefined) ?? (m.scope as string | undefined) ?? null,
    defaultAuthorizationDetails: (m.cds_default_authorization_details as ConsentDetail[] | undefined) ?? [],
  };
}

function receiptContent(client: ClientView, sections: SectionView[], selections: SubmittedSelection[], tosUri: string | null): ReceiptContent {
  return {
    clientName: client.clientName,
    clientUri: client.clientUri,
    tosUri,
    sections: sections.map((s) => {
      const chosen = selections.find((x) => x.section === s.name)!;
      const words = SELECTION_WORDS[s.list.type]!;
      return {
        data: dataItems(s.scopes).map((i) => i.words),
        durations: durationsOf(s.scopes),
        selection: { what: words.plural, one: words.singular, numbers: chosen.numbers, includeFuture: chosen.includeFuture, futureWords: words.plural },
        purpose: s.purpose ? { content: s.purpose.purpose.content, relatedUri: s.purpose.purpose.related_uri, relatedName: s.purpose.purpose.related_name ?? null, byClient: !s.purpose.serverDefault } : null,
      };
    }),
  };
}

/** §9.4: the notification names the brand, the confirmation number and the receipt's URL; no Client-written Purpose. */
async function notify(ctx: ServerContext, accountId: string, confirmation: string, url: string, clientName: string): Promise<void> {
  const [row] = await ctx.db.select({ email: customers.email }).from(customers).where(eq(customers.accountId, accountId));
  if (!row?.email) return;
  const brand = await loadBrand(ctx.db);
  await ctx.mailer.send({
    to: row.email,
    subject: `${brand.name}: your authorization receipt ${confirmation}`,
    text: [
      `You authorized ${clientName} to access some of your ${brand.name} data on ${new Date().toUTCString()}.`,
      "",
      `Confirmation number: ${confirmation}`,
      `Your receipt: ${url}`,
      "",
      "The receipt shows what you shared and for how long, and how to stop it.",
    ].join("\n"),
  });
}

/**
 * Ends the customer's session at once (another customer signs in, or "sign
 * in as someone else"): none of the first customer's grants carry over, and
 * the interaction forgets it, so oidc-provider resumes with a fresh session.
 */
async function endSession(provider: Provider, details: InteractionDetails): Promise<void> {
  const previous = details.session?.cookie ? await provider.Session.find(details.session.cookie) : undefined;
  await previous?.destroy();
  delete details.session;
  await details.save(Math.max(1, details.exp - Math.floor(Date.now() / 1000)));
}

/**
 * CDS-WG1-02 §8.3, after the customer signed in: the Grant named by
 * `cds_grant_id` must still fit the request and be meant for this customer.
 */
async function grantRefusal(db: Db, details: InteractionDetails): Promise<{ error: string; error_description: string } | null> {
  const cdsGrantId = details.params.cds_grant_id;
  if (typeof cdsGrantId !== "string" || !details.session?.accountId) return null;
  const grant = await findGrantRowById(db, cdsGrantId);
  const mismatch = grantMismatch(grant, String(details.params.client_id), {
    scope: String(details.params.scope ?? ""),
    authorizationDetails: parseDetails(details.params.authorization_details),
  });
  if (mismatch) return { error: "cds_grant_id_invalid_value", error_description: mismatch };
  if (!isGrantForCustomer(grant!, details.session.accountId)) return { error: "cds_grant_id_invalid_user", error_description: "the Grant is meant for another customer" };
  return null;
}

function formOf(body: unknown): URLSearchParams {
  return body instanceof URLSearchParams ? body : new URLSearchParams();
}
