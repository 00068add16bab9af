/**
 * The customer's side of the authorization-code flow, at
 * `/oauth/interaction/:uid` (oidc-provider's `interactions.url`): a login
 * form, then a consent page. oidc-provider decides which prompt is due
 * (`prompt=login` forces the login form even with a session) and resumes the
 * authorization request once a result is stored.
 *
 * CSRF: every state change is a POST to a path under the interaction URL,
 * accepted only when the `uid` in the path is the one in oidc-provider's
 * signed, HttpOnly, SameSite=Lax interaction cookie, and only for the prompt
 * that is due. A forged cross-site POST carries no such cookie.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type Provider from "oidc-provider";
import { errors } from "oidc-provider";
import { grantMismatch, isGrantForCustomer, recordAuthorization } from "../../cds/grant-authorization.js";
import { findGrantRowById } from "../../cds/grants.js";
import type { Db } from "../../db/index.js";
import { authenticateCustomer, findCustomerByAccountId } from "../../customers/index.js";
import { requestedDetails as parseDetails } from "../cds-grant-id.js";
import type { AuthorizationDetail } from "../consent-details.js";
import { consentPage, errorPage, loginPage } from "./pages.js";
import { pageHeaders } from "./html.js";
import type { ServerContext } from "../../context.js";

type InteractionDetails = Awaited<ReturnType<Provider["interactionDetails"]>>;
type Params = { uid: string };

/** Form fields are short; anything larger is not a form of ours. */
const FORM_BODY_LIMIT = 4096;

export async function registerInteractionRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const { provider, db } = ctx;
  const issuer = ctx.urls.issuer;
  const { protocol, host } = new URL(issuer);

  await app.register(async (scope) => {
    scope.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string", bodyLimit: FORM_BODY_LIMIT }, (_request, body, done) => {
      done(null, new URLSearchParams(body as string));
    });

    /** The interaction this browser is in, if it is the one in the path. */
    const load = async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply): Promise<InteractionDetails | null> => {
      // oidc-provider builds a Koa context from the raw request (provider.proxy is on); as in mount.ts,
      // the protocol and host are the issuer URL's, whatever the client sent.
      request.raw.headers["x-forwarded-proto"] = protocol.slice(0, -1);
      request.raw.headers["x-forwarded-host"] = host;
      try {
        const details = await provider.interactionDetails(request.raw, reply.raw);
        if (details.uid === request.params.uid) return details;
      } catch (error) {
        // No interaction cookie, or an expired or unknown interaction: both mean "start again". Anything else is ours.
        if (!(error instanceof errors.SessionNotFound)) throw error;
      }
      await sendPage(reply, 400, errorPage("This sign-in request has expired, or was started in another browser."));
      return null;
    };

    const finish = async (request: FastifyRequest, reply: FastifyReply, result: Parameters<Provider["interactionResult"]>[2], merge: boolean) => {
      const returnTo = await provider.interactionResult(request.raw, reply.raw, result, { mergeWithLastSubmission: merge });
      // 303: the browser follows with a GET, never re-posting the form.
      return reply.code(303).header("cache-control", "no-store").redirect(returnTo, 303);
    };

    const clientName = async (clientId: unknown): Promise<string> => {
      const client = typeof clientId === "string" ? await provider.Client.find(clientId) : undefined;
      return client?.clientName ?? (typeof clientId === "string" ? clientId : "An application");
    };

    scope.get<{ Params: Params }>("/oauth/interaction/:uid", async (request, reply) => {
      const details = await load(request, reply);
      if (!details) return reply;
      const name = await clientName(details.params.client_id);
      if (details.prompt.name === "login") return sendPage(reply, 200, loginPage({ uid: details.uid, clientName: name }));
      if (details.prompt.name === "consent") {
        const refusal = await grantRefusal(db, details);
        if (refusal) return finish(request, reply, refusal, false);
        const customer = details.session?.accountId ? await findCustomerByAccountId(db, details.session.accountId) : undefined;
        return sendPage(
          reply,
          200,
          consentPage({
            uid: details.uid,
            clientName: name,
            customerName: customer?.displayName ?? "unknown customer",
            scopes: String(details.params.scope ?? "").split(" ").filter(Boolean),
            authorizationDetails: requestedDetails(details),
          }),
        );
      }
      return sendPage(reply, 400, errorPage("This request asks for something this server does not offer."));
    });

    scope.post<{ Params: Params; Body: URLSearchParams }>("/oauth/interaction/:uid/login", async (request, reply) => {
      const details = await load(request, reply);
      if (!details) return reply;
      if (details.prompt.name !== "login") return sendPage(reply, 400, errorPage("This sign-in step is already done."));
      const form = formOf(request.body);
      const username = form.get("username") ?? "";
      const customer = await authenticateCustomer(db, username, form.get("password") ?? "");
      if (!customer) {
        request.log.info({ interaction: "login", outcome: "failed" }, "customer login failed");
        return sendPage(reply, 200, loginPage({ uid: details.uid, clientName: await clientName(details.params.client_id), failed: true, username }));
      }
      if (details.session?.accountId && details.session.accountId !== customer.accountId) await endSession(provider, details);
      return finish(request, reply, { login: { accountId: customer.accountId } }, false);
    });

    scope.post<{ Params: Params }>("/oauth/interaction/:uid/confirm", async (request, reply) => {
      const details = await load(request, reply);
      if (!details) return reply;
      if (details.prompt.name !== "consent" || !details.session?.accountId) return sendPage(reply, 400, errorPage("There is nothing to approve at this step."));
      const { accountId } = details.session;
      const clientId = String(details.params.client_id);
      const refusal = await grantRefusal(db, details);
      if (refusal) return finish(request, reply, refusal, false);
      // One oidc-provider grant per approval (provider.ts `loadExistingGrant`), so each CDS Grant owns its tokens.
      const grant = new provider.Grant({ accountId, clientId });
      // oidc-provider counts this server's scopes both as its own (`scopes`) and the resource's: grant both.
      const missing = details.prompt.details as { missingOIDCScope?: string[]; missingResourceScopes?: Record<string, string[]> };
      if (missing.missingOIDCScope?.length) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
      for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
        grant.addResourceScope(indicator, scopes.join(" "));
      }
      // The grant records what this consent approved; the code gets the requested entries found here (sandbox-scope.ts).
      const rar = requestedDetails(details);
      (grant as unknown as { rar?: AuthorizationDetail[] }).rar = rar.length ? rar : undefined;
      const grantId = await grant.save();
      const cdsGrantId = typeof details.params.cds_grant_id === "string" ? details.params.cds_grant_id : undefined;
      await recordAuthorization(db, {
        clientId,
        accountId,
        scope: String(details.params.scope ?? ""),
        authorizationDetails: rar,
        oidcGrantId: grantId,
        ...(cdsGrantId ? { cdsGrantId } : {}),
      });
      return finish(request, reply, { consent: { grantId } }, true);
    });

    scope.post<{ Params: Params }>("/oauth/interaction/:uid/abort", async (request, reply) => {
      const details = await load(request, reply);
      if (!details) return reply;
      return finish(request, reply, { error: "access_denied", error_description: "the customer denied the request" }, false);
    });
  });
}

/**
 * Another customer signed in over an existing session (`prompt=login`, or a
 * shared browser). oidc-provider would end the old session through its
 * RP-initiated logout endpoint, which this server does not enable (no
 * OpenID Connect), and the flow would stop there. Ending it here instead:
 * the old session goes, so none of the first customer's grants carry over,
 * and the interaction forgets it, so oidc-provider resumes with a fresh
 * session for the new customer.
 */
async function endSession(provider: Provider, details: InteractionDetails): Promise<void> {
  const previous = details.session?.cookie ? await provider.Session.find(details.session.cookie) : undefined;
  await previous?.destroy();
  delete details.session;
  await details.save(Math.max(1, details.exp - Math.floor(Date.now() / 1000)));
}

function requestedDetails(details: InteractionDetails): AuthorizationDetail[] {
  return parseDetails(details.params.authorization_details) as AuthorizationDetail[];
}

/**
 * §8.3, after the customer signed in: the Grant named by `cds_grant_id` must
 * still fit the request (it may have changed since the request arrived) and
 * be meant for this customer. The error goes back to the Client's redirect URI.
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
  if (!isGrantForCustomer(grant!, details.session.accountId)) {
    return { error: "cds_grant_id_invalid_user", error_description: "the Grant is meant for another customer" };
  }
  return null;
}

function formOf(body: unknown): URLSearchParams {
  return body instanceof URLSearchParams ? body : new URLSearchParams();
}

async function sendPage(reply: FastifyReply, status: number, body: string): Promise<FastifyReply> {
  return reply.code(status).headers(pageHeaders).send(body);
}
