import { type INestApplicationContext, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AmiTesting, AmiTestingModule, OnAmiEvent } from '../../../lib/nest/index.js';
import type { AmiEvent } from '../../../lib/protocol/ami-message.js';

/** A logger that fails on every call, as one whose transport is down can. */
class BrokenLogger {
  calls = 0;
  log(): never {
    return this.fail();
  }
  warn(): never {
    return this.fail();
  }
  error(): never {
    return this.fail();
  }
  private fail(): never {
    this.calls += 1;
    throw new Error('log transport down');
  }
}

@Injectable()
class Handlers {
  readonly seen: string[] = [];

  @OnAmiEvent('Hangup')
  fails(): never {
    throw new Error('handler failure');
  }

  @OnAmiEvent('Hangup')
  async rejects(): Promise<void> {
    await Promise.resolve();
    throw new Error('async handler failure');
  }

  @OnAmiEvent('Hangup')
  records(event: AmiEvent): void {
    this.seen.push(String(event.Channel));
  }
}

describe('a Nest logger that throws', () => {
  let app: INestApplicationContext;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });

  afterEach(async () => {
    process.off('unhandledRejection', onUnhandled);
    await app?.close();
  });

  it('loses its lines only: failing handlers are still isolated and no rejection escapes', async () => {
    const logger = new BrokenLogger();
    const moduleRef = await Test.createTestingModule({
      imports: [AmiTestingModule.forRoot({ logger })],
      providers: [Handlers],
    }).compile();
    app = await moduleRef.init();
    const ami = AmiTesting.get(app);

    await ami.emit({ Event: 'Hangup', Channel: 'PJSIP/alice-1' });
    await ami.emit({ Event: 'Hangup', Channel: 'PJSIP/alice-2' });
    // Rejections are reported after the microtasks that settle them: a macrotask later they are all in.
    await new Promise((done) => setImmediate(done));

    expect(app.get(Handlers).seen).toEqual(['PJSIP/alice-1', 'PJSIP/alice-2']);
    expect(logger.calls).toBeGreaterThanOrEqual(4);
    expect(unhandled).toEqual([]);
  });
});
