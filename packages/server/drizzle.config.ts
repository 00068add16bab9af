// drizzle-kit reads this to write a new SQL migration from src/db/schema.ts
// (`pnpm --filter @cds-toolkit/server db:generate`).
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema.ts",
  out: "./migrations",
});
