CREATE TABLE "messages" (
	"id" text PRIMARY KEY NOT NULL,
	"registration_id" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"modified_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"previous_id" text,
	"type" text NOT NULL,
	"read" boolean NOT NULL,
	"creator" text,
	"status" text NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"updates_requested" jsonb,
	"grants_requested" jsonb,
	"attachments" jsonb,
	"related_uri" text,
	"related_type" text
);
--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "messages_listing_order" ON "messages" USING btree ("registration_id","modified_at" DESC NULLS LAST,"id" DESC NULLS LAST);