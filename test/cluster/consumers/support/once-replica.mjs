// A replica in its own process: one AmiOnceConsumer of the built package whose handler reports each
// delivery on stdout (one JSON line) and never settles, so the parent can SIGKILL it mid-handler.
import { Redis } from 'ioredis';
import { AmiOnceConsumer } from '../../../../dist/cluster/consumers/index.js';

const { REPLICA_REDIS_URL, REPLICA_STREAM, REPLICA_DEAD, REPLICA_NAME } = process.env;
const redis = new Redis(REPLICA_REDIS_URL, { maxRetriesPerRequest: null });
const consumer = new AmiOnceConsumer({
  redis,
  stream: REPLICA_STREAM,
  deadLetterStream: REPLICA_DEAD,
  consumerName: REPLICA_NAME,
  blockMs: 200,
  handler: (event, meta) => {
    process.stdout.write(`${JSON.stringify({ id: event.id, ...meta })}\n`);
    return new Promise(() => undefined);
  },
});
await consumer.start();
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
