import { randomBytes } from 'node:crypto';
import type { LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AmiAgiModule } from '../../../lib/nest/agi/index.js';
import { AmiModule } from '../../../lib/nest/index.js';
import { amiOptions } from '../support/cluster-fixture.js';
import { redisTarget } from '../support/redis-server.js';

// A replica's own AMI session is filtered to its ActionIDs in cluster mode, so AsyncAGIStart never reaches
// it: AmiAgiModule must say so at bootstrap rather than leave AGI(agi:async,...) sessions unanswered.

function recordingNestLogger() {
  const warnings: string[] = [];
  const ignore = () => undefined;
  const logger: LoggerService = {
    log: ignore,
    error: ignore,
    debug: ignore,
    verbose: ignore,
    warn: (message: unknown) => {
      warnings.push(String(message));
    },
  };
  return { warnings, logger };
}

async function bootstrap(cluster: boolean) {
  const { warnings, logger } = recordingNestLogger();
  const group = `agi-${randomBytes(4).toString('hex')}`;
  const moduleRef = await Test.createTestingModule({
    imports: [
      AmiModule.forRoot({
        ...amiOptions(),
        ...(cluster ? { cluster: { redis: redisTarget.url, group } } : {}),
      }),
      AmiAgiModule.forRoot({ fastAgi: false }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger });
  await app.init();
  return { app, warnings };
}

const notInCluster = /AsyncAGI is not available in cluster mode/;

describe('AmiAgiModule on a connection in cluster mode', () => {
  it('warns once that AsyncAGI is not served there, and starts it without cluster mode', async () => {
    const clustered = await bootstrap(true);
    try {
      expect(clustered.warnings.filter((line) => notInCluster.test(line))).toHaveLength(1);
    } finally {
      await clustered.app.close();
    }
    const single = await bootstrap(false);
    try {
      expect(single.warnings.filter((line) => notInCluster.test(line))).toEqual([]);
    } finally {
      await single.app.close();
    }
  }, 30_000);
});
