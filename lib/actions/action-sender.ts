import type { AmiEventList, AmiSendOptions } from '../client/ami-client.types.js';
import type { AmiEvent, AmiResponse } from '../protocol/ami-message.js';
import type { AmiActionInput, AmiActionNameInput, AmiListItem } from '../types/ami-action-types.js';

/** What the common-action helpers need: an `AmiClient`, an `AmiService`, or anything that sends alike. */
export interface AmiActionSender {
  send<N extends AmiActionNameInput>(
    action: AmiActionInput<N>,
    options?: AmiSendOptions,
  ): Promise<AmiResponse>;
  sendList<N extends AmiActionNameInput, TItem extends AmiEvent = AmiListItem<N>>(
    action: AmiActionInput<N>,
    options?: AmiSendOptions,
  ): Promise<AmiEventList<TItem>>;
}
