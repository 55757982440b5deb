export type { AmiActionParameters, AmiDocumentedLists } from '../generated/ami-actions.generated.js';
export { AMI_ACTION_NAMES } from '../generated/ami-actions.generated.js';
export * from '../generated/ami-events.generated.js';
export type { AmiEventCommon } from '../protocol/ami-event-common.js';
export type { AmiExtraHeaders, AmiLooseHeaderValue, AmiParameterValue } from '../protocol/ami-values.js';
export type {
  AmiActionExtras,
  AmiActionInput,
  AmiActionName,
  AmiActionNameInput,
  AmiActionParams,
  AmiActionParamsInput,
  AmiCustomAction,
  AmiListItem,
  AmiListItemNames,
  AmiTypedAction,
} from './ami-action-types.js';
export type {
  AmiEventByName,
  AmiEventName,
  AmiEventNameInput,
  AmiEventTypes,
  AmiKnownEvent,
} from './ami-event-types.js';
export { isEventNamed } from './event-guard.js';
export type * from './undocumented-events.js';
export type {
  AmiUserEvent,
  AmiUserEventDefinition,
  AmiUserEventFields,
  AmiUserEventInput,
} from './user-events.js';
export { defineAmiUserEvent, isAmiUserEvent } from './user-events.js';
