import { AmiClient } from '../../client/ami-client.js';
import { AmiConnectionError } from '../../errors/ami-errors.js';
import type { AmiEvent } from '../../protocol/ami-message.js';
import { type CliFlags, parseInteger } from '../args.js';
import type { CliIo } from '../cli-io.js';
import { connectionFromFlags } from '../connection-options.js';
import { eventClasses } from '../event-classes.js';
import { EventFile } from '../event-file.js';
import { eventNameFilter, splitPatterns } from '../event-patterns.js';
import { ExitCode, errorLine, exitCodeFor } from '../exit-codes.js';
import { formatEventJson, formatEventLine } from '../format-event.js';

/**
 * `watch`: prints events as they arrive until Ctrl-C, SIGTERM or `--count`; then logs off and exits 0.
 * A lost connection is re-established; exits 3 when that is given up (e.g. the login is now refused).
 */
export async function watchCommand(flags: CliFlags, positionals: string[], io: CliIo): Promise<ExitCode> {
  const shown = eventNameFilter(splitPatterns(positionals), splitPatterns(flags.exclude ?? [], '--exclude'));
  const limit =
    flags.count === undefined ? Number.POSITIVE_INFINITY : parseInteger(flags.count, '--count', 1);
  const events = eventClasses(flags.events);
  const connection = connectionFromFlags(flags, io.env, io.readFile);
  const { host, port, secret } = connection.options;
  const file = flags.out === undefined ? null : EventFile.open(flags.out);
  for (const warning of connection.warnings) io.err(`nestjs-ami: ${warning}`);
  const client = new AmiClient({ ...connection.options, events, reconnect: true, keepAlive: true });

  return new Promise<ExitCode>((resolve) => {
    let printed = 0;
    let loggedIn = false;
    let stopping = false;
    let lastError: Error | undefined;

    const finish = async (code: ExitCode, error?: unknown) => {
      if (stopping) return;
      stopping = true;
      if (error !== undefined) io.err(errorLine(error, [secret]));
      await client.disconnect();
      file?.close();
      removeStopHandler();
      resolve(code);
    };
    const removeStopHandler = io.onStop(() => {
      // A second Ctrl-C while logging off closes at once.
      if (stopping) client.destroy();
      else void finish(ExitCode.ok);
    });

    const onEvent = (event: AmiEvent) => {
      const receivedAt = new Date();
      const json = file !== null || flags.json ? formatEventJson(event, receivedAt) : '';
      try {
        file?.append(json);
      } catch (error) {
        void finish(ExitCode.actionError, new Error(`writing --out file: ${(error as Error).message}`));
        return;
      }
      if (stopping || !shown(event.Event)) return;
      io.out(flags.json ? json : formatEventLine(event, receivedAt));
      printed += 1;
      if (printed >= limit) void finish(ExitCode.ok);
    };

    client.onEvent('*', onEvent);
    client.on('error', (error) => {
      lastError = error;
    });
    client.on('login', () => {
      io.err(
        loggedIn
          ? 'nestjs-ami: reconnected'
          : `nestjs-ami: connected to ${host}:${port}, watching events (Ctrl-C to stop)`,
      );
      loggedIn = true;
    });
    client.on('disconnect', ({ reason, willReconnect }) => {
      if (!stopping && willReconnect) io.err(`nestjs-ami: connection lost (${reason}); reconnecting`);
    });
    client.on('stateChange', (state) => {
      // After the first login, "disconnected" without our asking means reconnection was given up.
      if (state !== 'disconnected' || !loggedIn || stopping) return;
      void finish(ExitCode.connection, lastError ?? new AmiConnectionError('the connection was lost'));
    });
    client.connect().catch((error: unknown) => finish(exitCodeFor(error), error));
  });
}
