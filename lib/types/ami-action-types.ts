import type { AmiActionParameters, AmiDocumentedLists } from '../generated/ami-actions.generated.js';
import type { AmiAction } from '../protocol/action-serializer.js';
import type { AmiEvent } from '../protocol/ami-message.js';
import type { AmiExtraHeaders, AmiLooseHeaderValue, AmiParameterValue } from '../protocol/ami-values.js';
import type { AmiEventByName } from './ami-event-types.js';
import type { AmiUndocumentedListItems } from './undocumented-events.js';

/** A documented action name, in Asterisk's spelling ('Originate', 'CoreShowChannels', 'PJSIPShowEndpoints'...). */
export type AmiActionName = keyof AmiActionParameters;

/** An action name as a parameter: a typed one (offered by completion) or any other string. */
export type AmiActionNameInput = AmiActionName | (string & {});

/** What every action may add to its parameters. (A type, not an interface: typed actions stay `AmiAction`s.) */
export type AmiActionExtras = {
  /** Headers the action's type does not declare (newer or patched Asterisk, a module's own). */
  extraHeaders?: AmiExtraHeaders;
  /** Channel variables, each written as `Variable: name=value` (Originate, MessageSend, PJSIPNotify). */
  variables?: Readonly<Record<string, AmiParameterValue>>;
};

/** The parameters of the documented action `N`, without `Action`. */
export type AmiActionParams<N extends AmiActionName> = AmiActionParameters[N] & AmiActionExtras;

/** A documented action: misspelled or missing parameters fail to compile; extras go in `extraHeaders`. */
export type AmiTypedAction<N extends AmiActionName> = { Action: N } & AmiActionParams<N>;

/** An action the documentation does not describe (a module's, an older Asterisk's): any headers. */
export type AmiCustomAction<N extends string = string> = {
  Action: N;
  variables?: Readonly<Record<string, AmiParameterValue>>;
  extraHeaders?: AmiExtraHeaders;
  [header: string]: AmiLooseHeaderValue;
};

/**
 * What `send` accepts for the action named `N`: the typed action when `N` is documented, otherwise
 * a custom action. A name only known as `string` (e.g. an `AmiAction` built at run time) is accepted as is.
 */
export type AmiActionInput<N extends string> = string extends N
  ? AmiAction
  : N extends AmiActionName
    ? AmiTypedAction<N>
    : AmiCustomAction<N>;

type DocumentedListItems = { [A in keyof AmiDocumentedLists]: AmiDocumentedLists[A]['items'] };

/** For list actions whose items are known: the names of the events they list. */
export type AmiListItemNames = DocumentedListItems & AmiUndocumentedListItems;

/** The events the list action `N` answers with (`AmiEvent` when they are not known). */
export type AmiListItem<N extends string> = N extends keyof AmiListItemNames
  ? AmiEventByName<AmiListItemNames[N]>
  : AmiEvent;

/**
 * What a helper taking the parameters of `N` accepts (e.g. `originate`): checked like a typed action,
 * except a value whose type has a string index (an `AmiAction`-like object built at run time), taken as is.
 */
export type AmiActionParamsInput<N extends AmiActionName, P> = string extends keyof P
  ? P
  : AmiActionParams<N>;
