/** The `agi_*` variables Asterisk sends when a session starts, typed. `raw` keeps every one as sent. */
export interface AgiEnvironment {
  /** `agi_request`: `async`, or the FastAGI URL (`agi://host:port/script?x`). */
  request: string;
  /** The script name: the path of the FastAGI URL without its leading `/`, or the first AsyncAGI argument. */
  script: string;
  /** The AGI arguments after the script (`agi_arg_1`...), in order. */
  arguments: string[];
  channel: string;
  language: string;
  type: string;
  uniqueId: string;
  version: string;
  callerId: string;
  callerIdName: string;
  callingPres: number;
  callingAni2: number;
  callingTon: number;
  callingTns: number;
  dnid: string;
  rdnis: string;
  context: string;
  extension: string;
  priority: string;
  enhanced: string;
  accountCode: string;
  threadId: string;
  raw: Record<string, string>;
}

/** Parses one `agi_name: value` line into `raw`; returns false when the line has no such shape. */
export function addEnvironmentLine(raw: Record<string, string>, line: string): boolean {
  const match = /^(agi_[a-z0-9_]+):\s?(.*)$/i.exec(line);
  if (match === null) return false;
  raw[(match[1] ?? '').toLowerCase()] = match[2] ?? '';
  return true;
}

/** Decodes the URL-encoded `Env` header of AsyncAGIStart into its `agi_*` lines. */
export function decodeAsyncEnvironment(env: string): Record<string, string> {
  const raw: Record<string, string> = Object.create(null);
  for (const line of safeDecode(env).split('\n')) addEnvironmentLine(raw, line);
  return raw;
}

export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Types the environment. The script comes from `agi_network_script` (FastAGI) or, for AsyncAGI, the first
 * argument (`AGI(agi:async,main-menu,x)` gives `agi_arg_1: main-menu`); the arguments are the rest.
 */
export function typedEnvironment(raw: Record<string, string>): AgiEnvironment {
  const args: string[] = [];
  for (let index = 1; raw[`agi_arg_${index}`] !== undefined; index++)
    args.push(raw[`agi_arg_${index}`] ?? '');
  const request = raw.agi_request ?? '';
  const isAsync = request === 'async';
  const script = isAsync ? (args.shift() ?? '') : networkScript(raw, request);
  const text = (name: string) => raw[`agi_${name}`] ?? '';
  const number = (name: string) => Number(raw[`agi_${name}`] ?? 0) || 0;
  return {
    request,
    script,
    arguments: args,
    channel: text('channel'),
    language: text('language'),
    type: text('type'),
    uniqueId: text('uniqueid'),
    version: text('version'),
    callerId: text('callerid'),
    callerIdName: text('calleridname'),
    callingPres: number('callingpres'),
    callingAni2: number('callingani2'),
    callingTon: number('callington'),
    callingTns: number('callingtns'),
    dnid: text('dnid'),
    rdnis: text('rdnis'),
    context: text('context'),
    extension: text('extension'),
    priority: text('priority'),
    enhanced: text('enhanced'),
    accountCode: text('accountcode'),
    threadId: text('threadid'),
    raw,
  };
}

function networkScript(raw: Record<string, string>, request: string): string {
  const fromHeader = raw.agi_network_script;
  if (fromHeader !== undefined) return stripQuery(fromHeader);
  const path = /^agi:\/\/[^/]*\/?(.*)$/i.exec(request)?.[1] ?? '';
  return stripQuery(path);
}

function stripQuery(script: string): string {
  return script.replace(/^\/+/, '').split('?', 1)[0] ?? '';
}
