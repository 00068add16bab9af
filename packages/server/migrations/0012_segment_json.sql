-- Usage Segments' JSON, checked when written, as head and cells (src/customer-data/segment-json.ts), and a hash naming the cells: listings copy it instead of reading `object`. Rows written before this stay NULL and are served from `object`.
ALTER TABLE "customer_data_objects" ADD COLUMN "head_json" text;--> statement-breakpoint
ALTER TABLE "customer_data_objects" ADD COLUMN "values_cells" text;--> statement-breakpoint
ALTER TABLE "customer_data_objects" ADD COLUMN "cells_hash" text;