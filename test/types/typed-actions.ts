// Compile-time checks of typed actions (compiled by `tsc -p tsconfig.json`, never run).
// Each `@ts-expect-error` line must fail to compile: test/unit/types/type-fixtures.spec.ts checks that
// removing the directive leaves exactly those lines in error.
import type {
  AmiAction,
  AmiClient,
  AmiEvent,
  AmiEventByName,
  AmiResponse,
  AmiTypedAction,
} from '../../lib/client.js';
import { assertType, type Equal } from './support/type-assertions.js';

export async function documentedActions(client: AmiClient): Promise<void> {
  await client.send({ Action: 'Ping' });
  await client.send({
    Action: 'Originate',
    Channel: 'Local/100@test',
    Context: 'test',
    Exten: '100',
    Priority: 1,
    Timeout: 30_000,
    Async: true,
  });
  await client.send({ Action: 'Getvar', Channel: 'PJSIP/alice-00000001', Variable: 'CRM_TICKET' });
  await client.send({ Action: 'PJSIPShowEndpoints' });
  // @ts-expect-error: misspelled parameter (Extn for Exten)
  await client.send({ Action: 'Originate', Channel: 'Local/100@test', Extn: '100' });
  // @ts-expect-error: the required Channel is missing
  await client.send({ Action: 'Originate', Exten: '100', Context: 'test' });
  // @ts-expect-error: a parameter is a string, a number or a boolean
  await client.send({ Action: 'Hangup', Channel: { name: 'PJSIP/alice' } });
  // @ts-expect-error: an action that takes no parameter takes none
  await client.send({ Action: 'Ping', Pong: 'yes' });
  // @ts-expect-error: the ActionID belongs to the client
  await client.send({ Action: 'Ping', ActionID: 'mine' });
  // @ts-expect-error: wrong case is another spelling: 'Channel' is required, 'channel' is not declared
  await client.send({ Action: 'Hangup', channel: 'PJSIP/alice' });
}

export async function requiredOnTheWire(client: AmiClient): Promise<void> {
  // Documented optional, but Asterisk 22 refuses the action without them (scripts/ami-types/overrides.mjs).
  await client.send({
    Action: 'MixMonitorMute',
    Channel: 'PJSIP/alice-00000001',
    Direction: 'both',
    State: 1,
  });
  // @ts-expect-error: MixMonitorMute without Direction ("No direction specified")
  await client.send({ Action: 'MixMonitorMute', Channel: 'PJSIP/alice-00000001', State: 1 });
  // @ts-expect-error: MixMonitorMute without State ("No state specified")
  await client.send({ Action: 'MixMonitorMute', Channel: 'PJSIP/alice-00000001', Direction: 'both' });
  // @ts-expect-error: BlindTransfer without Exten ("No extension specified")
  await client.send({ Action: 'BlindTransfer', Channel: 'PJSIP/alice-00000001', Context: 'default' });
  // @ts-expect-error: CoreShowChannelMap without Channel ("CoreShowChannelMap requires a channel.")
  await client.sendList({ Action: 'CoreShowChannelMap' });
  // @ts-expect-error: Filter without Operation ("Unknown operation")
  await client.send({ Action: 'Filter', Filter: '!Event: VarSet' });
}

export async function extraHeadersAndVariables(client: AmiClient): Promise<void> {
  await client.send({
    Action: 'Originate',
    Channel: 'Local/100@test',
    Application: 'Wait',
    Data: '1',
    variables: { CRM_TICKET: 42, VIP: true },
    extraHeaders: { 'X-Patched': 'yes', Repeated: ['one', 'two'] },
  });
  // @ts-expect-error: variables hold scalars only
  await client.send({ Action: 'Originate', Channel: 'Local/100@test', variables: { LIST: ['a'] } });
}

export async function patternedAndOpenActions(client: AmiClient): Promise<void> {
  await client.send({
    Action: 'UpdateConfig',
    SrcFilename: 'extensions.conf',
    DstFilename: 'extensions.conf',
    'Action-000000': 'NewCat',
    'Cat-000000': 'support',
  });
  await client.send({
    Action: 'AOCMessage',
    MsgType: 'D',
    Channel: 'x',
    'UnitAmount(0)': 3,
    'UnitType(0)': 1,
  });
  await client.send({
    Action: 'UpdateConfig',
    SrcFilename: 'a',
    DstFilename: 'a',
    // @ts-expect-error: numbered headers keep their documented stem
    'Actoin-000000': 'NewCat',
  });
  // UserEvent carries any headers the sender chooses.
  await client.send({ Action: 'UserEvent', UserEvent: 'CrmSync', Ticket: 42, Tags: ['a', 'b'] });
  // @ts-expect-error: but it still needs its UserEvent name
  await client.send({ Action: 'UserEvent', Ticket: 42 });
}

export async function customActions(client: AmiClient): Promise<void> {
  // Names Asterisk 22 does not document: older PBXs, modules, other spellings. Any headers go.
  await client.send({ Action: 'SIPpeers' });
  await client.send({ Action: 'Monitor', Channel: 'SIP/alice-00000001', File: 'call', Mix: true });
  await client.send({ Action: 'ModuleReload', Module: 'chan_sip.so', Repeated: ['a', 'b'] });
  await client.send({ Action: 'getvar', Channel: 'x', Variable: 'y', Whatever: 1 });
  // An action built at run time (its name only known as a string) is accepted as it is.
  const built: AmiAction = { Action: ['Co', 'reSettings'].join('') };
  await client.send(built);
  const typed: AmiTypedAction<'Hangup'> = { Action: 'Hangup', Channel: 'PJSIP/alice', Cause: 16 };
  await client.send(typed);
  // A typed action is still an AmiAction, for code that takes any action.
  const asAny: AmiAction = typed;
  await client.send(asAny);
  // @ts-expect-error: a custom action's headers are still header values
  await client.send({ Action: 'SIPpeers', Broken: () => 'no' });
}

export async function listActions(client: AmiClient): Promise<void> {
  const channels = await client.sendList({ Action: 'CoreShowChannels' });
  assertType<Equal<(typeof channels.events)[number], AmiEventByName<'CoreShowChannel'>>>();
  const channel: string = channels.events[0]?.Channel ?? '';
  const endpoints = await client.sendList({ Action: 'PJSIPShowEndpoints' });
  assertType<Equal<(typeof endpoints.events)[number], AmiEventByName<'EndpointList'>>>();
  const queue = await client.sendList({ Action: 'QueueStatus', Queue: 'support' });
  assertType<
    Equal<
      (typeof queue.events)[number],
      AmiEventByName<'QueueParams'> | AmiEventByName<'QueueMember'> | AmiEventByName<'QueueEntry'>
    >
  >();
  const unknown = await client.sendList({ Action: 'SomeModuleList' });
  assertType<Equal<(typeof unknown.events)[number], AmiEvent>>();
  // @ts-expect-error: list actions are checked too
  await client.sendList({ Action: 'QueueStatus', Queu: 'support' });
  void channel;
}

export async function originate(client: AmiClient): Promise<void> {
  const answered = await client.originate({ Channel: 'Local/100@test', Application: 'Wait', Data: '1' });
  assertType<Equal<typeof answered, AmiEventByName<'OriginateResponse'>>>();
  const queued = await client.originate(
    { Channel: 'Local/100@test', Application: 'Wait' },
    { waitForResult: false },
  );
  assertType<Equal<typeof queued, AmiResponse>>();
  const wait: boolean = Math.random() > 0.5;
  const either = await client.originate(
    { Channel: 'Local/100@test', Application: 'Wait' },
    { waitForResult: wait },
  );
  assertType<Equal<typeof either, AmiEventByName<'OriginateResponse'> | AmiResponse>>();
  const fromConfig: Omit<AmiAction, 'Action'> = { Channel: 'Local/100@test', Application: 'Wait' };
  await client.originate(fromConfig);
  // @ts-expect-error: originate checks its parameters
  await client.originate({ Channel: 'Local/100@test', Aplication: 'Wait' });
  // @ts-expect-error: Channel is required
  await client.originate({ Application: 'Wait', Data: '1' });
}
