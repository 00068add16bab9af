/** A few lines of Fastify standing in for a misbehaving (or not-yet-built) Server. */
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll } from "vitest";

export interface FakeServer {
  readonly app: FastifyInstance;
  readonly url: string;
}

export function useFakeServer(routes: (app: FastifyInstance, url: () => string) => void): FakeServer {
  const app = Fastify();
  let url = "";
  routes(app, () => url);
  beforeAll(async () => {
    url = (await app.listen({ port: 0, host: "127.0.0.1" })).replace("localhost", "127.0.0.1");
  });
  afterAll(async () => {
    await app.close();
  });
  return {
    app,
    get url() {
      return url;
    },
  };
}
