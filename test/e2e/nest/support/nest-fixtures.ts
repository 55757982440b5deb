import { ConfigModule, ConfigService } from '@nestjs/config';
import { AmiModule, type AmiModuleOptions, type AmiService } from '../../../../lib/nest/index.js';
import type { AmiEvent } from '../../../../lib/protocol/ami-message.js';
import { asterisk, cli } from '../../support/asterisk-target.js';
import { auditedLogging } from '../../support/log-audit.js';

/** What a deployed app would read from its environment, for ConfigModule's `load`. */
export const amiEnvironment =
  (overrides: Record<string, string> = {}) =>
  () => ({
    AMI_HOST: asterisk.host,
    AMI_PORT: String(asterisk.port),
    AMI_USERNAME: asterisk.username,
    AMI_SECRET: asterisk.secret,
    AMI_READER_USERNAME: asterisk.reader.username,
    AMI_READER_SECRET: asterisk.reader.secret,
    ...overrides,
  });

/**
 * The imports of an app configured the way a deployed one is: ConfigModule loads the rig's environment
 * (`environment` overrides it), and AmiModule.forRootAsync builds its options from ConfigService,
 * with `options` on top.
 */
export function amiFromConfig(
  options: Partial<AmiModuleOptions> = {},
  environment: Record<string, string> = {},
) {
  return [
    ConfigModule.forRoot({ ignoreEnvFile: true, load: [amiEnvironment(environment)] }),
    AmiModule.forRootAsync({
      imports: [ConfigModule],
      inject: [ConfigService],
      useFactory: (config: ConfigService): AmiModuleOptions => ({
        host: config.getOrThrow('AMI_HOST'),
        port: Number(config.getOrThrow('AMI_PORT')),
        username: config.getOrThrow('AMI_USERNAME'),
        secret: config.getOrThrow('AMI_SECRET'),
        ...auditedLogging(),
        keepAlive: false,
        ...options,
      }),
    }),
  ];
}

/** Polls `condition` until it holds; rejects with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Sessions Asterisk lists for a manager user. */
export async function sessionsOf(username: string): Promise<number> {
  const output = await cli('manager show connected');
  return output.split('\n').filter((line) => line.trim().startsWith(`${username} `)).length;
}

/**
 * A short real call on Local channels: `Local/100@test` answers, waits 1 s and hangs up with cause 16;
 * its other half runs `answer@test`. Resolves with the base name shared by both halves (`...;1`, `...;2`).
 */
export async function shortCall(ami: AmiService): Promise<string> {
  const response = await ami.originate({
    Channel: 'Local/100@test',
    Context: 'test',
    Exten: 'answer',
    Priority: 1,
  });
  return String(response.Channel).replace(/;\d$/, '');
}

/** The Hangup events of one call among those recorded. */
export const hangupsOf = (events: readonly AmiEvent[], base: string) =>
  events.filter((event) => event.Event === 'Hangup' && String(event.Channel).startsWith(`${base};`));
