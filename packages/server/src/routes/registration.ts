/**
 * POST /oauth/register: CDS-WG1-02 §4, the server's own handler (not
 * oidc-provider's, which makes one client per request). Public, as §11.2
 * requires when the metadata is public, and rate limited more tightly than
 * the other public endpoints (§11.3): each registration writes several rows.
 */
import type { RegistrationError } from "@cds-toolkit/types";
import { validateClientRegistrationRequest, validateCustomerDataClientRegistrationResponse, validateRegistrationError } from "@cds-toolkit/validators";
import type { FastifyInstance, FastifyReply } from "fastify";
import { toClient } from "../cds/client-objects.js";
import { register, RegistrationRefused } from "../cds/registration.js";
import { scopeDescriptions } from "../cds/scopes.js";
import { sendModel } from "../http/contract-response.js";
import { ProblemError } from "../http/problem.js";
import { loadServerMetadata } from "../server-metadata/index.js";
import { paths } from "../urls.js";
import type { ServerContext } from "../context.js";

/** Registrations per minute and client address, or the general limit when that is lower. */
export const REGISTRATIONS_PER_MINUTE = 10;

function refuse(reply: FastifyReply, status: number, body: RegistrationError): FastifyReply {
  const checked = validateRegistrationError(body, "strict");
  if (!checked.ok) throw new Error("registration error body breaks the contract");
  // RFC 7591 §3.2.2 follows RFC 6749 §5.2: never cached.
  return reply.code(status).type("application/json; charset=utf-8").header("cache-control", "no-store").send(JSON.stringify(body));
}

export function registerRegistrationRoute(app: FastifyInstance, ctx: ServerContext): void {
  const { db, urls } = ctx;
  const rateLimitPerMinute = ctx.config.rateLimitPerMinute;
  app.post(
    paths.registration,
    { config: { rateLimit: { max: Math.min(REGISTRATIONS_PER_MINUTE, rateLimitPerMinute), timeWindow: 60_000 } } },
    async (request, reply) => {
      const checked = validateClientRegistrationRequest(request.body ?? null, "strict");
      if (!checked.ok) {
        // RFC 7591 §3.2.2 has one error body: name each broken field and rule there.
        const description = checked.errors.map((e) => `${e.pointer || "/"} (${e.rule})`).join("; ");
        return refuse(reply, 400, { error: "invalid_client_metadata", error_description: `The registration request breaks the contract: ${description}` });
      }
      const metadata = await loadServerMetadata(db, urls);
      if (!metadata) throw new ProblemError(503, "This Server has no metadata document configured yet.");
      let registered;
      try {
        registered = await register(db, checked.value, scopeDescriptions(metadata.documentation), { defaultRedirectUri: urls.defaultRedirect });
      } catch (error) {
        if (error instanceof RegistrationRefused) return refuse(reply, 400, { error: error.error, error_description: error.message });
        throw error;
      }
      const body = {
        ...toClient(registered.admin, urls),
        client_secret: registered.adminSecret,
        // spec/ERRATA.md E-WG1-02-2: RFC 7591 §3.2.1 requires it with a secret; 0 means no expiry.
        client_secret_expires_at: 0,
      };
      // spec/ERRATA.md E-WG1-02-1: 201, as RFC 7591 answers.
      return sendModel(request, reply, "CustomerDataClientRegistrationResponse", validateCustomerDataClientRegistrationResponse, body, { status: 201, noStore: true });
    },
  );
}
