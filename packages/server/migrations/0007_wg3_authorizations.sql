CREATE TABLE "authorization_receipts" (
	"id" text PRIMARY KEY NOT NULL,
	"confirmation" text NOT NULL,
	"grant_id" text NOT NULL,
	"account_id" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"content" jsonb NOT NULL,
	CONSTRAINT "authorization_receipts_confirmation_unique" UNIQUE("confirmation")
);
--> statement-breakpoint
CREATE TABLE "mail_outbox" (
	"id" text PRIMARY KEY NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"to" text NOT NULL,
	"subject" text NOT NULL,
	"text" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "customer_selection" jsonb;--> statement-breakpoint
ALTER TABLE "authorization_receipts" ADD CONSTRAINT "authorization_receipts_grant_id_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."grants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "authorization_receipts_grant_id" ON "authorization_receipts" USING btree ("grant_id");