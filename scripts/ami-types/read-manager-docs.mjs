// Builds the model the TypeScript is written from: names and structure only, never the prose.
import { OPEN_EVENTS, SNAPSHOT_NOT_GUARANTEED } from './overrides.mjs';
import { SNAPSHOT_ELEMENTS } from './snapshot-templates.mjs';
import { descendants, elementChildren, selectXPointer } from './xml-tree.mjs';

const XINCLUDE = 'xi:include';
/** Assigned by the client to correlate answers; never a parameter the caller writes. */
const CLIENT_HEADERS = new Set(['ActionID']);

/**
 * `{ actions, events, lists, snapshots }`, sorted by name:
 * - action: `{ name, modules, params: [{ name, required }], patterns: [{ prefix, placeholder, suffix }], open }`
 * - event: `{ name, modules, fields: [{ name, present, multiple }], open }`
 * - list: `{ action, items: [event names], complete: event name | null }`
 * - snapshots: `{ channel_snapshot: [{ suffix, optional }], bridge_snapshot: [...] }`, the fields each stands for
 */
export function readManagerDocs(document, snapshotTemplates) {
  const root = document.documentElement;
  const context = { document, snapshotTemplates };
  return {
    actions: mergeActions(elementChildren(root, 'manager').map((element) => readAction(element, context))),
    events: mergeEvents([...descendants(root, 'managerEvent')].map((element) => readEvent(element, context))),
    lists: readLists(elementChildren(root, 'manager'), context),
    snapshots: Object.fromEntries(snapshotTemplates),
  };
}

function readAction(element, context) {
  const entries = syntaxEntries(firstChild(element, 'syntax'), context);
  const action = { name: element.getAttribute('name'), module: moduleOf(element), params: [], patterns: [] };
  const names = new Set(entries.map((entry) => entry.name));
  let open = false;
  for (const entry of entries) {
    if (CLIENT_HEADERS.has(entry.name)) continue;
    const numbered = /^(.+?)(-0+|\(0\))$/.exec(entry.name);
    const stem = /^(.+)N$/.exec(entry.name)?.[1];
    if (numbered !== null) {
      const [, prefix, index] = numbered;
      action.patterns.push(
        index.startsWith('(')
          ? { prefix: `${prefix}(`, placeholder: 'number', suffix: ')' }
          : { prefix: `${prefix}-`, placeholder: 'string', suffix: '' },
      );
    } else if (stem !== undefined && names.has(`${stem}1`)) {
      // "Header1 ... HeaderN": any header names the caller chooses.
      open = true;
    } else if (!(/^(.+)1$/.test(entry.name) && names.has(`${entry.name.slice(0, -1)}N`))) {
      action.params.push({ name: entry.name, required: entry.required === true });
    }
  }
  return { ...action, open };
}

function readEvent(element, context) {
  const name = element.getAttribute('name');
  const instances = elementChildren(element, 'managerEventInstance').map((instance) => {
    const entries = syntaxEntries(firstChild(instance, 'syntax'), context);
    return fieldsOf(name, entries);
  });
  return { name, module: moduleOf(element), instances, open: OPEN_EVENTS.has(name) };
}

/** An instance's fields, each present only when Asterisk always writes it (see docs/types.md). */
function fieldsOf(eventName, entries) {
  const snapshotCounts = new Map();
  for (const entry of entries) {
    if (entry.snapshot?.first) {
      snapshotCounts.set(entry.snapshot.kind, (snapshotCounts.get(entry.snapshot.kind) ?? 0) + 1);
    }
  }
  const fields = new Map();
  for (const entry of entries) {
    let present = entry.required === true;
    const snapshot = entry.snapshot;
    if (snapshot !== undefined) {
      present =
        snapshotCounts.get(snapshot.kind) === 1 &&
        snapshot.prefix === '' &&
        !snapshot.optional &&
        !SNAPSHOT_NOT_GUARANTEED.has(eventName);
    }
    const known = fields.get(entry.name);
    fields.set(entry.name, {
      name: entry.name,
      present: present || (known?.present ?? false),
      multiple: entry.multiple || (known?.multiple ?? false),
    });
  }
  return fields;
}

/** The parameters a <syntax> lists: its own, the included ones, and the expanded snapshots. */
function syntaxEntries(syntax, context) {
  if (syntax === undefined) return [];
  const entries = [];
  for (const child of elementChildren(syntax)) {
    if (child.nodeName === 'parameter') {
      entries.push(parameterEntry(child));
    } else if (child.nodeName === XINCLUDE) {
      for (const target of selectXPointer(context.document, child.getAttribute('xpointer'))) {
        if (target.nodeName === 'parameter') entries.push(parameterEntry(target));
      }
    } else if (SNAPSHOT_ELEMENTS.includes(child.nodeName)) {
      const prefix = child.getAttribute('prefix') ?? '';
      context.snapshotTemplates.get(child.nodeName).forEach((field, index) => {
        entries.push({
          name: `${prefix}${field.suffix}`,
          required: false,
          multiple: false,
          snapshot: { kind: child.nodeName, prefix, optional: field.optional, first: index === 0 },
        });
      });
    }
  }
  return entries;
}

function parameterEntry(element) {
  const multiple = element.getAttribute('multiple');
  return {
    name: element.getAttribute('name'),
    required: element.getAttribute('required') === 'true',
    multiple: multiple === 'yes' || multiple === 'true',
  };
}

/** Actions documented by several modules (app_voicemail and its IMAP and ODBC builds): one entry. */
function mergeActions(actions) {
  const byName = new Map();
  for (const action of actions) {
    const known = byName.get(action.name);
    if (known === undefined) {
      byName.set(action.name, { ...action, modules: [action.module] });
      continue;
    }
    known.modules = [...new Set([...known.modules, action.module])];
    known.open ||= action.open;
    for (const pattern of action.patterns) {
      if (!known.patterns.some((p) => p.prefix === pattern.prefix)) known.patterns.push(pattern);
    }
    const names = new Set(action.params.map((param) => param.name));
    for (const param of known.params) if (!names.has(param.name)) param.required = false;
    for (const param of action.params) {
      const same = known.params.find((p) => p.name === param.name);
      if (same === undefined) known.params.push({ ...param, required: false });
      else same.required &&= param.required;
    }
  }
  return sortByName(
    [...byName.values()].map(({ module, ...action }) => ({ ...action, modules: action.modules.sort() })),
  );
}

/** A field is present only if every documented instance of the event has it present. */
function mergeEvents(events) {
  const byName = new Map();
  for (const event of events) {
    const known = byName.get(event.name);
    if (known === undefined) byName.set(event.name, { ...event, modules: [event.module] });
    else {
      known.modules = [...new Set([...known.modules, event.module])];
      known.instances.push(...event.instances);
      known.open ||= event.open;
    }
  }
  return sortByName(
    [...byName.values()].map((event) => {
      const fields = new Map();
      for (const instance of event.instances) {
        for (const field of instance.values()) {
          const known = fields.get(field.name);
          fields.set(field.name, {
            name: field.name,
            present: event.instances.every((other) => other.get(field.name)?.present === true),
            multiple: field.multiple || (known?.multiple ?? false),
          });
        }
      }
      return {
        name: event.name,
        modules: event.modules.sort(),
        fields: [...fields.values()],
        open: event.open,
      };
    }),
  );
}

/** What the list actions that document their answer send: item events and the closing event. */
function readLists(managers, context) {
  const lists = new Map();
  for (const manager of managers) {
    const responses = firstChild(manager, 'responses');
    if (responses === undefined) continue;
    const items = elementChildren(responses, 'list-elements').flatMap((list) => eventNames(list, context));
    const complete = eventNames(responses, context)[0] ?? null;
    lists.set(manager.getAttribute('name'), { action: manager.getAttribute('name'), items, complete });
  }
  return [...lists.values()].sort((a, b) => compareNames(a.action, b.action));
}

function eventNames(parent, context) {
  return elementChildren(parent).flatMap((child) => {
    if (child.nodeName === 'managerEvent') return [child.getAttribute('name')];
    if (child.nodeName !== XINCLUDE) return [];
    return selectXPointer(context.document, child.getAttribute('xpointer'))
      .filter((target) => target.nodeName === 'managerEvent')
      .map((target) => target.getAttribute('name'))
      .filter((name, index, all) => all.indexOf(name) === index);
  });
}

function firstChild(element, name) {
  return elementChildren(element, name)[0];
}

function moduleOf(element) {
  return element.getAttribute('module') || 'builtin';
}

export function compareNames(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortByName(items) {
  return items.sort((a, b) => compareNames(a.name, b.name));
}
