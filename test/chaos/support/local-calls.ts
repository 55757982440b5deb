import type { AmiClient, AmiEvent } from '../../../lib/client.js';

/** One originated Local call: Local/100@test answers, waits 1 s and hangs up; the ;1 leg runs Wait(1). */
export function localCall(tag: string, index: number) {
  const a = `${tag}-${index}a`;
  const b = `${tag}-${index}b`;
  return {
    uniqueids: [a, b],
    params: {
      Channel: 'Local/100@test',
      Application: 'Wait',
      Data: '1',
      // Our own Uniqueids: the OriginateResponse and both Hangups can be matched to this call.
      ChannelId: a,
      OtherChannelId: b,
      Timeout: 5_000,
    },
  };
}

export function originateLocalCall(client: AmiClient, tag: string, index: number, timeout: number) {
  const call = localCall(tag, index);
  return { ...call, result: client.originate(call.params, { timeout }) as Promise<AmiEvent> };
}
