CREATE TABLE "customer_data_objects" (
	"kind" text NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"owners" text[] NOT NULL,
	"order_key" text COLLATE "C" NOT NULL,
	"range_start" text COLLATE "C",
	"range_end" text COLLATE "C",
	"filter_keys" text[] NOT NULL,
	"search" jsonb NOT NULL,
	"object" jsonb NOT NULL,
	CONSTRAINT "customer_data_objects_kind_id_pk" PRIMARY KEY("kind","id")
);
--> statement-breakpoint
CREATE INDEX "customer_data_objects_order" ON "customer_data_objects" USING btree ("kind","order_key","id");--> statement-breakpoint
CREATE INDEX "customer_data_objects_owners" ON "customer_data_objects" USING gin ("owners");--> statement-breakpoint
CREATE INDEX "customer_data_objects_filter_keys" ON "customer_data_objects" USING gin ("filter_keys");--> statement-breakpoint
CREATE INDEX "customer_data_objects_range_start" ON "customer_data_objects" USING btree ("kind","range_start");--> statement-breakpoint
CREATE INDEX "customer_data_objects_range_end" ON "customer_data_objects" USING btree ("kind","range_end");