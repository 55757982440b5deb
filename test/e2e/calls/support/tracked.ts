import { firstValueFrom, toArray } from 'rxjs';
import type { AmiCallProgressKind, AmiTrackedCall } from '../../../../lib/client.js';

/** The kinds of progress a call reported, once it is over (progress$ replays them and completes). */
export async function progressKinds(call: AmiTrackedCall): Promise<AmiCallProgressKind[]> {
  const all = await firstValueFrom(call.progress$.pipe(toArray()));
  return all.map((progress) => progress.kind);
}

/** Originate parameters for a Local channel running `exten` of the calls context; the answered half parks. */
export function localCall(exten: string, extra: Record<string, unknown> = {}) {
  return {
    Channel: `Local/${exten}@calls`,
    Context: 'calls',
    Exten: 'park',
    Priority: 1,
    CallerID: '"Alice" <1001>',
    Timeout: 10_000,
    ...extra,
  };
}
