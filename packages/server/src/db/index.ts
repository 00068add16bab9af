export { allTables, migrationsFolder, openDatabase, truncateAll, type Database, type Db } from "./database.js";
export * as schema from "./schema.js";
