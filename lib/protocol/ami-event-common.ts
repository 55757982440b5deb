/** Headers any event may carry besides its documented fields. All optional: each depends on the setup. */
export type AmiEventCommon = {
  /** The event's class followed by `all` (e.g. `call,all`); events that answer a list action have none. */
  Privilege?: string;
  /** Set on events that answer an action (list items, OriginateResponse). */
  ActionID?: string;
  /** With `timestampevents = yes` in manager.conf. */
  Timestamp?: string;
  /** With `systemname` set in asterisk.conf. */
  SystemName?: string;
  /** One `name=value` per variable named by `channelvars` in manager.conf; repeated when several. */
  ChanVariable?: string | string[];
};
