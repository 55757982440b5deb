import type { AmiConsumerCounters } from './stream-consumer.types.js';

/** The mutable side of AmiConsumerCounters. */
export class ConsumerCounters implements AmiConsumerCounters {
  delivered = 0;
  acked = 0;
  failed = 0;
  claimed = 0;
  deadLettered = 0;

  snapshot(): AmiConsumerCounters {
    const { delivered, acked, failed, claimed, deadLettered } = this;
    return { delivered, acked, failed, claimed, deadLettered };
  }
}
