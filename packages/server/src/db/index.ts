export { allTables, migrationsFolder, openDatabase, truncateAll, type Database, type Db, type OpenOptions } from "./database.js";
export * as schema from "./schema.js";
