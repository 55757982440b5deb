// Compile-time checks of typed UserEvents (compiled by `tsc -p tsconfig.json`, never run).
import {
  type AmiClient,
  type AmiHangupEvent,
  type AmiUserEvent,
  defineAmiUserEvent,
  isAmiUserEvent,
} from '../../lib/client.js';
import { type AmiService, OnAmiUserEvent } from '../../lib/nest/index.js';
import { assertType, type Equal } from './support/type-assertions.js';

// Declared once: the name and its fields.
const CallbackRequested = defineAmiUserEvent<{ Number: string; Queue?: string }>('CallbackRequested');
type CallbackEvent = AmiUserEvent<{ Number: string; Queue?: string }>;

export function sending(client: AmiClient, ami: AmiService) {
  void client.userEvent(CallbackRequested, { Number: '100', Queue: 'support' });
  void client.userEvent(CallbackRequested, { Number: 100 });
  void ami.userEvent(CallbackRequested, { Number: '100' });
  // @ts-expect-error: Number is required
  void client.userEvent(CallbackRequested, { Queue: 'support' });
  // @ts-expect-error: no field Nmber was declared
  void client.userEvent(CallbackRequested, { Number: '1', Nmber: '1' });
  // @ts-expect-error: a value is text, a number or a boolean
  void ami.userEvent(CallbackRequested, { Number: { nested: true } });
}

export function receiving(client: AmiClient) {
  client.onUserEvent(CallbackRequested, (event) => {
    assertType<Equal<typeof event.Number, string>>();
    assertType<Equal<typeof event.Queue, string | undefined>>();
    assertType<Equal<typeof event.Event, 'UserEvent'>>();
    const queue: string | undefined = event.Queue;
    // @ts-expect-error: Queue is optional
    const required: string = event.Queue;
    void [queue, required];
  });
  client.onEvent('*', (event) => {
    if (isAmiUserEvent(event, CallbackRequested)) assertType<Equal<typeof event.Number, string>>();
  });
}

export class UserEventHandlers {
  @OnAmiUserEvent(CallbackRequested)
  onCallback(event: CallbackEvent): string {
    return event.Number;
  }

  @OnAmiUserEvent(CallbackRequested, { filter: (event) => event.Queue === 'support' })
  onSupportCallback(event: CallbackEvent): void {
    void event;
  }

  // @ts-expect-error: a Hangup handler cannot take these UserEvents
  @OnAmiUserEvent(CallbackRequested)
  onWrongType(event: AmiHangupEvent): void {
    void event;
  }

  // @ts-expect-error: the filter sees the declared fields only as declared
  @OnAmiUserEvent(CallbackRequested, { filter: (event) => event.Number === 42 })
  onBadFilter(event: CallbackEvent): void {
    void event;
  }
}
