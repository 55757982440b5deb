import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { httpHost, httpPort } from './config/sample-config.js';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  // SIGINT/SIGTERM close the app: handlers finish, the AMI connection logs off.
  app.enableShutdownHooks();
  const config = app.get(ConfigService);
  await app.listen(httpPort(config), httpHost(config));
  new Logger('Sample').log(
    `Listening on ${await app.getUrl()}: POST /calls, GET /calls, GET /channels, GET /health`,
  );
}

bootstrap().catch((error: unknown) => {
  new Logger('Sample').error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
