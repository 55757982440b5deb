export type { AmiActionSender } from './action-sender.js';
export { getVar, hangup, redirect, setVar } from './call-actions.js';
export { dbDel, dbGet, dbPut } from './database-actions.js';
export type { AmiQueueStatus } from './list-actions.js';
export { coreShowChannels, pjsipShowEndpoints, queueStatus, queueSummary } from './list-actions.js';
