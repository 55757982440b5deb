import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../../../sample/app.module.js';
import { RecordingNestLogger } from './recording-nest-logger.js';

/** The variables the sample reads; the ones not given are unset while it boots. */
const SAMPLE_VARIABLES = [
  'AMI_HOST',
  'AMI_PORT',
  'AMI_USERNAME',
  'AMI_SECRET',
  'HOST',
  'PORT',
  'SIMULATOR_CALL_SECONDS',
  'CALL_LOG_SIZE',
  'REDIS_URL',
  'AMI_CLUSTER_GROUP',
];

export interface HttpAnswer<T = unknown> {
  status: number;
  body: T;
}

export interface RunningSample {
  app: INestApplication;
  logger: RecordingNestLogger;
  get<T = unknown>(path: string): Promise<HttpAnswer<T>>;
  post<T = unknown>(path: string, body: unknown): Promise<HttpAnswer<T>>;
  close(): Promise<void>;
}

/** Boots the sample app as main.ts does, with exactly these environment variables, on a free port. */
export async function startSample(environment: Record<string, string> = {}): Promise<RunningSample> {
  const saved = new Map(SAMPLE_VARIABLES.map((name) => [name, process.env[name]]));
  for (const name of SAMPLE_VARIABLES) delete process.env[name];
  Object.assign(process.env, environment);
  const logger = new RecordingNestLogger();
  let app: INestApplication;
  try {
    app = await NestFactory.create(AppModule, { logger });
    await app.listen(0, '127.0.0.1');
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  const url = await app.getUrl();
  const call = async <T>(method: string, path: string, body?: unknown): Promise<HttpAnswer<T>> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  return {
    app,
    logger,
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
    close: () => app.close(),
  };
}

/** Polls `probe` until it returns a value other than undefined; rejects with `what` after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
