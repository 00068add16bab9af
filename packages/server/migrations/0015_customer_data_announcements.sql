-- Every change that can alter what a Customer Data listing shows is announced on `cds_token_changes`, so each
-- instance's in-memory listing caches (src/customer-data/listing-cache.ts) drop what they hold the moment the change
-- commits, whichever instance or writer made it: 'g:<client_id>' (a Grant of the Client added, changed or removed:
-- status, scopes, authorization details, selection, dates) and 'd:<customer>' (a Customer Data object owned by the
-- customer added, changed or removed; one notice per owner, old and new). A table emptied announces '*'.
-- Statement-level with transition tables: a batch of a thousand segments of one customer announces once.
CREATE FUNCTION "cds_announce_grant_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM pg_notify('cds_token_changes', '*');
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    PERFORM pg_notify('cds_token_changes', 'g:' || OLD.client_id);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM pg_notify('cds_token_changes', 'g:' || NEW.client_id);
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "grants_announce" AFTER INSERT OR UPDATE OR DELETE ON "grants" FOR EACH ROW EXECUTE FUNCTION "cds_announce_grant_change"();--> statement-breakpoint
CREATE TRIGGER "grants_announce_truncate" AFTER TRUNCATE ON "grants" FOR EACH STATEMENT EXECUTE FUNCTION "cds_announce_grant_change"();--> statement-breakpoint
CREATE FUNCTION "cds_announce_customer_data_change"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  owner text;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM pg_notify('cds_token_changes', '*');
  ELSIF TG_OP = 'INSERT' THEN
    FOR owner IN SELECT DISTINCT unnest(owners) FROM new_rows LOOP
      PERFORM pg_notify('cds_token_changes', 'd:' || owner);
    END LOOP;
  ELSIF TG_OP = 'UPDATE' THEN
    FOR owner IN SELECT DISTINCT o FROM (SELECT unnest(owners) AS o FROM new_rows UNION SELECT unnest(owners) FROM old_rows) AS u LOOP
      PERFORM pg_notify('cds_token_changes', 'd:' || owner);
    END LOOP;
  ELSE
    FOR owner IN SELECT DISTINCT unnest(owners) FROM old_rows LOOP
      PERFORM pg_notify('cds_token_changes', 'd:' || owner);
    END LOOP;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "customer_data_objects_announce_insert" AFTER INSERT ON "customer_data_objects" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "cds_announce_customer_data_change"();--> statement-breakpoint
CREATE TRIGGER "customer_data_objects_announce_update" AFTER UPDATE ON "customer_data_objects" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "cds_announce_customer_data_change"();--> statement-breakpoint
CREATE TRIGGER "customer_data_objects_announce_delete" AFTER DELETE ON "customer_data_objects" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "cds_announce_customer_data_change"();--> statement-breakpoint
CREATE TRIGGER "customer_data_objects_announce_truncate" AFTER TRUNCATE ON "customer_data_objects" FOR EACH STATEMENT EXECUTE FUNCTION "cds_announce_customer_data_change"();
