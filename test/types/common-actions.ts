// Compile-time checks of the common-action helpers (compiled by `tsc -p tsconfig.json`, never run).
import {
  type AmiClient,
  type AmiEventByName,
  type AmiQueueStatus,
  coreShowChannels,
  dbGet,
  dbPut,
  getVar,
  hangup,
  pjsipShowEndpoints,
  queueStatus,
  queueSummary,
  setVar,
} from '../../lib/client.js';
import { assertType, type Equal } from './support/type-assertions.js';

export async function helpers(client: AmiClient): Promise<void> {
  const value = await getVar(client, { Channel: 'PJSIP/alice-00000001', Variable: 'CRM_TICKET' });
  assertType<Equal<typeof value, string | undefined>>();
  await setVar(client, { Variable: 'GLOBAL_FLAG', Value: true });
  const stored = await dbGet(client, { Family: 'crm', Key: 'ticket' });
  assertType<Equal<typeof stored, string | undefined>>();
  await dbPut(client, { Family: 'crm', Key: 'ticket', Val: 42 });
  const channels = await coreShowChannels(client);
  assertType<Equal<typeof channels, AmiEventByName<'CoreShowChannel'>[]>>();
  const endpoints = await pjsipShowEndpoints(client, { timeout: 5_000 });
  assertType<Equal<typeof endpoints, AmiEventByName<'EndpointList'>[]>>();
  const status = await queueStatus(client, { Queue: 'support' });
  assertType<Equal<typeof status, AmiQueueStatus>>();
  const members: string[] = status.members.map((member) => member.Queue);
  const summaries = await queueSummary(client);
  assertType<Equal<typeof summaries, AmiEventByName<'QueueSummary'>[]>>();
  // @ts-expect-error: helpers take their action's documented parameters
  await hangup(client, { Chanel: 'PJSIP/alice-00000001' });
  // @ts-expect-error: DBGet needs its Key
  await dbGet(client, { Family: 'crm' });
  void members;
}
