// Applies WIRE_CORRECTIONS (overrides.mjs) to the model read from the documentation. A correction that
// finds nothing to correct is an error: the documentation changed, and the correction must be reviewed.

/** Returns a corrected copy of `model` ({ actions, events, lists, snapshots }). */
export function applyWireCorrections(model, corrections) {
  const actions = model.actions.map((action) => ({
    ...action,
    params: action.params.map((p) => ({ ...p })),
  }));
  const events = model.events.map((event) => ({ ...event, fields: event.fields.map((f) => ({ ...f })) }));
  const find = (items, name, kind) => {
    const item = items.find((candidate) => candidate.name === name);
    if (item === undefined) throw new Error(`wire correction for ${kind} ${name}: not documented`);
    return item;
  };

  for (const [eventName, spellings] of Object.entries(corrections.eventFieldSpellings ?? {})) {
    const event = find(events, eventName, 'event');
    for (const [documented, wire] of Object.entries(spellings)) {
      const field = event.fields.find((candidate) => candidate.name === documented);
      if (field === undefined || event.fields.some((candidate) => candidate.name === wire)) {
        throw new Error(`wire correction for event ${eventName}: ${documented} -> ${wire} no longer applies`);
      }
      field.name = wire;
    }
  }
  for (const [eventName, additions] of Object.entries(corrections.undocumentedEventFields ?? {})) {
    const event = find(events, eventName, 'event');
    for (const addition of additions) {
      const { name, multiple = false } = typeof addition === 'string' ? { name: addition } : addition;
      if (event.fields.some((field) => field.name === name)) {
        throw new Error(`wire correction for event ${eventName}: ${name} is documented now`);
      }
      event.fields.push({ name, present: false, multiple });
    }
  }
  for (const [eventName, entries] of Object.entries(corrections.presentEventFields ?? {})) {
    const event = find(events, eventName, 'event');
    for (const name of entries.flatMap((entry) => snapshotFields(model, entry))) {
      const field = event.fields.find((candidate) => candidate.name === name);
      if (field === undefined)
        throw new Error(`wire correction for event ${eventName}: ${name} is not documented`);
      if (field.present)
        throw new Error(`wire correction for event ${eventName}: ${name} is typed present already`);
      field.present = true;
    }
  }
  for (const [actionName, names] of Object.entries(corrections.requiredActionParams ?? {})) {
    const action = find(actions, actionName, 'action');
    for (const name of names) {
      const param = action.params.find((candidate) => candidate.name === name);
      if (param?.required) {
        throw new Error(`wire correction for action ${actionName}: ${name} is documented required now`);
      }
      if (param === undefined) action.params.push({ name, required: true });
      else param.required = true;
    }
  }
  for (const list of model.lists) {
    if (list.complete === null) continue;
    const event = events.find((candidate) => candidate.name === list.complete);
    if (event === undefined) continue;
    for (const name of corrections.listClosingFields ?? []) {
      if (!event.fields.some((field) => field.name === name)) {
        event.fields.push({ name, present: false, multiple: false });
      }
    }
  }
  return { ...model, actions, events };
}

/** A field name as is, or `{ channelSnapshot: prefix }`: the snapshot's always-written fields, prefixed. */
function snapshotFields(model, entry) {
  if (typeof entry === 'string') return [entry];
  return model.snapshots.channel_snapshot
    .filter((field) => !field.optional)
    .map((field) => `${entry.channelSnapshot}${field.suffix}`);
}
