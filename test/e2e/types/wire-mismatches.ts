import type { AmiEvent } from '../../../lib/client.js';
import type { TypedEvent } from './event-types.js';

/**
 * Where received events disagree with their types, one line each (`Event: problem`), without repeats:
 * a header the type does not declare (a spelling the type has otherwise is named), a field typed present
 * that did not arrive, a repeated header typed as a single string.
 */
export function wireMismatches(
  received: readonly AmiEvent[],
  types: ReadonlyMap<string, TypedEvent>,
): string[] {
  const problems = new Set<string>();
  for (const event of received) {
    const type = types.get(event.Event);
    if (type === undefined) continue;
    for (const [header, value] of Object.entries(event)) {
      // `Event:all` and the like are the client's own keys, never a header.
      if (header.includes(':')) continue;
      const field = type.fields.get(header);
      if (field === undefined) {
        if (type.open) continue;
        const other = [...type.fields.keys()].find((name) => name.toLowerCase() === header.toLowerCase());
        problems.add(
          `${event.Event}: header ${header} is not in its type${other === undefined ? '' : ` (the type spells it ${other})`}`,
        );
      } else if (Array.isArray(value) && !field.repeatable) {
        problems.add(`${event.Event}: header ${header} came repeated, its type allows one string`);
      }
    }
    for (const [name, field] of type.fields) {
      if (!field.optional && event[name] === undefined) {
        problems.add(`${event.Event}: ${name} is typed present but did not arrive`);
      }
    }
  }
  return [...problems].sort();
}
