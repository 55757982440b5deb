import type { AmiAction, AmiActionHeaderValue } from './action-serializer.js';

/** A typed action parameter: written as its string form (`true` -> `true`, `30000` -> `30000`). */
export type AmiParameterValue = string | number | boolean;

/** Headers a typed action does not declare; written as plain headers (an array repeats the header). */
export type AmiExtraHeaders = Readonly<Record<string, AmiActionHeaderValue | null | undefined>>;

/** What a header of an untyped action may hold (as in `AmiAction`). */
export type AmiLooseHeaderValue = AmiAction[string];
