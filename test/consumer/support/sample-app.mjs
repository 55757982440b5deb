// The sample app as `npm start` runs it: compiled against the built package (resolved by its name
// through package.json `exports`), pointed at the target, driven over HTTP, stopped with SIGTERM.
import { amiEnvironment } from './asterisk-target.mjs';
import { CommandError, childEnvironment, run, start, waitForOutput } from './processes.mjs';

/** `npm run build:sample`: what `npm start` runs after building the package. */
export function buildSample(root) {
  return run('npm', ['run', 'build:sample'], { cwd: root, timeoutMs: 180_000 });
}

export async function checkSample(root, target) {
  const handle = start(process.execPath, ['sample/dist/main.js'], {
    cwd: root,
    env: childEnvironment({ ...amiEnvironment(target), PORT: '0', NO_COLOR: '1' }),
    timeoutMs: 90_000,
  });
  let failure;
  try {
    const [, url] = await waitForOutput(handle, /Listening on (http:\/\/[^\s:]+:\d+):/, 30_000);
    const health = await fetch(`${url}/health`);
    if (health.status !== 200) throw new CommandError(`GET /health: ${health.status}`, handle.output);
    const placed = await fetch(`${url}/calls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        channel: 'Local/100@test',
        context: 'test',
        exten: 'answer',
        callerId: 'Consumer <3001>',
      }),
    });
    const call = await placed.json();
    if (placed.status !== 201) {
      throw new CommandError(`POST /calls: ${placed.status} ${JSON.stringify(call)}`, handle.output);
    }
    const logged = new RegExp(
      `Call ${call.uniqueid.replace('.', '\\.')}: 3001 -> 100@test, .* cause 16 Normal Clearing`,
    );
    await waitForOutput(handle, logged, 30_000);
  } catch (error) {
    failure = error;
  }
  handle.child.kill('SIGTERM');
  const { code, signal } = await handle.exit;
  if (failure !== undefined) throw failure;
  if (handle.timedOut) throw new CommandError('the sample did not stop after SIGTERM', handle.output);
  // Nest re-raises the signal once the app is closed: SIGTERM (or 0) is a clean stop.
  if (code !== 0 && signal !== 'SIGTERM') throw new CommandError(`sample exited with ${code}`, handle.output);
  await waitForOutput(handle, /AMI disconnected from .* \(logoff\)/, 1_000);
  return handle.output;
}
