export { ConfigError, defaultIssuerUrl, defaultPostgresLimits, defaults, type PostgresLimits, fromEnvironment, parseConfig, type ConfigIssue, type DatabaseConfig, type LogLevel, type RawSettings, type ServerConfig } from "./config.js";
export { describeSetting, settings, type SettingKey } from "./settings.js";
