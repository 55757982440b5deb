// The secrets audit of the e2e run: every client logged every level with frame tracing into
// AMI_E2E_LOG_DIR (see log-audit.ts); no line may carry a secret. Plain JavaScript, like global setup.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const SECRETS = [
  process.env.AMI_SECRET ?? 'nestjs-ami-secret',
  process.env.AMI_READER_SECRET ?? 'reader-secret',
].filter((secret) => secret.length >= 6);

export default function globalTeardown() {
  const directory = process.env.AMI_E2E_LOG_DIR;
  if (directory === undefined) return;
  try {
    const lines = readdirSync(directory).flatMap((name) =>
      readFileSync(join(directory, name), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line, index) => ({ where: `${name}:${index + 1}`, line })),
    );
    const traced = lines.filter(({ line }) => line.includes('"Action":"Login"')).length;
    if (traced === 0)
      throw new Error('secrets audit: no Login frame was logged, so the audit proved nothing');
    const leaks = lines.filter(({ line }) => SECRETS.some((secret) => line.includes(secret)));
    if (leaks.length > 0) {
      throw new Error(
        `secrets audit: a secret appears in ${leaks.length} log lines: ${leaks.map((l) => l.where).join(', ')}`,
      );
    }
    console.log(`secrets audit: ${lines.length} log lines (${traced} Login frames traced), no secret found`);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
