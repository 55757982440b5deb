import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { httpHost, httpPort } from './config/sample-config.js';

const logger = new Logger('Sample');

/**
 * SIGTERM (a process manager, a container runtime) and SIGINT (Ctrl-C) close the app: handlers finish,
 * the AMI connection logs off, the HTTP port is freed, and the process exits 0 once nothing is left to
 * run. Nest's enableShutdownHooks() would re-raise the signal after closing, so the process (and
 * `npm start` above it) would end "killed by SIGTERM" instead of with a clean 0. A signal that arrives
 * while closing (Ctrl-C reaches both npm, which forwards it, and this process) changes nothing.
 */
function closeOnSignals(app: INestApplication): void {
  let closing = false;
  const close = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal}: closing`);
    app.close().then(
      () => logger.log('Closed'),
      (error: unknown) => {
        logger.error(`Close failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
      },
    );
  };
  process.on('SIGTERM', close);
  process.on('SIGINT', close);
}

async function bootstrap(): Promise<void> {
  // Closing ends the wallboard's event streams, but the browser's keep-alive sockets (and its EventSource
  // reconnecting at once) would hold the HTTP server open for seconds: close them once the app has closed.
  const app = await NestFactory.create(AppModule, { forceCloseConnections: true });
  closeOnSignals(app);
  const config = app.get(ConfigService);
  await app.listen(httpPort(config), httpHost(config));
  logger.log(
    `Listening on ${await app.getUrl()}: GET / (wallboard), POST /calls, GET /calls, GET /channels, GET /health`,
  );
}

bootstrap().catch((error: unknown) => {
  logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
