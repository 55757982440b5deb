import { type INestApplication, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { AmiCallTracker } from '../../../lib/client.js';
import { AmiModule, AmiService, getAmiCallsToken, InjectAmiCalls } from '../../../lib/nest/index.js';
import { credentials } from '../support/asterisk-target.js';
import { localCall, progressKinds } from './support/tracked.js';

@Injectable()
class Dialer {
  constructor(
    @InjectAmiCalls() readonly calls: AmiCallTracker,
    @InjectAmiCalls('second') readonly secondCalls: AmiCallTracker,
  ) {}
}

// Every connection of an AmiModule has its call tracker, fed by the connection's events.
describe('call tracking in Nest', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const options = { ...credentials(), keepAlive: false };
    const moduleRef = await Test.createTestingModule({
      imports: [
        AmiModule.forRoot(options),
        AmiModule.forRoot({ ...options, name: 'second', calls: { trackAll: true } }),
      ],
      providers: [Dialer],
    }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
  }, 30_000);
  afterAll(() => app?.close());

  it('injects one tracker per connection, the same as AmiService.calls', () => {
    const dialer = app.get(Dialer);
    expect(dialer.calls).toBe(app.get(AmiService).calls);
    expect(dialer.secondCalls).toBe(app.get(getAmiCallsToken('second')));
    expect(dialer.secondCalls).not.toBe(dialer.calls);
  });

  it('originates through the injected tracker and reports the outcome; trackAll on the other connection sees it too', async () => {
    const dialer = app.get(Dialer);
    const seenBySecond = new Promise((resolve) => {
      const subscription = dialer.secondCalls.finished$.subscribe((summary) => {
        if (summary.uniqueid !== call.uniqueid) return;
        subscription.unsubscribe();
        resolve(summary);
      });
    });
    const call = dialer.calls.originate(localCall('busy'));
    const summary = await call.finished;
    expect(summary).toMatchObject({ outcome: 'busy', cause: '17', causeTxt: 'User busy' });
    expect(await progressKinds(call)).toEqual(['dialing', 'busy', 'hangup']);
    expect(await seenBySecond).toMatchObject({ uniqueid: call.uniqueid, outcome: 'busy', cause: '17' });
  }, 20_000);

  it('rejects the calls still tracked when the application closes', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [AmiModule.forRoot({ ...credentials(), keepAlive: false })],
    }).compile();
    const other = moduleRef.createNestApplication();
    await other.init();
    const tracker = other.get(AmiService).calls as AmiCallTracker;
    const call = tracker.originate(localCall('talk', { Variable: 'CALL_SECONDS=5' }));
    await new Promise<void>((resolve) => call.progress$.subscribe((p) => p.kind === 'answered' && resolve()));
    await other.close();
    await expect(call.finished).rejects.toMatchObject({ name: 'AmiCallTrackerStoppedError' });
  }, 20_000);
});
