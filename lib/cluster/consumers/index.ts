export { AmiEveryConsumer, type AmiEveryConsumerOptions } from './every-consumer.js';
export { AmiLeaderConsumer, type AmiLeaderConsumerOptions, LEADER_CONSUMER } from './leader-consumer.js';
export { AmiOnceConsumer, type AmiOnceConsumerOptions } from './once-consumer.js';
export type {
  AmiAckingConsumerOptions,
  AmiConsumerCounters,
  AmiConsumerFigures,
  AmiStreamConsumer,
  AmiStreamConsumerOptions,
  AmiStreamDelivery,
  AmiStreamHandler,
} from './stream-consumer.types.js';
