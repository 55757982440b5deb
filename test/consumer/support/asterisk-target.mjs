// The Asterisk the consumer apps talk to, read as test/e2e/support/asterisk-target.ts reads it: the
// project's rig (scripts/asterisk.sh, started here) unless AMI_HOST names another one.
import { fileURLToPath } from 'node:url';
import { childEnvironment, run } from './processes.mjs';

const script = fileURLToPath(new URL('../../../scripts/asterisk.sh', import.meta.url));

export function asteriskTarget() {
  const environment = process.env;
  return {
    managed: environment.AMI_HOST === undefined,
    host: environment.AMI_HOST ?? '127.0.0.1',
    port: environment.AMI_PORT ?? environment.ASTERISK_AMI_PORT ?? '5038',
    username: environment.AMI_USERNAME ?? 'nestjs',
    secret: environment.AMI_SECRET ?? 'nestjs-ami-secret',
  };
}

/** Starts the rig (provisioning it on first use) when it is the target; a no-op for AMI_HOST. */
export async function ensureAsterisk(target) {
  if (!target.managed) return;
  await run('bash', [script, 'start'], { env: childEnvironment(), timeoutMs: 600_000 });
}

/** What an app reads to reach the target. */
export const amiEnvironment = (target) => ({
  AMI_HOST: target.host,
  AMI_PORT: String(target.port),
  AMI_USERNAME: target.username,
  AMI_SECRET: target.secret,
});
