import { type Observable, Subject } from 'rxjs';
import type { AmiEvent } from '../protocol/ami-message.js';
import type { AmiLiveChange, AmiLiveEntity, AmiLiveValue } from './live.types.js';
import { copyOf } from './live-copies.js';

type Kind = AmiLiveChange['kind'];

/** The change stream: a change (and the copy of its value) is built only while someone listens. */
export class LiveChanges {
  private readonly subject = new Subject<AmiLiveChange>();
  readonly changes$: Observable<AmiLiveChange> = this.subject.asObservable();

  get observed(): boolean {
    return this.subject.observed;
  }

  emit(entity: AmiLiveEntity, kind: Kind, id: string, record: AmiLiveValue, cause: AmiEvent | null): void {
    if (!this.subject.observed) return;
    this.subject.next(Object.freeze({ entity, kind, id, value: copyOf(entity, record), cause }));
  }

  complete(): void {
    this.subject.complete();
  }
}
