-- Every change to the Client Objects of a registration, inserts included, is announced on `cds_token_changes` as
-- 'r:<registration_id>', so each instance's in-memory Clients listings (src/routes/clients.ts) drop that
-- registration's pages the moment the change commits. Migration 0009's notices cover only updates and deletes
-- (enough for tokens); a listing also changes when a Client Object is added. TRUNCATE is announced by 0009 ('*').
CREATE FUNCTION "cds_announce_registration_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.registration_id IS NOT NULL THEN
    PERFORM pg_notify('cds_token_changes', 'r:' || OLD.registration_id);
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.registration_id IS NOT NULL THEN
    PERFORM pg_notify('cds_token_changes', 'r:' || NEW.registration_id);
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "oauth_clients_announce_registration" AFTER INSERT OR UPDATE OR DELETE ON "oauth_clients" FOR EACH ROW EXECUTE FUNCTION "cds_announce_registration_change"();
