import { type AmiAction, AmiActionError, AmiClient, type AmiEvent } from '../../../lib/client.js';
import { credentials } from '../support/asterisk-target.js';
import { nextEvent } from '../support/wait-for.js';

// docs/migration.md "Coming from ami-io, asterisk-ami or asterisk-manager": each Asterisk 22 replacement the second
// table gives for an action Asterisk 22 no longer has, run as written against the rig.

describe("docs/migration.md's replacements for the actions Asterisk 22 dropped", () => {
  const client = new AmiClient({ ...credentials(), reconnect: false, keepAlive: false });
  beforeAll(() => client.connect());
  afterAll(() => client.disconnect());

  /** Asterisk's answer: 'Success', or the message of the error it answered. */
  const answer = (action: AmiAction, list = false) =>
    (list ? client.sendList(action).then((result) => result.response) : client.send(action)).then(
      (response) => String(response.Response),
      (error: unknown) => {
        if (error instanceof AmiActionError) return String(error.response.Message);
        throw error;
      },
    );

  /** Originates `Local/<exten>@test` (it dials the far end `answer`); resolves with both halves, once bridged. */
  async function bridgedCall(exten: string): Promise<{ near: string; far: string }> {
    const prefix = `Local/${exten}@test-`;
    const bridged = nextEvent(client, 'BridgeEnter', (event) => String(event.Channel).startsWith(prefix));
    const { Channel } = await client.originate({
      Channel: `Local/${exten}@test`,
      Application: 'Wait',
      Data: '20',
    });
    await bridged;
    const near = String(Channel);
    return { near, far: near.replace(/;1$/, ';2') };
  }
  const hangUp = (channel: string) =>
    client.send({ Action: 'Hangup', Channel: channel }).catch(() => undefined);

  it('Monitor, ChangeMonitor, PauseMonitor, UnpauseMonitor, StopMonitor: MixMonitor and its actions', async () => {
    const { near } = await bridgedCall('bridged');
    const on = (name: string, predicate: (event: AmiEvent) => boolean = () => true) =>
      nextEvent(client, name, (event) => event.Channel === near && predicate(event));
    try {
      // Monitor
      const started = on('MixMonitorStart');
      const file = `migration-${process.pid}`;
      expect(await answer({ Action: 'MixMonitor', Channel: near, File: `${file}-1.wav`, Options: 'b' })).toBe(
        'Success',
      );
      await started;
      // ChangeMonitor
      const stopped = on('MixMonitorStop');
      expect(await answer({ Action: 'StopMixMonitor', Channel: near })).toBe('Success');
      await stopped;
      const restarted = on('MixMonitorStart');
      expect(await answer({ Action: 'MixMonitor', Channel: near, File: `${file}-2.wav` })).toBe('Success');
      await restarted;
      // PauseMonitor / UnpauseMonitor: State alone is refused, Direction is needed too.
      expect(await answer({ Action: 'MixMonitorMute', Channel: near, State: 1 } as AmiAction)).toMatch(
        /^No direction specified/,
      );
      for (const state of [1, 0]) {
        const muted = on('MixMonitorMute', (event) => event.State === String(state));
        expect(
          await answer({ Action: 'MixMonitorMute', Channel: near, Direction: 'both', State: state }),
        ).toBe('Success');
        await muted;
      }
      // StopMonitor
      const stoppedAgain = on('MixMonitorStop');
      expect(await answer({ Action: 'StopMixMonitor', Channel: near })).toBe('Success');
      await stoppedAgain;
    } finally {
      await hangUp(near);
    }
  }, 30_000);

  it('AttendedTransfer: Atxfer, once the channel has a transfer code and Dial() allowed transfers', async () => {
    // A plain Dial() bridge: Asterisk has no code to run the transfer with.
    const plain = await bridgedCall('bridged');
    try {
      expect(await answer({ Action: 'Atxfer', Channel: plain.far, Context: 'test', Exten: '200' })).toBe(
        'No attended transfer feature code found',
      );
    } finally {
      await hangUp(plain.near);
    }
    // Exten transferable: FEATUREMAP(atxfer) set, then Dial(...,T). The transfer target is dialled.
    const call = await bridgedCall('transferable');
    try {
      const dialled = nextEvent(client, 'Newchannel', (event) =>
        String(event.Channel).startsWith('Local/200@test-'),
      );
      expect(await answer({ Action: 'Atxfer', Channel: call.far, Context: 'test', Exten: '200' })).toBe(
        'Success',
      );
      await dialled;
    } finally {
      await hangUp('/^Local\\/(transferable|200)@test-/');
    }
  }, 30_000);

  it('ModuleReload and ModuleUnload: ModuleLoad with LoadType', async () => {
    expect(await answer({ Action: 'ModuleLoad', LoadType: 'reload', Module: 'res_musiconhold.so' })).toBe(
      'Success',
    );
    try {
      expect(await answer({ Action: 'ModuleLoad', LoadType: 'unload', Module: 'app_morsecode.so' })).toBe(
        'Success',
      );
      expect(await answer({ Action: 'ModuleCheck', Module: 'app_morsecode.so' })).toBe('Module not loaded');
    } finally {
      expect(await answer({ Action: 'ModuleLoad', LoadType: 'load', Module: 'app_morsecode.so' })).toBe(
        'Success',
      );
    }
  });

  it('QueueUnpause: QueuePause with Paused false', async () => {
    const member = { Queue: 'support', Interface: `Local/migration-${process.pid}@test` };
    await client.send({ Action: 'QueueAdd', ...member, Paused: true });
    try {
      const unpaused = nextEvent(
        client,
        'QueueMemberPause',
        (event) => event.Interface === member.Interface && event.Paused === '0',
      );
      expect(await answer({ Action: 'QueuePause', ...member, Paused: false })).toBe('Success');
      await unpaused;
    } finally {
      await client.send({ Action: 'QueueRemove', ...member });
    }
  });

  it('Queues, SipPeers, SIPpeerstatus, SipShowPeer, SipQualifyPeer, SipShowRegistry: their list actions', async () => {
    for (const action of [
      { Action: 'QueueSummary' },
      { Action: 'QueueStatus' },
      { Action: 'PJSIPShowEndpoints' },
      { Action: 'PJSIPShowEndpoint', Endpoint: 'alice' },
      { Action: 'PJSIPShowRegistrationsOutbound' },
    ] as AmiAction[]) {
      expect(`${action.Action}: ${await answer(action, true)}`).toBe(`${action.Action}: Success`);
    }
    const endpoints = await client.sendList({ Action: 'PJSIPShowEndpoints' });
    expect(endpoints.events.map((event) => event.DeviceState)).toEqual(['Unavailable', 'Unavailable']);
    // The rig's endpoints have no AOR, so no contact: both answer an error rather than an empty list.
    expect(await answer({ Action: 'PJSIPShowContacts' }, true)).toBe('No Contacts found');
    expect(await answer({ Action: 'PJSIPQualify', Endpoint: 'alice' })).toBe(
      'No AoRs configured for endpoint',
    );
  });
});
