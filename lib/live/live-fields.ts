import type { AmiEvent, AmiHeaderValue } from '../protocol/ami-message.js';
import type {
  AmiLiveBridge,
  AmiLiveCall,
  AmiLiveChannel,
  AmiLiveQueueCaller,
  AmiLiveQueueMember,
} from './live.types.js';

/**
 * Turns events and list items into live state's records. Channels, bridges and calls are mutable
 * records inside (an event updates one in place, allocating nothing); what leaves live state is a frozen
 * copy (see live-copies.ts).
 */

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

export type ChannelRecord = { -readonly [K in keyof AmiLiveChannel]: AmiLiveChannel[K] };
export type BridgeRecord = AmiLiveBridge;
export type CallRecord = AmiLiveCall;

/** A channel first seen in an event that carries Asterisk's channel snapshot (Newchannel...). */
export function channelFromEvent(event: AmiEvent, now: number): ChannelRecord {
  const state = text(event.ChannelState);
  const isExten = event.Application !== undefined;
  return {
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
    Application: isExten ? text(event.Application) : undefined,
    ApplicationData: isExten ? text(event.AppData) : undefined,
    BridgeUniqueid: undefined,
    createdAt: now,
    answeredAt: state === STATE_UP ? now : undefined,
  };
}

/**
 * Updates `channel` in place from a snapshot event. A field is assigned only when its value changed, so
 * the record keeps the strings it has (a kept string keeps the text it was read from alive).
 */
export function updateChannel(channel: ChannelRecord, event: AmiEvent, now: number): void {
  let value = text(event.Linkedid);
  if (value !== channel.Linkedid) channel.Linkedid = value;
  value = text(event.Channel);
  if (value !== channel.Channel) channel.Channel = value;
  value = text(event.ChannelState);
  if (value !== channel.ChannelState) {
    channel.ChannelState = value;
    channel.ChannelStateDesc = text(event.ChannelStateDesc);
    if (value === STATE_UP && channel.answeredAt === undefined) channel.answeredAt = now;
  }
  value = text(event.CallerIDNum);
  if (value !== channel.CallerIDNum) channel.CallerIDNum = value;
  value = text(event.CallerIDName);
  if (value !== channel.CallerIDName) channel.CallerIDName = value;
  value = text(event.ConnectedLineNum);
  if (value !== channel.ConnectedLineNum) channel.ConnectedLineNum = value;
  value = text(event.ConnectedLineName);
  if (value !== channel.ConnectedLineName) channel.ConnectedLineName = value;
  value = text(event.Context);
  if (value !== channel.Context) channel.Context = value;
  value = text(event.Exten);
  if (value !== channel.Exten) channel.Exten = value;
  value = text(event.Priority);
  if (value !== channel.Priority) channel.Priority = value;
  if (event.Application !== undefined) {
    value = text(event.Application);
    if (value !== channel.Application) channel.Application = value;
    value = text(event.AppData);
    if (value !== channel.ApplicationData) channel.ApplicationData = value;
  }
}

/** A channel from a CoreShowChannel list item; its creation time from its Duration. */
export function channelFromListItem(item: AmiEvent, now: number): ChannelRecord {
  const bridge = text(item.BridgeId);
  return {
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
  };
}

/** CoreShowChannel's Duration, `HH:MM:SS`, in ms (0 when absent or unreadable). */
export function durationMs(duration: string): number {
  const match = /^(\d+):(\d{2}):(\d{2})$/.exec(duration);
  if (match === null) return 0;
  return ((Number(match[1]) * 60 + Number(match[2])) * 60 + Number(match[3])) * 1000;
}

/** A bridge from a BridgeCreate event or a BridgeListItem. */
export function bridgeFrom(source: AmiEvent, channels: string[]): BridgeRecord {
  return {
    BridgeUniqueid: text(source.BridgeUniqueid),
    BridgeType: text(source.BridgeType),
    BridgeTechnology: text(source.BridgeTechnology),
    BridgeCreator: text(source.BridgeCreator),
    BridgeName: text(source.BridgeName),
    channels,
  };
}

/**
 * A queue member from a QueueMember* event (MemberName, Interface) or a QueueStatus `QueueMember` list
 * item (which names them Name and Location). Queue events are few: members and callers are frozen values.
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
