/**
 * What every command reaches through one object: the output streams, the
 * config file, and the discovered Server with its token sources.
 */
import type { Writable } from "node:stream";
import { CdsApi } from "../apis/cds-api.js";
import { discover, metadataUrlOf, type Discovery } from "../discovery/discover.js";
import type { AccessTokenSource } from "../http/fetch.js";
import { oauthContext } from "../oauth/context.js";
import { ClientCredentialsTokens, RefreshingTokens } from "../oauth/tokens.js";
import { ConfigFile, entry, type ServerEntry } from "./config.js";
import { UsageError } from "./exit.js";

export interface Io {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Reads a secret from standard input when no environment variable holds it. */
  readStdin?: () => Promise<string>;
}

export interface GlobalOptions {
  server?: string;
  config?: string;
  json?: boolean;
  strict?: boolean;
  insecureHttp?: boolean;
}

export class CliContext {
  readonly io: Io;
  readonly options: GlobalOptions;
  readonly config: ConfigFile;
  #discovery: Discovery | null = null;

  constructor(io: Io, options: GlobalOptions, configFile: string) {
    this.io = io;
    this.options = options;
    this.config = new ConfigFile(configFile, (line) => this.warn(line));
  }

  out(line: string): void {
    this.io.stdout.write(`${line}\n`);
  }
  warn(line: string): void {
    this.io.stderr.write(`${line}\n`);
  }
  json(value: unknown): void {
    this.out(JSON.stringify(value, null, this.io.stdout.isTTY ? 2 : undefined));
  }

  /** The Server: `--server`, `CDS_SERVER`, or the last one used. Stored by metadata URL. */
  async serverKey(explicit?: string): Promise<string> {
    const given = explicit ?? this.options.server ?? this.io.env.CDS_SERVER ?? (await this.config.read()).current;
    if (!given) throw new UsageError("--server", "required: name the Server (hostname or URL), or set CDS_SERVER, or run `cds discover <server>` first");
    return metadataUrlOf(given).href;
  }

  async discovery(explicit?: string): Promise<Discovery> {
    if (this.#discovery) return this.#discovery;
    const key = await this.serverKey(explicit);
    this.#discovery = await discover(key, { mode: this.options.strict ? "strict" : "lenient", ...(this.options.insecureHttp ? { allowInsecureHttp: true } : {}) });
    await this.config.update((c) => {
      entry(c, key);
      c.current = key;
    });
    return this.#discovery;
  }

  async entry(): Promise<{ key: string; entry: ServerEntry }> {
    const key = await this.serverKey();
    const config = await this.config.read();
    return { key, entry: entry(config, key) };
  }

  /** client_credentials tokens for `scope`, with the admin Client Object unless `clientId` names another. */
  async clientCredentials(scope: string, clientId?: string, authorizationDetails?: unknown[]): Promise<ClientCredentialsTokens> {
    const discovery = await this.discovery();
    const { key, entry: server } = await this.entry();
    const id = clientId ?? server.admin;
    const client = id ? server.clients[id] : undefined;
    if (!client) throw new UsageError("--client-id", id ? `no stored credentials for Client Object ${id}; run \`cds register\` or \`cds use-client\`` : "no Client Object stored for this Server; run `cds register` or `cds use-client` first");
    return new ClientCredentialsTokens(oauthContext(discovery), {
      clientId: client.client_id,
      clientSecret: client.client_secret,
      scope,
      ...(authorizationDetails ? { authorizationDetails } : {}),
      store: this.config.tokenStore(key),
    });
  }

  /** The authorization-code session `cds authorize` stored. */
  async session(clientId?: string): Promise<RefreshingTokens> {
    const discovery = await this.discovery();
    const { key, entry: server } = await this.entry();
    const id = clientId ?? server.app;
    const client = id ? server.clients[id] : undefined;
    const tokenKey = `authorization_code ${id}`;
    if (!client || !server.tokens[tokenKey]) throw new UsageError("--client-id", "no customer authorization is stored for this Server; run `cds authorize` first");
    return new RefreshingTokens(oauthContext(discovery), { clientId: client.client_id, clientSecret: client.client_secret, key: tokenKey, store: this.config.tokenStore(key) });
  }

  async api(tokens: AccessTokenSource): Promise<CdsApi> {
    return new CdsApi(await this.discovery(), { tokens });
  }
}
