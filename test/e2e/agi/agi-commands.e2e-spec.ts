import { jest } from '@jest/globals';
import { type AgiCall, AmiAgiHangupError } from '../../../lib/agi/index.js';
import type { AmiClient } from '../../../lib/client.js';
import { agiRig, deferred, otherLeg } from './agi-rig.js';

jest.setTimeout(60_000);

/** Plays `digit` into the AGI leg until the handler reports it read something (DTMF sent too early is lost). */
async function pressUntil(client: AmiClient, channel: string, digit: string, done: Promise<unknown>) {
  let finished = false;
  void done.finally(() => {
    finished = true;
  });
  while (!finished) {
    await client
      .send({ Action: 'PlayDTMF', Channel: channel, Digit: digit, Duration: '100' })
      .catch(() => undefined);
    await Promise.race([done.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 300))]);
  }
}

describe.each(['fast', 'async'] as const)('AGI on the real Asterisk (%s)', (mode) => {
  let rig: Awaited<ReturnType<typeof agiRig>>;
  beforeAll(async () => {
    rig = await agiRig();
  });
  afterAll(() => rig.close());

  it('reads DTMF, sets a variable, runs an application and hands the channel back to the dialplan', async () => {
    const started = deferred<AgiCall>();
    const read = deferred<string>();
    const finished = deferred<void>();
    const unroute = rig.fast.router.route(`menu-${mode}`, async (call) => {
      await call.answer();
      started.resolve(call);
      const digits = await call.getData('silence/10', { timeout: 5_000, maxDigits: 1 });
      read.resolve(digits);
      await call.setVariable('AGI_READ', digits);
      await call.exec('Set', 'AGI_APP=ran "quoted"');
      await call.verbose('nestjs-ami agi test');
      finished.resolve();
    });
    try {
      await rig.call(mode, `menu-${mode}`, 'first arg');
      const call = await started.promise;
      expect(call.script).toBe(`menu-${mode}`);
      expect(call.arguments).toEqual(['first arg']);
      await pressUntil(rig.client, otherLeg(call), '7', read.promise);
      expect(await read.promise).toBe('7');
      await finished.promise;
      const variable = async (name: string) =>
        (await rig.client.send({ Action: 'Getvar', Channel: call.channel, Variable: name })).Value;
      expect(await variable('AGI_READ')).toBe('7');
      expect(await variable('AGI_APP')).toBe('ran "quoted"');
      // The dialplan went on after AGI(): the handler's return ended the session, not the call.
      for (let tries = 0; (await variable('AGI_AFTER')) !== 'SUCCESS' && tries < 50; tries++)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await variable('AGI_AFTER')).toBe('SUCCESS');
      await rig.client.send({ Action: 'Hangup', Channel: call.channel });
    } finally {
      unroute();
    }
  });

  it('rejects the command in flight at once when the channel hangs up, and leaks no session', async () => {
    const playing = deferred<AgiCall>();
    const outcome = deferred<unknown>();
    const unroute = rig.fast.router.route(`hangup-${mode}`, async (call) => {
      await call.answer();
      const stream = call.streamFile('silence/10');
      playing.resolve(call);
      outcome.resolve(await stream.catch((error: unknown) => error));
      await call.answer(); // later commands reject at once too
    });
    try {
      await rig.call(mode, `hangup-${mode}`);
      const call = await playing.promise;
      await rig.client.send({ Action: 'Hangup', Channel: call.channel });
      expect(await outcome.promise).toBeInstanceOf(AmiAgiHangupError);
      const count = () => (mode === 'fast' ? rig.fast.activeSessionCount : rig.asyncAgi.activeSessionCount);
      while (count() > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(count()).toBe(0);
    } finally {
      unroute();
    }
  });
});
