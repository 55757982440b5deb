// The few facts the documentation's structure does not carry, each checked against a live Asterisk 22.

/** Events that carry arbitrary extra fields (a UserEvent has whatever headers its sender chose). */
export const OPEN_EVENTS = new Set(['UserEvent']);

/**
 * Events that document one channel snapshot which Asterisk nevertheless leaves out: a UserEvent sent
 * through AMI has no channel, and a VarSet of a global variable carries no channel snapshot.
 */
export const SNAPSHOT_NOT_GUARANTEED = new Set(['UserEvent', 'VarSet']);
