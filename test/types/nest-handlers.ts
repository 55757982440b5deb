// Compile-time checks of @OnAmiEvent handler types (compiled by `tsc -p tsconfig.json`, never run).
import type { AmiDialBeginEvent, AmiEvent, AmiHangupEvent } from '../../lib/client.js';
import { type AmiEventMeta, AmiService, OnAmiEvent } from '../../lib/nest/index.js';

export class TypedHandlers {
  @OnAmiEvent('Hangup')
  onHangup(event: AmiHangupEvent, meta: AmiEventMeta): string {
    return `${event.Channel} ${meta.connection}`;
  }

  // A loose handler accepts every event.
  @OnAmiEvent('Hangup')
  onAnyHangup(event: AmiEvent): void {
    void event;
  }

  @OnAmiEvent(['DialBegin', 'Hangup'])
  onEither(event: AmiDialBeginEvent | AmiHangupEvent): void {
    void event;
  }

  @OnAmiEvent('Hangup', { filter: (event) => event.Cause === '16' })
  onNormalClearing(event: AmiHangupEvent): void {
    void event;
  }

  // @ts-expect-error: a DialBegin handler cannot take Hangup events
  @OnAmiEvent('Hangup')
  onWrongType(event: AmiDialBeginEvent): void {
    void event;
  }

  // @ts-expect-error: Hangup has no field Cuase, so the filter does not compile
  @OnAmiEvent('Hangup', { filter: (event) => event.Cuase === '16' })
  onMisspelledFilter(event: AmiHangupEvent): void {
    void event;
  }

  @OnAmiEvent('MyModuleEvent')
  onCustom(event: AmiEvent): void {
    void event;
  }
}

export function typedStreams(ami: AmiService): void {
  ami.events('Hangup').subscribe((event) => {
    const channel: string = event.Channel;
    // @ts-expect-error: misspelled field
    const cause = event.Cuase;
    void [channel, cause];
  });
}
