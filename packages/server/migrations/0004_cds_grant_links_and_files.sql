CREATE TABLE "server_provided_files" (
	"id" text PRIMARY KEY NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"modified_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"mime_type" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"content" "bytea" NOT NULL
);
--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "account_id" text;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "oidc_grant_id" text;--> statement-breakpoint
CREATE INDEX "server_provided_files_listing_order" ON "server_provided_files" USING btree ("modified_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "grants_oidc_grant_id" ON "grants" USING btree ("oidc_grant_id");