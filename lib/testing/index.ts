// Testing without a PBX: `import { FakeAmiServer } from 'nestjs-ami/testing'`.
export type { FakeAmiAction } from './fake-ami-action.js';
export type { FakeAmiConnection, FakeEventMask } from './fake-ami-connection.js';
export type {
  FakeActionHandler,
  FakeAmiServerEvents,
  FakeAmiServerOptions,
  FakeAmiSettings,
  FakeCommandOutput,
  FakeOutputOrder,
} from './fake-ami-server.js';
export { FakeAmiServer } from './fake-ami-server.js';
export type { SimulatedChannel } from './simulated-calls.js';
export type { FakeReply } from './simulator-actions.js';
export type { FakeHeaderValue, FakeMessage } from './wire-format.js';
