// The last event of the W1 storm: a client knows every event before it arrived once it sees this one.
export const SENTINEL_EVENT = 'UserEvent';
export const SENTINEL_NAME = 'BenchDone';
export const SENTINEL_FRAME = `Event: ${SENTINEL_EVENT}\r\nPrivilege: user,all\r\nUserEvent: ${SENTINEL_NAME}\r\n\r\n`;

/** The events a logged-in client receives besides the storm: FullyBooted after login, then the sentinel. */
export const EXTRA_EVENTS = { FullyBooted: 1, [SENTINEL_EVENT]: 1 };
