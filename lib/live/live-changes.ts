import { type Observable, Subject } from 'rxjs';
import type { AmiEvent } from '../protocol/ami-message.js';
import type { AmiLiveChange, AmiLiveEntity, AmiLiveValue } from './live.types.js';

type Kind = AmiLiveChange['kind'];

/** The change stream: a change object is built only while someone listens. */
export class LiveChanges {
  private readonly subject = new Subject<AmiLiveChange>();
  readonly changes$: Observable<AmiLiveChange> = this.subject.asObservable();

  emit(entity: AmiLiveEntity, kind: Kind, id: string, value: AmiLiveValue, cause: AmiEvent | null): void {
    if (!this.subject.observed) return;
    this.subject.next(Object.freeze({ entity, kind, id, value, cause }));
  }

  complete(): void {
    this.subject.complete();
  }
}
