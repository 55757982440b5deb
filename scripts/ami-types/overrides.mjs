// The few facts the documentation's structure does not carry, each checked against a live Asterisk 22.

/** Events that carry arbitrary extra fields (a UserEvent has whatever headers its sender chose). */
export const OPEN_EVENTS = new Set(['UserEvent']);

/**
 * Events that document one channel snapshot which Asterisk nevertheless leaves out: a UserEvent sent
 * through AMI has no channel, and a VarSet of a global variable carries no channel snapshot.
 */
export const SNAPSHOT_NOT_GUARANTEED = new Set(['UserEvent', 'VarSet']);

/**
 * Where Asterisk 22's documentation and what it does disagree (applied by apply-wire-corrections.mjs,
 * which fails when a correction no longer matches the documentation). Each one is checked live by
 * test/e2e/types/wire-events.e2e-spec.ts or wire-actions.e2e-spec.ts.
 */
export const WIRE_CORRECTIONS = {
  /** event -> { documented spelling: the spelling on the wire }. */
  eventFieldSpellings: {
    // res_agi writes `CommandId` (as AGIExecStart and AGIExecEnd document it), not `CommandID`.
    AsyncAGIExec: { CommandID: 'CommandId' },
  },
  /**
   * event -> fields Asterisk sends that its documentation leaves out (typed optional): a name, or
   * `{ name, multiple: true }` for a header Asterisk repeats.
   */
  undocumentedEventFields: {
    // res_pjsip's endpoint option follow_redirect_methods, listed like every other option.
    EndpointDetail: ['FollowRedirectMethods'],
    // `Action: Status` with `AllVariables: true` (or `Variables`) writes one `Variable: name=value` each.
    Status: [{ name: 'Variable', multiple: true }],
    // Agents' answer is not documented as a list, but it closes like one.
    AgentsComplete: ['EventList', 'ListItems'],
    // app_confbridge writes the user's end_marked_any flag beside EndMarked.
    ConfbridgeList: ['EndMarkedAny'],
  },
  /**
   * event -> documented fields Asterisk always writes though the documentation's structure does not say
   * so (typed present): a name, or `{ channelSnapshot: prefix }` for a snapshot's always-written fields.
   */
  presentEventFields: {
    // manager_channels.c writes the dialled channel's snapshot on every DialBegin and DialEnd (only the
    // caller's is missing when an Originate dials), with DialString ("unknown" at worst) or DialStatus.
    DialBegin: [{ channelSnapshot: 'Dest' }, 'DialString'],
    DialEnd: [{ channelSnapshot: 'Dest' }, 'DialStatus'],
    // Written on every hang-up (TechCause only when the channel driver gives one).
    Hangup: ['Cause', 'Cause-txt'],
    VarSet: ['Variable', 'Value'],
    DeviceStateChange: ['Device', 'State'],
  },
  /** action -> parameters Asterisk refuses the action without, though the documentation marks them optional. */
  requiredActionParams: {
    // "No direction specified. Must be read, write or both", then "No state specified".
    MixMonitorMute: ['Direction', 'State'],
    // "No extension specified".
    BlindTransfer: ['Exten'],
    // "CoreShowChannelMap requires a channel."
    CoreShowChannelMap: ['Channel'],
    // "Unknown operation": Add is the only one.
    Filter: ['Operation'],
  },
  /**
   * Fields every list's closing event carries (Asterisk writes `EventList: Complete` and `ListItems`
   * for each one), added optional where its documentation leaves them out.
   */
  listClosingFields: ['EventList', 'ListItems'],
};
