import type { AmiEvent, AmiHeaderValue } from '../protocol/ami-message.js';
import type { AmiLiveBridge, AmiLiveChannel, AmiLiveQueueCaller, AmiLiveQueueMember } from './live.types.js';

/** Turns events and list items into the frozen plain objects of live state. */

/** A header as one string: the first value of a repeated one, '' when absent. */
export function text(value: AmiHeaderValue | undefined): string {
  if (typeof value === 'string') return value;
  return value === undefined ? '' : (value[0] ?? '');
}

function optionalText(value: AmiHeaderValue | undefined): string | undefined {
  return value === undefined ? undefined : text(value);
}

/** ChannelState 6 is Up. */
export const STATE_UP = '6';

/**
 * A channel from any event that carries Asterisk's channel snapshot (Newchannel, Newstate, Newexten...),
 * keeping what the event does not say (application, bridge, times) from `previous`.
 */
export function channelFromEvent(
  event: AmiEvent,
  previous: AmiLiveChannel | undefined,
  now: number,
): AmiLiveChannel {
  const state = text(event.ChannelState);
  const isExten = event.Application !== undefined;
  return Object.freeze({
    Uniqueid: text(event.Uniqueid),
    Linkedid: text(event.Linkedid),
    Channel: text(event.Channel),
    ChannelState: state,
    ChannelStateDesc: text(event.ChannelStateDesc),
    CallerIDNum: text(event.CallerIDNum),
    CallerIDName: text(event.CallerIDName),
    ConnectedLineNum: text(event.ConnectedLineNum),
    ConnectedLineName: text(event.ConnectedLineName),
    Context: text(event.Context),
    Exten: text(event.Exten),
    Priority: text(event.Priority),
    Application: isExten ? text(event.Application) : previous?.Application,
    ApplicationData: isExten ? text(event.AppData) : previous?.ApplicationData,
    BridgeUniqueid: previous?.BridgeUniqueid,
    createdAt: previous?.createdAt ?? now,
    answeredAt: previous?.answeredAt ?? (state === STATE_UP ? now : undefined),
  });
}

/** A copy of `channel` with another bridge (undefined: none). */
export function withBridge(channel: AmiLiveChannel, bridge: string | undefined): AmiLiveChannel {
  return Object.freeze({ ...channel, BridgeUniqueid: bridge });
}

/** A channel from a CoreShowChannel list item; its creation time from its Duration. */
export function channelFromListItem(item: AmiEvent, now: number): AmiLiveChannel {
  const bridge = text(item.BridgeId);
  return Object.freeze({
    Uniqueid: text(item.Uniqueid),
    Linkedid: text(item.Linkedid),
    Channel: text(item.Channel),
    ChannelState: text(item.ChannelState),
    ChannelStateDesc: text(item.ChannelStateDesc),
    CallerIDNum: text(item.CallerIDNum),
    CallerIDName: text(item.CallerIDName),
    ConnectedLineNum: text(item.ConnectedLineNum),
    ConnectedLineName: text(item.ConnectedLineName),
    Context: text(item.Context),
    Exten: text(item.Exten),
    Priority: text(item.Priority),
    Application: optionalText(item.Application),
    ApplicationData: optionalText(item.ApplicationData),
    BridgeUniqueid: bridge === '' ? undefined : bridge,
    createdAt: now - durationMs(text(item.Duration)),
    // Unknown for a channel found Up by a list: when it was answered is not in it.
    answeredAt: undefined,
  });
}

/** CoreShowChannel's Duration, `HH:MM:SS`, in ms (0 when absent or unreadable). */
export function durationMs(duration: string): number {
  const match = /^(\d+):(\d{2}):(\d{2})$/.exec(duration);
  if (match === null) return 0;
  return ((Number(match[1]) * 60 + Number(match[2])) * 60 + Number(match[3])) * 1000;
}

/** A bridge from a BridgeCreate/BridgeEnter event or a BridgeListItem. */
export function bridgeFrom(source: AmiEvent, channels: readonly string[]): AmiLiveBridge {
  return Object.freeze({
    BridgeUniqueid: text(source.BridgeUniqueid),
    BridgeType: text(source.BridgeType),
    BridgeTechnology: text(source.BridgeTechnology),
    BridgeCreator: text(source.BridgeCreator),
    BridgeName: text(source.BridgeName),
    channels: Object.freeze([...channels]) as string[],
  });
}

export function withBridgeChannels(bridge: AmiLiveBridge, channels: readonly string[]): AmiLiveBridge {
  return Object.freeze({ ...bridge, channels: Object.freeze([...channels]) as string[] });
}

/**
 * A queue member from a QueueMember* event (MemberName, Interface) or a QueueStatus `QueueMember` list
 * item (which names them Name and Location).
 */
export function memberFrom(source: AmiEvent): AmiLiveQueueMember {
  return Object.freeze({
    Interface: text(source.Interface ?? source.Location),
    MemberName: text(source.MemberName ?? source.Name),
    StateInterface: text(source.StateInterface),
    Status: text(source.Status),
    Paused: text(source.Paused),
    InCall: text(source.InCall),
    CallsTaken: text(source.CallsTaken),
    LastCall: text(source.LastCall),
    Penalty: text(source.Penalty),
  });
}

/** A waiting caller from QueueCallerJoin (joined now) or a QueueEntry list item (joined `Wait` s ago). */
export function callerFrom(source: AmiEvent, now: number): AmiLiveQueueCaller {
  const wait = Number(text(source.Wait));
  return Object.freeze({
    Position: text(source.Position),
    Channel: text(source.Channel),
    Uniqueid: text(source.Uniqueid),
    CallerIDNum: text(source.CallerIDNum),
    CallerIDName: text(source.CallerIDName),
    joinedAt: Number.isFinite(wait) && wait > 0 ? now - wait * 1000 : now,
  });
}

export function withPosition(caller: AmiLiveQueueCaller, position: number): AmiLiveQueueCaller {
  return Object.freeze({ ...caller, Position: String(position) });
}
