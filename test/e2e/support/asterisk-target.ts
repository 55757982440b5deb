import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { auditedLogging } from './log-audit.js';

const run = promisify(execFile);
const script = join(dirname(fileURLToPath(import.meta.url)), '../../../scripts/asterisk.sh');

/**
 * The Asterisk the e2e tests talk to: the project's rig (scripts/asterisk.sh) unless AMI_HOST points at
 * one you run yourself, with AMI_PORT, AMI_USERNAME, AMI_SECRET (and AMI_TLS_PORT for the TLS tests).
 */
export const asterisk = {
  managed: process.env.AMI_HOST === undefined,
  host: process.env.AMI_HOST ?? '127.0.0.1',
  port: Number(process.env.AMI_PORT ?? process.env.ASTERISK_AMI_PORT ?? 5038),
  tlsPort: Number(process.env.AMI_TLS_PORT ?? process.env.ASTERISK_AMI_TLS_PORT ?? 5039),
  username: process.env.AMI_USERNAME ?? 'nestjs',
  secret: process.env.AMI_SECRET ?? 'nestjs-ami-secret',
  /** The read-limited user of test/asterisk/etc/manager.conf. */
  reader: {
    username: process.env.AMI_READER_USERNAME ?? 'reader',
    secret: process.env.AMI_READER_SECRET ?? 'reader-secret',
  },
};

/** Connection options for the test user, with the audited logging every e2e client uses. */
export const credentials = () => ({
  host: asterisk.host,
  port: asterisk.port,
  username: asterisk.username,
  secret: asterisk.secret,
  ...auditedLogging(),
});

/** Runs scripts/asterisk.sh with the given verb (start, stop, restart, rx...). Only for the managed rig. */
export async function rig(...args: string[]): Promise<string> {
  if (!asterisk.managed)
    throw new Error('this test controls Asterisk itself: run it against the project rig');
  const { stdout } = await run('bash', [script, ...args], { timeout: 60_000 });
  return stdout;
}

/** Runs one Asterisk CLI command on the rig and returns its output. */
export const cli = (command: string) => rig('rx', command);

/** The CA that signed the rig's TLS manager certificate. */
export async function rigCertificateAuthority(): Promise<Buffer> {
  const root = (await rig('root')).trim();
  return readFileSync(join(root, 'etc/asterisk/keys/ca.crt'));
}

/** Whether a test that needs to control the PBX (restart, CLI) can run. */
export const itWithRig = asterisk.managed ? it : it.skip;
