-- A Grant's sync_until (CDS-WG3-01 §7.3.1) bounds objects by cds_created: kept as a column, so the bound is an index range.
ALTER TABLE "customer_data_objects" ADD COLUMN "created_at" timestamp with time zone;--> statement-breakpoint
UPDATE "customer_data_objects" SET "created_at" = ("object"->>'cds_created')::timestamptz;--> statement-breakpoint
CREATE INDEX "customer_data_objects_created_at" ON "customer_data_objects" USING btree ("kind","created_at");
