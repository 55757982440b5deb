import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { CallCheck } from './call-check.js';
import { checkSubpathEntries } from './subpath-entries.js';

const log = (line: string) => console.log(`consumer: ${line}`);

// A throwaway consumer of the packed nestjs-ami: boot, receive a real Hangup, send an action, close.
// It must end on its own: anything left open (socket, timer) keeps it alive and the check fails.
async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
  const check = app.get(CallCheck);
  await check.run(log);
  await app.close();
  log(`closed, connected=${check.connected}`);
  await checkSubpathEntries(log);
}

main().catch((error: unknown) => {
  console.error('consumer: failed:', error);
  process.exitCode = 1;
});
