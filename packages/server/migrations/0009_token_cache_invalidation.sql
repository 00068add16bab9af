-- Rate limits are counted in each instance's memory (src/http/rate-limit.ts); the shared counter table is gone.
DROP TABLE "rate_limit_counters" CASCADE;--> statement-breakpoint
-- Every change that can end a bearer token's access is announced on the channel `cds_token_changes`, so each
-- instance's token cache (src/oauth/bearer-token.ts) drops what it holds the moment the change commits:
-- 'a:<md5 of the token>' (a token row updated or deleted), 'c:<client_id>' (a Client Object changed),
-- 'k:<credential id>' (a Credential changed) and '*' (a table emptied). Inserts announce nothing: a new row
-- cannot make a cached token stale.
CREATE FUNCTION "cds_announce_token_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM pg_notify('cds_token_changes', '*');
  ELSIF TG_TABLE_NAME = 'oidc_artifacts' THEN
    IF OLD.model IN ('AccessToken', 'ClientCredentials') THEN
      PERFORM pg_notify('cds_token_changes', 'a:' || md5(OLD.id));
    END IF;
  ELSIF TG_TABLE_NAME = 'oauth_clients' THEN
    PERFORM pg_notify('cds_token_changes', 'c:' || OLD.client_id);
  ELSIF TG_TABLE_NAME = 'client_secrets' THEN
    PERFORM pg_notify('cds_token_changes', 'k:' || OLD.id);
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "oidc_artifacts_announce" AFTER UPDATE OR DELETE ON "oidc_artifacts" FOR EACH ROW EXECUTE FUNCTION "cds_announce_token_change"();--> statement-breakpoint
CREATE TRIGGER "oidc_artifacts_announce_truncate" AFTER TRUNCATE ON "oidc_artifacts" FOR EACH STATEMENT EXECUTE FUNCTION "cds_announce_token_change"();--> statement-breakpoint
CREATE TRIGGER "oauth_clients_announce" AFTER UPDATE OR DELETE ON "oauth_clients" FOR EACH ROW EXECUTE FUNCTION "cds_announce_token_change"();--> statement-breakpoint
CREATE TRIGGER "oauth_clients_announce_truncate" AFTER TRUNCATE ON "oauth_clients" FOR EACH STATEMENT EXECUTE FUNCTION "cds_announce_token_change"();--> statement-breakpoint
CREATE TRIGGER "client_secrets_announce" AFTER UPDATE OR DELETE ON "client_secrets" FOR EACH ROW EXECUTE FUNCTION "cds_announce_token_change"();--> statement-breakpoint
CREATE TRIGGER "client_secrets_announce_truncate" AFTER TRUNCATE ON "client_secrets" FOR EACH STATEMENT EXECUTE FUNCTION "cds_announce_token_change"();
