// The sample app started by `npm start` in a fresh clone, pointed at the target, driven over HTTP, then
// stopped the way a process manager or a container runtime stops it: one signal to the process
// `npm start` started, which is npm itself (it runs `sh -c "npm run build && ... && exec node ..."`).
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { amiEnvironment } from './asterisk-target.mjs';
import { CommandError, childEnvironment, run, start, waitForOutput } from './processes.mjs';

/** How long a signalled `npm start` may take to close the app and exit. */
const STOP_BOUND_MS = 30_000;
const script = fileURLToPath(new URL('../../../scripts/asterisk.sh', import.meta.url));

/** Sessions of `username` that Asterisk lists; undefined when its CLI is not ours to read (AMI_HOST). */
async function sessionsOf(target) {
  if (!target.managed) return undefined;
  const output = await run('bash', [script, 'rx', 'manager show connected'], {
    env: childEnvironment(),
    timeoutMs: 30_000,
  });
  return output.split('\n').filter((line) => line.trim().startsWith(`${target.username} `)).length;
}

/** Resolves true when nothing accepts connections on `port` of `host` any more. */
function portIsFree(host, port) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error) => resolve(error.code === 'ECONNREFUSED'));
  });
}

async function placeCall(url, handle) {
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
}

/**
 * `npm start` in `clone`; once it listens (and, with `call`, has placed and logged a call), sends
 * `signal` to the npm process. It must exit 0, log off (the app says so and Asterisk no longer lists
 * the session) and leave nothing listening on its HTTP port.
 */
export async function checkNpmStart(clone, target, { signal, call = false }) {
  const before = await sessionsOf(target);
  const handle = start('npm', ['start'], {
    cwd: clone,
    env: childEnvironment({ ...amiEnvironment(target), PORT: '0', NO_COLOR: '1' }),
    timeoutMs: 300_000,
  });
  let failure;
  let address;
  try {
    const [, url, host, port] = await waitForOutput(
      handle,
      /Listening on (http:\/\/([^\s:]+):(\d+)):/,
      240_000,
    );
    address = { host, port: Number(port) };
    await waitForOutput(handle, /AMI logged in to /, 30_000);
    const health = await fetch(`${url}/health`);
    if (health.status !== 200) throw new CommandError(`GET /health: ${health.status}`, handle.output);
    if (call) await placeCall(url, handle);
  } catch (error) {
    failure = error;
  }
  handle.child.kill(signal);
  // 'close' waits for the output pipes too: an orphan still holding them keeps it from coming.
  let bound;
  const stopped = await Promise.race([
    handle.exit,
    new Promise((resolve) => {
      bound = setTimeout(resolve, STOP_BOUND_MS, null);
    }),
  ]);
  clearTimeout(bound);
  if (failure !== undefined) throw failure;
  if (stopped === null) {
    const orphan = address !== undefined && !(await portIsFree(address.host, address.port));
    throw new CommandError(
      `npm start and its output did not end within ${STOP_BOUND_MS} ms after ${signal}${
        orphan ? `; something still listens on port ${address.port}: the app was orphaned` : ''
      }`,
      handle.output,
    );
  }
  const { code, signal: killedBy } = stopped;
  if (handle.timedOut) throw new CommandError(`npm start did not stop after ${signal}`, handle.output);
  if (code !== 0)
    throw new CommandError(`npm start exited with ${code ?? killedBy} after ${signal}`, handle.output);
  await waitForOutput(handle, /AMI disconnected from .* \(logoff\)/, 1_000);
  if (!(await portIsFree(address.host, address.port))) {
    throw new CommandError(
      `port ${address.port} still accepts connections after npm start exited`,
      handle.output,
    );
  }
  if (before !== undefined) {
    let sessions = await sessionsOf(target);
    for (let tries = 0; sessions !== before && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      sessions = await sessionsOf(target);
    }
    if (sessions !== before) {
      throw new CommandError(
        `Asterisk lists ${sessions} sessions of ${target.username}, ${before} before`,
        handle.output,
      );
    }
  }
  return handle.output;
}
