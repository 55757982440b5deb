// Starts the project's Asterisk (provisioning it on first use) unless AMI_HOST names another one.
// Plain JavaScript: Jest runs global setup outside its module mapper.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function globalSetup() {
  if (process.env.AMI_HOST !== undefined) return;
  const script = fileURLToPath(new URL('../../../scripts/asterisk.sh', import.meta.url));
  execFileSync('bash', [script, 'start'], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 600_000 });
}
