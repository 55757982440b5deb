import type { AmiSendOptions } from '../client/ami-client.types.js';
import { type AmiResponse, firstHeaderValue } from '../protocol/ami-message.js';
import type { AmiActionParams } from '../types/ami-action-types.js';
import type { AmiActionSender } from './action-sender.js';

/**
 * Hangs up a channel (`Cause`: a Q.850 code). A `/regex/` channel hangs up every match; the response
 * then comes after Asterisk has listed them.
 */
export function hangup(
  sender: AmiActionSender,
  params: AmiActionParams<'Hangup'>,
  options?: AmiSendOptions,
): Promise<AmiResponse> {
  return sender.send({ ...params, Action: 'Hangup' }, options);
}

/** Sends a channel (and optionally a second one, `Extra...`) to another place in the dialplan. */
export function redirect(
  sender: AmiActionSender,
  params: AmiActionParams<'Redirect'>,
  options?: AmiSendOptions,
): Promise<AmiResponse> {
  return sender.send({ ...params, Action: 'Redirect' }, options);
}

/**
 * A channel variable or dialplan function (`CALLERID(num)`), or a global variable without `Channel`.
 * Undefined when empty: Asterisk answers an unset variable and an empty one alike.
 */
export async function getVar(
  sender: AmiActionSender,
  params: AmiActionParams<'Getvar'>,
  options?: AmiSendOptions,
): Promise<string | undefined> {
  const response = await sender.send({ ...params, Action: 'Getvar' }, options);
  const value = firstHeaderValue(response, 'Value');
  return value === '' ? undefined : value;
}

/** Sets a channel variable or dialplan function, or a global variable without `Channel`. */
export async function setVar(
  sender: AmiActionSender,
  params: AmiActionParams<'Setvar'>,
  options?: AmiSendOptions,
): Promise<void> {
  await sender.send({ ...params, Action: 'Setvar' }, options);
}
