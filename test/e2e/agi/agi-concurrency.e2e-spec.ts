import { jest } from '@jest/globals';
import { agiRig } from './agi-rig.js';

jest.setTimeout(180_000);

// 200 sessions at once (100 FastAGI, 100 AsyncAGI), started in ramps of 20 so a 2-core machine shared with
// other work is not flooded; each handler runs four commands and hangs up.
describe('200 concurrent AGI sessions on the real Asterisk', () => {
  let rig: Awaited<ReturnType<typeof agiRig>>;
  beforeAll(async () => {
    rig = await agiRig();
  });
  afterAll(() => rig.close());

  it('all complete and none leaks', async () => {
    const total = 200;
    let completed = 0;
    let failed = 0;
    let peak = 0;
    let allDone: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => {
      allDone = resolve;
    });
    rig.fast.router.route('load', async (call) => {
      try {
        peak = Math.max(peak, rig.fast.activeSessionCount + rig.asyncAgi.activeSessionCount);
        await call.answer();
        await call.setVariable('LOAD_ID', call.uniqueId);
        expect(await call.getVariable('LOAD_ID')).toBe(call.uniqueId);
        await call.waitForDigit(200);
        completed++;
        await call.hangup();
      } catch (error) {
        failed++;
        throw error;
      } finally {
        if (completed + failed === total) allDone();
      }
    });
    for (let started = 0; started < total; started += 20) {
      await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          rig.call((started + index) % 2 === 0 ? 'fast' : 'async', 'load'),
        ),
      );
    }
    await finished;
    while (rig.fast.activeSessionCount + rig.asyncAgi.activeSessionCount > 0)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect({ completed, failed }).toEqual({ completed: total, failed: 0 });
    expect(rig.fast.activeSessionCount + rig.asyncAgi.activeSessionCount).toBe(0);
    console.log(`AGI load: ${completed} sessions completed, peak ${peak} at once, 0 left`);
  });
});
