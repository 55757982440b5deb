import type { AmiSendOptions } from '../client/ami-client.types.js';
import { AmiActionError } from '../errors/ami-errors.js';
import type { AmiActionParams } from '../types/ami-action-types.js';
import type { AmiActionSender } from './action-sender.js';

// Asterisk's only way to say "no such key" is the Message of an Error response.
const NOT_FOUND = /not found/i;
const NOT_DELETED = /could not be deleted/i;

/** The value stored under Family/Key in Asterisk's database; undefined when there is no such key. */
export async function dbGet(
  sender: AmiActionSender,
  params: AmiActionParams<'DBGet'>,
  options?: AmiSendOptions,
): Promise<string | undefined> {
  try {
    const list = await sender.sendList({ ...params, Action: 'DBGet' }, options);
    const found = list.events.find((event) => event.Event === 'DBGetResponse');
    return found === undefined ? undefined : (found.Val ?? '');
  } catch (error) {
    if (isRefusal(error, NOT_FOUND)) return undefined;
    throw error;
  }
}

/** Stores `Val` (empty when absent) under Family/Key. */
export async function dbPut(
  sender: AmiActionSender,
  params: AmiActionParams<'DBPut'>,
  options?: AmiSendOptions,
): Promise<void> {
  await sender.send({ ...params, Action: 'DBPut' }, options);
}

/** Deletes Family/Key; false when there was nothing to delete. */
export async function dbDel(
  sender: AmiActionSender,
  params: AmiActionParams<'DBDel'>,
  options?: AmiSendOptions,
): Promise<boolean> {
  try {
    await sender.send({ ...params, Action: 'DBDel' }, options);
    return true;
  } catch (error) {
    if (isRefusal(error, NOT_DELETED)) return false;
    throw error;
  }
}

function isRefusal(error: unknown, message: RegExp): boolean {
  if (!(error instanceof AmiActionError)) return false;
  const text = error.response.Message;
  return typeof text === 'string' && message.test(text);
}
