import type { ConfigService } from '@nestjs/config';

/** An Asterisk named by the environment (AMI_HOST, AMI_PORT, AMI_USERNAME, AMI_SECRET). */
export interface AsteriskSettings {
  host: string;
  port: number;
  username: string;
  secret: string;
}

/** The Asterisk to connect to, or null when AMI_HOST is not set (the embedded simulator is used). */
export function asteriskFromEnvironment(config: ConfigService): AsteriskSettings | null {
  const host = config.get<string>('AMI_HOST')?.trim();
  if (!host) return null;
  return {
    host,
    port: integerSetting(config, 'AMI_PORT', 5038, 1, 65_535),
    username: requiredSetting(config, 'AMI_USERNAME'),
    secret: requiredSetting(config, 'AMI_SECRET'),
  };
}

/** Cluster mode's settings (REDIS_URL, AMI_CLUSTER_GROUP), or null when REDIS_URL is not set. */
export interface ClusterSettings {
  redis: string;
  group: string;
}

/** Several replicas share the PBX's events through this Redis when REDIS_URL is set; else one process. */
export function clusterFromEnvironment(config: ConfigService): ClusterSettings | null {
  const redis = config.get<string>('REDIS_URL')?.trim();
  if (!redis) return null;
  return { redis, group: config.get<string>('AMI_CLUSTER_GROUP')?.trim() || 'sample' };
}

/** The HTTP interface (HOST, default 127.0.0.1: POST /calls has no authentication). */
export const httpHost = (config: ConfigService) => config.get<string>('HOST')?.trim() || '127.0.0.1';

/** The HTTP port (PORT, default 3000; 0 picks a free one). */
export const httpPort = (config: ConfigService) => integerSetting(config, 'PORT', 3000, 0, 65_535);

/** How long a call placed on the embedded simulator lasts (SIMULATOR_CALL_SECONDS, default 5). */
export const simulatorCallSeconds = (config: ConfigService) =>
  integerSetting(config, 'SIMULATOR_CALL_SECONDS', 5, 1, 3_600);

/** How many finished calls GET /calls keeps (CALL_LOG_SIZE, default 100). */
export const callLogSize = (config: ConfigService) =>
  integerSetting(config, 'CALL_LOG_SIZE', 100, 1, 100_000);

function requiredSetting(config: ConfigService, name: string): string {
  const value = config.get<string>(name);
  if (value === undefined || value === '') {
    throw new Error(`${name} must be set when AMI_HOST is set`);
  }
  return value;
}

function integerSetting(config: ConfigService, name: string, fallback: number, min: number, max: number) {
  const raw = config.get<string>(name);
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}
