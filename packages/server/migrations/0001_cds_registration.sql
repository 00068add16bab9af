CREATE TABLE "registrations" (
	"id" text PRIMARY KEY NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "client_secrets" ADD COLUMN "modified_at" timestamp (3) with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "oauth_clients" ADD COLUMN "registration_id" text;--> statement-breakpoint
ALTER TABLE "oauth_clients" ADD COLUMN "modified_at" timestamp (3) with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "oauth_clients" ADD COLUMN "status" text DEFAULT 'production' NOT NULL;--> statement-breakpoint
ALTER TABLE "oauth_clients" ADD COLUMN "status_options" text[] DEFAULT '{"production"}' NOT NULL;--> statement-breakpoint
ALTER TABLE "oauth_clients" ADD COLUMN "disabled_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "oauth_clients" ADD COLUMN "registered_scope" text;--> statement-breakpoint
ALTER TABLE "oidc_artifacts" ADD COLUMN "credential_id" text;--> statement-breakpoint
ALTER TABLE "server_metadata" ADD COLUMN "oauth_policy_uri" text;--> statement-breakpoint
ALTER TABLE "server_metadata" ADD COLUMN "oauth_tos_uri" text;--> statement-breakpoint
ALTER TABLE "server_metadata" ADD COLUMN "human_registration_uri" text;--> statement-breakpoint
ALTER TABLE "server_metadata" ADD COLUMN "timezone" text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE "oauth_clients" ADD CONSTRAINT "oauth_clients_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "client_secrets_listing_order" ON "client_secrets" USING btree ("modified_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "oauth_clients_listing_order" ON "oauth_clients" USING btree ("registration_id","modified_at" DESC NULLS LAST,"client_id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "oidc_artifacts_credential_id" ON "oidc_artifacts" USING btree ("credential_id");