import { type AmiMessage, allValuesKey, createHeaderRecord, isIdentityHeader } from './ami-message.js';

/** Bounds: a server inventing header sets forever gets the generic (slower) path, never more memory. */
const MAX_NODES = 4096;
const MAX_CHILDREN = 32;
const MAX_DEPTH = 128;
const MAX_RECORDS = 256;
const MAX_NAME_LENGTH = 255;
const MAX_REMEMBERED_VALUE = 12;

const HEADER_RECORD_PROTOTYPE: object = Object.getPrototypeOf(createHeaderRecord());

type RecordConstructor = new (values: readonly string[]) => AmiMessage;

/** One header name after the names before it: a node of the trie of the header sequences seen. */
export class ShapeNode {
  readonly children: ShapeNode[] = [];
  /** Undefined until first needed; null when it cannot be compiled (the generic path builds those). */
  record: RecordConstructor | null | undefined = undefined;

  /** `Name:`, what a line of this header starts with. */
  readonly prefix: string;
  /**
   * The prefix's bytes: `prefixWords` little-endian 32-bit words, then the last bytes one by one. Empty
   * for a name beyond Latin-1, which only the text path compares. Plain arrays of small integers: typed
   * arrays cost an ArrayBuffer each, for every node of every connection.
   */
  readonly prefixCodes: number[];
  readonly prefixWords: number;
  private lastValue = '';

  constructor(
    readonly name: string,
    readonly depth: number,
  ) {
    this.prefix = `${name}:`;
    const bytes = Buffer.from(this.prefix, 'latin1');
    const latin1 = bytes.toString('latin1') === this.prefix;
    this.prefixWords = latin1 ? Math.floor(bytes.length / 4) : 0;
    this.prefixCodes = [];
    if (!latin1) return;
    for (let i = 0; i < this.prefixWords; i++) this.prefixCodes.push(bytes.readInt32LE(i * 4));
    for (let i = this.prefixWords * 4; i < bytes.length; i++) this.prefixCodes.push(bytes[i]);
  }

  /**
   * The value at `start`, as a string: this header's previous value again when its bytes are the same
   * (about half of all values repeat: states, contexts, priorities), so the repeat costs no allocation.
   */
  valueAt(text: string, view: DataView, start: number, end: number): string {
    const last = this.lastValue;
    const length = end - start;
    if (last.length === length) {
      let i = 0;
      while (i < length && view.getUint8(start + i) === last.charCodeAt(i)) i++;
      if (i === length) return last;
    }
    const value = text.slice(start, end);
    if (length <= MAX_REMEMBERED_VALUE) this.lastValue = value;
    return value;
  }
}

/** The engine's canonical (internalized) copy of a string: what property keys are. */
function internalized(name: string): string {
  return Object.keys({ [name]: true })[0];
}

/**
 * The header-name sequences a connection has seen (Asterisk sends the same few hundred again and again),
 * each with a record constructor compiled for it: it builds a message in one allocation with every header
 * in place, instead of growing an object one property at a time. Header names only enter the generated
 * code as JSON string literals.
 */
export class HeaderShapes {
  readonly root = new ShapeNode('', 0);
  private nodes = 1;
  private records = 0;
  private codegen = true;

  /** The child of `node` whose `Name:` the line at `start` begins with, or null. */
  match(node: ShapeNode, text: string, start: number): ShapeNode | null {
    const children = node.children;
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      if (text.startsWith(child.prefix, start)) return child;
    }
    return null;
  }

  /**
   * `match` on the line's bytes (where `text` holds one character per byte, at the same offsets), four
   * at a time: `startsWith` at an offset costs more than the rest of the line's reading.
   */
  matchBytes(node: ShapeNode, view: DataView, start: number, end: number): ShapeNode | null {
    const children = node.children;
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      const codes = child.prefixCodes;
      if (codes.length === 0 || start + child.prefix.length > end) continue;
      const words = child.prefixWords;
      let at = start;
      let same = true;
      for (let i = 0; same && i < words; i++, at += 4) same = view.getInt32(at, true) === codes[i];
      for (let i = words; same && i < codes.length; i++, at++) same = view.getUint8(at) === codes[i];
      if (same) return child;
    }
    return null;
  }

  /** Adds `name` under `node`; null when a bound is reached. */
  add(node: ShapeNode, name: string): ShapeNode | null {
    if (
      name.length === 0 ||
      name.length > MAX_NAME_LENGTH ||
      node.depth >= MAX_DEPTH ||
      node.children.length >= MAX_CHILDREN ||
      this.nodes >= MAX_NODES
    ) {
      return null;
    }
    const child = new ShapeNode(internalized(name), node.depth + 1);
    node.children.push(child);
    this.nodes += 1;
    return child;
  }

  /** The constructor for the sequence ending at `node` (whose names are `names[0..depth)`), or null. */
  recordFor(node: ShapeNode, names: readonly string[]): RecordConstructor | null {
    if (node.record !== undefined) return node.record;
    node.record = this.records < MAX_RECORDS && this.codegen ? this.compile(names, node.depth) : null;
    if (node.record !== null) this.records += 1;
    return node.record;
  }

  private compile(names: readonly string[], count: number): RecordConstructor | null {
    const positions = new Map<string, number[]>();
    for (let i = 0; i < count; i++) {
      const at = positions.get(names[i]);
      if (at === undefined) positions.set(names[i], [i]);
      else at.push(i);
    }
    // Keys in the order the generic path inserts them: a name at its first value, `'<Name>:all'` of an
    // identity header at its second.
    const assignments: [order: number, code: string][] = [];
    for (const [name, at] of positions) {
      const all = `[${at.map((i) => `v[${i}]`).join(', ')}]`;
      if (at.length === 1 || isIdentityHeader(name)) {
        assignments.push([at[0], `this[${JSON.stringify(name)}] = v[${at[0]}];\n`]);
        if (at.length > 1)
          assignments.push([at[1], `this[${JSON.stringify(allValuesKey(name))}] = ${all};\n`]);
      } else {
        assignments.push([at[0], `this[${JSON.stringify(name)}] = ${all};\n`]);
      }
    }
    const body = assignments
      .sort((a, b) => a[0] - b[0])
      .map(([, code]) => code)
      .join('');
    try {
      const record = new Function('v', body) as unknown as RecordConstructor;
      record.prototype = HEADER_RECORD_PROTOTYPE;
      return record;
    } catch {
      // Code generation from strings disallowed (--disallow-code-generation-from-strings).
      this.codegen = false;
      return null;
    }
  }
}

function addToAllValues(message: AmiMessage, name: string, first: string, value: string): void {
  const key = allValuesKey(name);
  const all = message[key];
  if (all === undefined) message[key] = [first, value];
  else (all as string[]).push(value);
}

/**
 * The message of `count` headers the slow way: one property at a time, repeated names as arrays (but a
 * repeated `Event`, `Response` or `ActionID` keeps its first value, and all of them under `'<Name>:all'`).
 */
export function buildGeneric(names: readonly string[], values: readonly string[], count: number): AmiMessage {
  const message = createHeaderRecord();
  for (let i = 0; i < count; i++) {
    const name = names[i];
    const value = values[i];
    const previous = message[name];
    if (previous === undefined) message[name] = value;
    else if (isIdentityHeader(name)) addToAllValues(message, name, previous as string, value);
    else if (typeof previous === 'string') message[name] = [previous, value];
    else previous.push(value);
  }
  return message;
}
