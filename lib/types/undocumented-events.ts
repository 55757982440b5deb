import type { AmiBridgeSnapshot, AmiChannelSnapshot } from '../generated/ami-events.generated.js';
import type { AmiEventCommon } from '../protocol/ami-event-common.js';

// Asterisk 22 sends these events and fields, but its XML documentation leaves them out (or spells them
// otherwise), so the generator cannot know them. Written by hand from what a live Asterisk 22 sends;
// the fields that identify the item are typed present, the others optional like the generated ones.

/** A channel executing a dialplan priority (one event per priority). */
export type AmiNewextenEvent = AmiEventCommon &
  AmiChannelSnapshot & {
    Event: 'Newexten';
    Extension?: string;
    Application?: string;
    AppData?: string;
  };

/** One bridge, in a BridgeList answer. */
export type AmiBridgeListItemEvent = AmiEventCommon &
  AmiBridgeSnapshot & {
    Event: 'BridgeListItem';
  };

/**
 * One line of a context, in a ShowDialPlan answer: a priority (Extension, Priority, Application...),
 * an include (IncludeContext), an ignore pattern (IgnorePattern) or a switch (Switch).
 */
export type AmiListDialplanEvent = AmiEventCommon & {
  Event: 'ListDialplan';
  Context: string;
  Extension?: string;
  ExtensionLabel?: string;
  Priority?: string;
  Application?: string;
  AppData?: string;
  IncludeContext?: string;
  IgnorePattern?: string;
  Switch?: string;
  Registrar?: string;
};

/** A queue member, in a QueueStatus answer. */
export type AmiQueueMemberEvent = AmiEventCommon & {
  Event: 'QueueMember';
  Queue: string;
  Name?: string;
  Location?: string;
  StateInterface?: string;
  Membership?: string;
  Penalty?: string;
  CallsTaken?: string;
  LastCall?: string;
  LastPause?: string;
  LoginTime?: string;
  InCall?: string;
  Status?: string;
  Paused?: string;
  PausedReason?: string;
  Wrapuptime?: string;
};

/** One queue, in a QueueSummary answer. */
export type AmiQueueSummaryEvent = AmiEventCommon & {
  Event: 'QueueSummary';
  Queue: string;
  LoggedIn?: string;
  Available?: string;
  Callers?: string;
  HoldTime?: string;
  TalkTime?: string;
  LongestHoldTime?: string;
};

/** The entry a DBGet found. */
export type AmiDBGetResponseEvent = AmiEventCommon & {
  Event: 'DBGetResponse';
  Family: string;
  Key: string;
  Val?: string;
};

/** One entry of a DBGetTree answer; `Key` is the full path (`/family/key`). */
export type AmiDBGetTreeResponseEvent = AmiEventCommon & {
  Event: 'DBGetTreeResponse';
  Key: string;
  Val?: string;
};

export interface AmiUndocumentedEventMap {
  BridgeListItem: AmiBridgeListItemEvent;
  DBGetResponse: AmiDBGetResponseEvent;
  DBGetTreeResponse: AmiDBGetTreeResponseEvent;
  ListDialplan: AmiListDialplanEvent;
  Newexten: AmiNewextenEvent;
  QueueMember: AmiQueueMemberEvent;
  QueueSummary: AmiQueueSummaryEvent;
}

/** Fields of documented events that the documentation omits or spells differently from the wire. */
export interface AmiUndocumentedFields {
  QueueParams: {
    Queue: string;
    ServiceLevel?: string;
    ServicelevelPerf?: string;
    ServicelevelPerf2?: string;
    Weight?: string;
  };
}

/** List actions whose item events their documentation does not name. */
export interface AmiUndocumentedListItems {
  BridgeList: 'BridgeListItem';
  DBGet: 'DBGetResponse';
  DBGetTree: 'DBGetTreeResponse';
  QueueStatus: 'QueueParams' | 'QueueMember' | 'QueueEntry';
  QueueSummary: 'QueueSummary';
  ShowDialPlan: 'ListDialplan';
}
