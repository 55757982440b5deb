import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import type { AmiClientOptions } from '../client/ami-client.types.js';
import { type CliFlags, parseInteger, parseSeconds } from './args.js';
import { CliUsageError } from './usage-error.js';

/** What the connection flags and variables resolve to, before the command adds its own settings. */
export interface CliConnection {
  options: AmiClientOptions & { host: string; port: number };
  /** Warnings for stderr (never containing the secret). */
  warnings: string[];
}

export const DEFAULT_TIMEOUT_MS = 10_000;

type ReadFile = (path: string) => Buffer;

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['', '0', 'false', 'no', 'off']);

/**
 * Host, port, credentials, TLS and login mode from the flags, else from AMI_HOST, AMI_PORT,
 * AMI_USERNAME, AMI_SECRET, AMI_TLS, AMI_CA, AMI_MD5. A flag wins over its variable.
 */
export function connectionFromFlags(
  flags: CliFlags,
  env: Readonly<Record<string, string | undefined>>,
  readFile: ReadFile,
): CliConnection {
  const warnings: string[] = [];
  const usage = (message: string) => new CliUsageError(message);

  const username = flags.username ?? env.AMI_USERNAME;
  if (username === undefined || username === '')
    throw usage('no username: set AMI_USERNAME or pass --username');
  if (flags.secret !== undefined) {
    warnings.push('warning: --secret can be read from the process list and shell history; prefer AMI_SECRET');
  }
  const secret = flags.secret ?? env.AMI_SECRET;
  if (secret === undefined || secret === '') throw usage('no secret: set AMI_SECRET (or pass --secret)');

  const tlsWanted = flags.tls === true || booleanVariable(env, 'AMI_TLS', usage);
  const caFile = flags.ca ?? nonEmpty(env.AMI_CA);
  if (!tlsWanted && caFile !== undefined) throw usage('--ca (or AMI_CA) needs --tls (or AMI_TLS=1)');
  if (!tlsWanted && flags.insecure) throw usage('--insecure needs --tls');
  const tls: TlsConnectionOptions = {};
  if (caFile !== undefined) tls.ca = readCertificate(readFile, caFile, usage);
  if (flags.insecure) {
    tls.rejectUnauthorized = false;
    warnings.push("warning: --insecure: the server's certificate is not verified");
  }

  const portText = flags.port ?? nonEmpty(env.AMI_PORT);
  const port =
    portText === undefined
      ? tlsWanted
        ? 5039
        : 5038
      : parseInteger(portText, flags.port === undefined ? 'AMI_PORT' : '--port', 1, 65_535);
  const host = flags.host ?? nonEmpty(env.AMI_HOST) ?? '127.0.0.1';
  const timeout = flags.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseSeconds(flags.timeout, '--timeout');
  const md5 = flags.md5 === true || booleanVariable(env, 'AMI_MD5', usage);

  return {
    options: {
      host,
      port,
      username,
      secret,
      auth: md5 ? 'md5' : 'plain',
      tls: tlsWanted ? tls : false,
      connectTimeout: timeout,
      loginTimeout: timeout,
      actionTimeout: timeout,
      actionIdPrefix: 'cli-',
    },
    warnings,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function booleanVariable(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  usage: (message: string) => Error,
): boolean {
  const value = env[name]?.trim().toLowerCase();
  if (value === undefined || FALSE.has(value)) return false;
  if (TRUE.has(value)) return true;
  throw usage(`${name} must be 1/true/yes or 0/false/no`);
}

function readCertificate(readFile: ReadFile, path: string, usage: (message: string) => Error): Buffer {
  try {
    return readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw usage(`cannot read the CA file "${path}"${code ? ` (${code})` : ''}`);
  }
}
