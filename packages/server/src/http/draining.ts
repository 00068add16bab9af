/**
 * While the server drains (SIGTERM → `close()`), a request that still reaches
 * it — pipelined, or on a kept-alive connection that was busy when closing
 * began — is refused with 503 in the same body every other error uses: problem
 * details on the REST APIs, the RFC 6749 error body on the OAuth endpoints,
 * with `Retry-After` and `Connection: close` so the client goes to another
 * instance. Fastify's own `return503OnClosing` answers a bare
 * `{"error":"Service Unavailable"}` instead, which no operation's contract
 * documents (issue 16), so the server turns it off and installs this hook.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { problem, sendOAuthError, sendProblem } from "./problem.js";

/** Seconds a client is asked to wait: a restarting instance, or another one behind the balancer. */
export const DRAINING_RETRY_AFTER_SECONDS = 5;

const detail = "The server is shutting down; retry the request, on another instance if there is one.";

export function installDrainingRefusal(app: FastifyInstance, isOAuth: (request: FastifyRequest) => boolean): void {
  let draining = false;
  app.addHook("preClose", (done) => {
    draining = true;
    done();
  });
  // Callback style: on the hot path this is one boolean test per request.
  app.addHook("onRequest", (request, reply, done) => {
    if (!draining) return done();
    reply.header("connection", "close").header("retry-after", String(DRAINING_RETRY_AFTER_SECONDS));
    if (isOAuth(request)) sendOAuthError(reply, 503, { error: "temporarily_unavailable", error_description: detail });
    else sendProblem(reply, problem(503, detail));
  });
}
