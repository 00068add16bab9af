/**
 * The CLI's per-user file: the Servers used, their Client credentials and
 * tokens. Written with mode 0600 in a 0700 directory, replaced atomically, and
 * never printed; a file others can read is narrowed back to 0600 with a warning.
 */
import { chmod, mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import type { StoredTokens, TokenStore } from "../oauth/token-store.js";

export interface StoredClient {
  client_id: string;
  client_secret: string;
  scope?: string;
  redirect_uri?: string;
}

export interface ServerEntry {
  /** Client Objects by id; `admin` names the `cds_client_admin` one. */
  clients: Record<string, StoredClient>;
  admin?: string;
  /** The Client Object used for the authorization-code flow. */
  app?: string;
  tokens: Record<string, StoredTokens>;
}

export interface CliConfig {
  current?: string;
  servers: Record<string, ServerEntry>;
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CDS_CONFIG) return env.CDS_CONFIG;
  const base = env.XDG_CONFIG_HOME || path.join(homedir(), ".config");
  return path.join(base, "cds", "config.json");
}

export class ConfigFile {
  readonly path: string;
  #warn: (line: string) => void;
  constructor(file: string, warn: (line: string) => void) {
    this.path = file;
    this.#warn = warn;
  }

  async read(): Promise<CliConfig> {
    let text: string;
    try {
      const info = await stat(this.path);
      if ((info.mode & 0o077) !== 0) {
        this.#warn(`${this.path}: readable by others (mode ${(info.mode & 0o777).toString(8)}); narrowing it to 0600`);
        await chmod(this.path, 0o600);
      }
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { servers: {} };
      throw error;
    }
    const parsed = JSON.parse(text) as CliConfig;
    return { ...parsed, servers: parsed.servers ?? {} };
  }

  async write(config: CliConfig): Promise<void> {
    await mkdir(path.dirname(this.path), { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, this.path);
  }

  async update(change: (config: CliConfig) => void): Promise<CliConfig> {
    const config = await this.read();
    change(config);
    await this.write(config);
    return config;
  }

  /** The tokens of one Server, as a TokenStore the SDK's token sources use. */
  tokenStore(server: string): TokenStore {
    return {
      load: async (key) => (await this.read()).servers[server]?.tokens[key],
      save: async (key, tokens) => {
        await this.update((c) => {
          entry(c, server).tokens[key] = tokens;
        });
      },
      delete: async (key) => {
        await this.update((c) => {
          delete entry(c, server).tokens[key];
        });
      },
    };
  }
}

export function entry(config: CliConfig, server: string): ServerEntry {
  config.servers[server] ??= { clients: {}, tokens: {} };
  return config.servers[server];
}
