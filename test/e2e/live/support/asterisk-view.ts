import type { AmiClient, AmiEvent, AmiLiveState } from '../../../../lib/client.js';

/**
 * Asterisk's own view (its CLI and its lists) and the live state's, in one comparable shape: what a
 * test asserts is that the two are equal.
 */
export interface ComparableView {
  /** By Uniqueid: the fields `core show channels concise` prints. */
  channels: Record<string, ComparableChannel>;
  /** By BridgeUniqueid: its channels' Uniqueids, sorted. */
  bridges: Record<string, string[]>;
  /** By Linkedid: its channels' Uniqueids, sorted. */
  calls: Record<string, string[]>;
}

/**
 * Application and Data are left out: AMI announces them only with a dialplan step (Newexten), not when
 * a channel runs an application outside the dialplan (Originate's Application, Dial's outgoing leg).
 */
export interface ComparableChannel {
  Channel: string;
  Context: string;
  Exten: string;
  Priority: string;
  State: string;
  BridgeId: string;
}

/** Application and Data by Uniqueid, for the channels that run dialplan. */
export async function asteriskApplications(client: AmiClient): Promise<Record<string, string>> {
  const applications: Record<string, string> = {};
  for (const line of await client.command('core show channels concise')) {
    const fields = line.split('!');
    if (fields.length < 14) continue;
    applications[fields[fields.length - 1] as string] = `${none(fields[5])}(${none(fields[6])})`;
  }
  return applications;
}

const none = (value: string | undefined): string => (value === undefined || value === '(None)' ? '' : value);

/** `core show channels concise`: Channel!Context!Exten!Priority!State!Application!Data!CallerID!AccountCode!PeerAccount!AMAFlags!Duration!BridgeId!Uniqueid. */
export async function asteriskView(client: AmiClient): Promise<ComparableView> {
  const channels: Record<string, ComparableChannel> = {};
  for (const line of await client.command('core show channels concise')) {
    const fields = line.split('!');
    if (fields.length < 14) continue;
    const [channel, context, exten, priority, state] = fields;
    const uniqueid = fields[fields.length - 1] as string;
    channels[uniqueid] = {
      Channel: channel as string,
      Context: context as string,
      Exten: exten as string,
      Priority: priority as string,
      State: state as string,
      BridgeId: fields[fields.length - 2] as string,
    };
  }
  const bridges: Record<string, string[]> = {};
  for (const item of (await client.sendList({ Action: 'BridgeList' })).events) {
    const id = String(item.BridgeUniqueid);
    const info = await client.sendList({ Action: 'BridgeInfo', BridgeUniqueid: id });
    bridges[id] = info.events.map((member: AmiEvent) => String(member.Uniqueid)).sort();
  }
  const calls: Record<string, string[]> = {};
  for (const item of (await client.sendList({ Action: 'CoreShowChannels' })).events) {
    const linkedid = String(item.Linkedid);
    calls[linkedid] = [...(calls[linkedid] ?? []), String(item.Uniqueid)].sort();
  }
  return { channels, bridges, calls };
}

export function liveView(live: AmiLiveState): ComparableView {
  const snapshot = live.snapshot();
  const channels: Record<string, ComparableChannel> = {};
  for (const channel of snapshot.channels) {
    channels[channel.Uniqueid] = {
      Channel: channel.Channel,
      Context: channel.Context,
      Exten: channel.Exten,
      Priority: channel.Priority,
      State: channel.ChannelStateDesc,
      BridgeId: channel.BridgeUniqueid ?? '',
    };
  }
  const bridges: Record<string, string[]> = {};
  for (const bridge of snapshot.bridges) bridges[bridge.BridgeUniqueid] = [...bridge.channels].sort();
  const calls: Record<string, string[]> = {};
  for (const call of snapshot.calls) calls[call.Linkedid] = [...call.channels].sort();
  return { channels, bridges, calls };
}

/** Queue `name` as QueueStatus lists it and as the live state has it: members and waiting callers. */
export interface ComparableQueue {
  members: Array<{ Interface: string; Paused: string; Status: string }>;
  callers: Array<{ Position: string; Uniqueid: string; Channel: string }>;
}

export async function asteriskQueue(client: AmiClient, name: string): Promise<ComparableQueue> {
  const items = (await client.sendList({ Action: 'QueueStatus', Queue: name })).events;
  return {
    members: items
      .filter((item) => item.Event === 'QueueMember')
      .map((item) => ({
        Interface: String(item.Location),
        Paused: String(item.Paused),
        Status: String(item.Status),
      }))
      .sort((a, b) => a.Interface.localeCompare(b.Interface)),
    callers: items
      .filter((item) => item.Event === 'QueueEntry')
      .map((item) => ({
        Position: String(item.Position),
        Uniqueid: String(item.Uniqueid),
        Channel: String(item.Channel),
      }))
      .sort((a, b) => Number(a.Position) - Number(b.Position)),
  };
}

export function liveQueue(live: AmiLiveState, name: string): ComparableQueue {
  const queue = live.queue(name);
  return {
    members: (queue?.members ?? [])
      .map((member) => ({ Interface: member.Interface, Paused: member.Paused, Status: member.Status }))
      .sort((a, b) => a.Interface.localeCompare(b.Interface)),
    callers: (queue?.callers ?? []).map((caller) => ({
      Position: caller.Position,
      Uniqueid: caller.Uniqueid,
      Channel: caller.Channel,
    })),
  };
}

/** `queue show <name>`: the channel names of the waiting callers, in order. */
export async function queueShowCallers(client: AmiClient, name: string): Promise<string[]> {
  const lines = await client.command(`queue show ${name}`);
  return lines
    .map((line) => /^\s+\d+\.\s+(\S+)\s+\(wait/.exec(line)?.[1])
    .filter((channel): channel is string => channel !== undefined);
}

/**
 * Retries `assertion` until it passes (the live state and Asterisk both settle after a change), then
 * returns; after `timeoutMs` throws its last failure.
 */
export async function eventually(assertion: () => Promise<void> | void, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * The live state's sizes, a parking lot's holding bridge left out: Asterisk keeps that bridge, empty, once a
 * call was parked (test/e2e/types parks one), and destroying it breaks parking until a restart. Equality with
 * Asterisk's own view still covers it.
 */
export function sizesBesidesParking(live: AmiLiveState): ReturnType<AmiLiveState['sizes']> {
  const parking = live.snapshot().bridges.filter((bridge) => bridge.BridgeType === 'parking').length;
  const sizes = live.sizes();
  return { ...sizes, bridges: sizes.bridges - parking };
}

/** Asterisk's view without its parking lots' holding bridges (see sizesBesidesParking). */
export async function asteriskViewBesidesParking(client: AmiClient): Promise<ComparableView> {
  const view = await asteriskView(client);
  for (const bridge of (await client.sendList({ Action: 'BridgeList' })).events) {
    if (bridge.BridgeType === 'parking') delete view.bridges[String(bridge.BridgeUniqueid)];
  }
  return view;
}
