import type {
  AmiLiveBridge,
  AmiLiveCall,
  AmiLiveChannel,
  AmiLiveEntity,
  AmiLiveValue,
} from './live.types.js';
import type { BridgeRecord, CallRecord, ChannelRecord } from './live-fields.js';

/** What leaves live state: frozen copies of its records, made only when asked for. */

export function copyChannel(channel: ChannelRecord): AmiLiveChannel {
  return Object.freeze({ ...channel });
}

export function copyBridge(bridge: BridgeRecord): AmiLiveBridge {
  return Object.freeze({ ...bridge, channels: Object.freeze([...bridge.channels]) as string[] });
}

export function copyCall(call: CallRecord): AmiLiveCall {
  return Object.freeze({ ...call, channels: Object.freeze([...call.channels]) as string[] });
}

/** Queues are frozen values already (their events are few): passed as they are. */
export function copyOf(entity: AmiLiveEntity, record: AmiLiveValue): AmiLiveValue {
  switch (entity) {
    case 'channel':
      return copyChannel(record as ChannelRecord);
    case 'bridge':
      return copyBridge(record as BridgeRecord);
    case 'call':
      return copyCall(record as CallRecord);
    default:
      return record;
  }
}
