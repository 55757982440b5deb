// Starts the project's Asterisk (provisioning it on first use) unless AMI_HOST names another one.
// Plain JavaScript: Jest runs global setup outside its module mapper.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function globalSetup() {
  // Where every e2e client's log lines go for the secrets audit of global teardown.
  process.env.AMI_E2E_LOG_DIR = mkdtempSync(join(tmpdir(), 'nestjs-ami-e2e-logs-'));
  if (process.env.AMI_HOST !== undefined) return;
  const script = fileURLToPath(new URL('../../../scripts/asterisk.sh', import.meta.url));
  execFileSync('bash', [script, 'start'], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 600_000 });
}
