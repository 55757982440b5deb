// Compile-time checks of typed events (compiled by `tsc -p tsconfig.json`, never run).
import type {
  AmiClient,
  AmiEvent,
  AmiEventByName,
  AmiHangupEvent,
  AmiHeaderValue,
  AmiKnownEvent,
} from '../../lib/client.js';
import { isEventNamed } from '../../lib/client.js';
import { assertType, type Equal } from './support/type-assertions.js';

export function documentedEvents(client: AmiClient): void {
  client.onEvent('Hangup', (event) => {
    assertType<Equal<typeof event, AmiEventByName<'Hangup'>>>();
    assertType<Equal<typeof event, AmiHangupEvent>>();
    assertType<Equal<typeof event.Event, 'Hangup'>>();
    // The channel snapshot and the cause are always there (corrected: the documentation does not say so).
    const channel: string = event.Channel;
    const cause: string = event.Cause;
    const causeText: string = event['Cause-txt'];
    // @ts-expect-error: misspelled field (Cuase for Cause)
    const misspelled = event.Cuase;
    // @ts-expect-error: an optional field is not a plain string (TechCause: only when the driver gives one)
    const sure: string = event.TechCause;
    void [channel, cause, causeText, misspelled, sure];
  });
  client.onEvent('DialBegin', (event) => {
    // Two channel snapshots: the caller's is absent when an Originate dials; the dialled one is always there.
    const destination: string = event.DestChannel;
    const dialString: string = event.DialString;
    // @ts-expect-error: the caller's snapshot is not promised
    const caller: string = event.Channel;
    // @ts-expect-error: DialBegin has no Cause
    const cause = event.Cause;
    void [destination, dialString, caller, cause];
  });
  client.onEvent('DialEnd', (event) => {
    const status: string = event.DialStatus;
    const destination: string = event.DestUniqueid;
    void [status, destination];
  });
  client.onEvent('ReceiveFAX', (event) => {
    const files: string | string[] | undefined = event.FileName;
    void files;
  });
  client.onEvent('UserEvent', (event) => {
    // A UserEvent carries whatever headers its sender chose.
    const ticket: AmiHeaderValue | undefined = event.Ticket;
    void ticket;
  });
  client.onEvent('QueueParams', (event) => {
    // Completed by hand where Asterisk 22 sends more than its documentation says.
    const queue: string = event.Queue;
    const performance: string | undefined = event.ServicelevelPerf;
    void [queue, performance];
  });
  client.onEvent('AsyncAGIExec', (event) => {
    // Spelled as Asterisk 22 sends it; the documentation says CommandID.
    const id: string | undefined = event.CommandId;
    // @ts-expect-error: CommandID is the documentation's spelling, never on the wire
    const documented = event.CommandID;
    void [id, documented];
  });
  client.onEvent('Status', (event) => {
    // One `Variable: name=value` per channel variable when asked with AllVariables.
    const variables: string | string[] | undefined = event.Variable;
    void variables;
  });
  client.onEvent('BridgeListItem', (event) => {
    const bridge: string = event.BridgeUniqueid;
    void bridge;
  });
  // @ts-expect-error: the listener must take the event it is registered for
  client.onEvent('Hangup', (event: AmiEventByName<'Newchannel'>) => event.Channel);
}

export function looseEvents(client: AmiClient): void {
  // Events from modules or newer versions, other spellings and '*' still arrive, typed loosely.
  client.onEvent('SomeModuleEvent', (event) => {
    assertType<Equal<typeof event, AmiEvent>>();
    const anything: AmiHeaderValue | undefined = event.Anything;
    void anything;
  });
  client.onEvent('hangup', (event) => assertType<Equal<typeof event, AmiEvent>>());
  client.onEvent('*', (event) => {
    assertType<Equal<typeof event, AmiEvent>>();
    if (isEventNamed(event, 'Hangup')) {
      assertType<Equal<typeof event, AmiHangupEvent>>();
      const channel: string = event.Channel;
      // @ts-expect-error: narrowed, the event's fields are checked again
      const misspelled = event.Chanel;
      void [channel, misspelled];
    }
  });
  const name: string = ['Hang', 'up'].join('');
  client.onEvent(name, (event) => assertType<Equal<typeof event, AmiEvent>>());
  // @ts-expect-error: AMI events are listened to with onEvent only; the emitter has lifecycle events
  client.on('event', () => undefined);
}

export function eventTypes(): void {
  assertType<Equal<AmiEventByName<string>, AmiEvent>>();
  assertType<Equal<AmiEventByName<'NotAnAsteriskEvent'>, AmiEvent>>();
  assertType<Equal<AmiEventByName<'Hangup' | 'Newchannel'>['Event'], 'Hangup' | 'Newchannel'>>();
  // Typed events are AmiEvents, so every header helper still takes them.
  const widen = (event: AmiHangupEvent): AmiEvent => event;
  const narrow = (event: AmiKnownEvent) => (event.Event === 'Hangup' ? event.Channel : undefined);
  // @ts-expect-error: a known event's fields are closed: reach undocumented ones through AmiEvent
  const undocumented = (event: AmiHangupEvent) => event.SomethingNew;
  const reachable = (event: AmiHangupEvent) => (event as AmiEvent).SomethingNew;
  void [widen, narrow, undocumented, reachable];
}
