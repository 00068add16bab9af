CREATE TABLE "grants" (
	"id" text PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"modified_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"not_before" timestamp (3) with time zone,
	"not_after" timestamp (3) with time zone,
	"eta" timestamp (3) with time zone,
	"expires" timestamp (3) with time zone,
	"status" text NOT NULL,
	"scope" text NOT NULL,
	"authorization_details" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"receipt_confirmations" text[] DEFAULT '{}' NOT NULL,
	"enabled_scope" text NOT NULL,
	"enabled_authorization_details" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"parent" text,
	"replacing" text[] DEFAULT '{}' NOT NULL,
	"replaced_by" text[] DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_client_id_oauth_clients_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."oauth_clients"("client_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_parent_grants_id_fk" FOREIGN KEY ("parent") REFERENCES "public"."grants"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "grants_listing_order" ON "grants" USING btree ("modified_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "grants_client_id" ON "grants" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "grants_parent" ON "grants" USING btree ("parent");