import type { FakeMessage } from './wire-format.js';

/** A live channel of the simulator, with the snapshot fields Asterisk 22 puts in channel events. */
export interface SimulatedChannel {
  Channel: string;
  ChannelState: string;
  ChannelStateDesc: string;
  CallerIDNum: string;
  CallerIDName: string;
  ConnectedLineNum: string;
  ConnectedLineName: string;
  Language: string;
  AccountCode: string;
  Context: string;
  Exten: string;
  Priority: string;
  Uniqueid: string;
  Linkedid: string;
  /** ms since the epoch. */
  readonly createdAt: number;
}

/** What an Originate asks for, read from its headers. */
export interface CallRequest {
  /** The dial string: `Local/100@test`, `PJSIP/alice`... */
  channel: string;
  context?: string;
  exten?: string;
  priority?: string;
  /** `"Name" <number>`, `Name <number>` or a bare number. */
  callerId?: string;
}

export interface CallOutcome {
  answered: boolean;
  /** The originating channel's name (the requested dial string when no channel was made). */
  channel: string;
  uniqueid: string;
  /** Asterisk's originate reason: 4 answered, 5 busy. */
  reason: number;
}

export interface CallHost {
  broadcast(event: FakeMessage): void;
  later(ms: number, run: () => void): void;
  /** How long an answered call lasts before both sides hang up, in ms. */
  readonly callDuration: number;
}

const STATES: Record<'Down' | 'Ring' | 'Up', string> = { Down: '0', Ring: '4', Up: '6' };
const UNKNOWN = '<unknown>';
const CALL = 'call,all';
/** A dial string whose resource starts with `busy` (`Local/busy@test`, `PJSIP/busy`) gets a busy signal. */
const BUSY = /^[^/]+\/busy/i;

/**
 * Simulated calls for Originate: the events a Local-channel call produces on Asterisk 22 (Newchannel,
 * DialBegin, Newstate, DialEnd, and Hangup with Cause 16 after the call's duration), and the table
 * of live channels CoreShowChannels lists.
 */
export class CallSimulator {
  private readonly live = new Map<string, SimulatedChannel>();
  private readonly epoch = Math.floor(Date.now() / 1000);
  private uniqueSequence = 0;
  private channelSequence = 0;

  constructor(private readonly host: CallHost) {}

  get channels(): readonly SimulatedChannel[] {
    return [...this.live.values()];
  }

  /** Plays the call's setup now; an answered call hangs up `callDuration` ms later. */
  place(request: CallRequest): CallOutcome {
    const slash = request.channel.indexOf('/');
    const technology = request.channel.slice(0, slash);
    const resource = request.channel.slice(slash + 1);
    const suffix = (this.channelSequence++).toString(16).padStart(8, '0');
    const caller = parseCallerId(request.callerId);
    const target = {
      context: request.context ?? 'default',
      exten: request.exten ?? 's',
      priority: request.priority ?? '1',
    };
    const local = technology === 'Local';
    const origin = this.open(`${request.channel}-${suffix}${local ? ';1' : ''}`, 'Down', target, caller);
    const legs = [origin];
    if (local) {
      const [exten, context = 'default'] = resource.split('@');
      const place = { exten, context, priority: '1' };
      legs.push(this.open(`${request.channel}-${suffix};2`, 'Ring', place, caller, origin));
    }
    for (const leg of legs) this.host.broadcast({ Event: 'Newchannel', Privilege: CALL, ...snapshot(leg) });
    this.host.broadcast({
      Event: 'DialBegin',
      Privilege: CALL,
      ...snapshot(origin, 'Dest'),
      DialString: resource,
    });

    if (BUSY.test(request.channel)) {
      this.host.broadcast({
        Event: 'DialEnd',
        Privilege: CALL,
        ...snapshot(origin, 'Dest'),
        DialStatus: 'BUSY',
      });
      for (const leg of [...legs].reverse()) this.hangUp(leg, '17', 'User busy');
      return { answered: false, channel: request.channel, uniqueid: origin.Uniqueid, reason: 5 };
    }
    for (const leg of [...legs].reverse()) {
      leg.ChannelState = STATES.Up;
      leg.ChannelStateDesc = 'Up';
      this.host.broadcast({ Event: 'Newstate', Privilege: CALL, ...snapshot(leg) });
    }
    this.host.broadcast({
      Event: 'DialEnd',
      Privilege: CALL,
      ...snapshot(origin, 'Dest'),
      DialStatus: 'ANSWER',
    });
    this.host.later(this.host.callDuration, () => {
      for (const leg of [...legs].reverse()) this.hangUp(leg, '16', 'Normal Clearing');
    });
    return { answered: true, channel: origin.Channel, uniqueid: origin.Uniqueid, reason: 4 };
  }

  private open(
    name: string,
    state: keyof typeof STATES,
    place: { context: string; exten: string; priority: string },
    caller: CallerId,
    linkedTo?: SimulatedChannel,
  ): SimulatedChannel {
    const uniqueid = `${this.epoch}.${this.uniqueSequence++}`;
    const channel: SimulatedChannel = {
      Channel: name,
      ChannelState: STATES[state],
      ChannelStateDesc: state,
      CallerIDNum: caller.num ?? UNKNOWN,
      CallerIDName: caller.name ?? UNKNOWN,
      ConnectedLineNum: UNKNOWN,
      ConnectedLineName: UNKNOWN,
      Language: 'en',
      AccountCode: '',
      Context: place.context,
      Exten: place.exten,
      Priority: place.priority,
      Uniqueid: uniqueid,
      Linkedid: linkedTo?.Uniqueid ?? uniqueid,
      createdAt: Date.now(),
    };
    this.live.set(name, channel);
    return channel;
  }

  private hangUp(channel: SimulatedChannel, cause: string, causeText: string): void {
    this.live.delete(channel.Channel);
    this.host.broadcast({
      Event: 'Hangup',
      Privilege: CALL,
      ...snapshot(channel),
      Cause: cause,
      'Cause-txt': causeText,
    });
  }
}

/** The channel's event fields, optionally prefixed (`Dest` in DialBegin and DialEnd). */
export function snapshot(channel: SimulatedChannel, prefix = ''): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(channel)) {
    if (name !== 'createdAt') fields[prefix + name] = value;
  }
  return fields;
}

interface CallerId {
  num?: string;
  name?: string;
}

function parseCallerId(callerId: string | undefined): CallerId {
  if (callerId === undefined || callerId.trim() === '') return {};
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]*)>\s*$/.exec(callerId);
  if (match === null) return { num: callerId.trim() };
  return { name: match[1] || undefined, num: match[2] || undefined };
}
