// Reading Asterisk's documentation XML: a DOM, element children, and the small XPointer subset its
// <xi:include> elements use (child steps with [@attr='value'], [contains(@attr, 'value')] or [n]).
import { DOMParser } from '@xmldom/xmldom';

const ELEMENT_NODE = 1;

/** Parses `text` (named `source` in errors); malformed XML throws instead of yielding a partial tree. */
export function parseXml(text, source) {
  let problem;
  const parser = new DOMParser({
    onError: (level, message) => {
      if (level === 'warning') return;
      problem ??= message;
      throw new Error(message);
    },
  });
  try {
    return parser.parseFromString(text, 'text/xml');
  } catch (error) {
    throw new Error(`${source} is not well-formed XML: ${problem ?? error.message}`);
  }
}

export function elementChildren(node, name) {
  const children = [];
  for (let child = node.firstChild; child !== null; child = child.nextSibling) {
    if (child.nodeType === ELEMENT_NODE && (name === undefined || child.nodeName === name)) {
      children.push(child);
    }
  }
  return children;
}

/** Every element below `node`, depth first, in document order. */
export function* descendants(node, name) {
  for (const child of elementChildren(node)) {
    if (name === undefined || child.nodeName === name) yield child;
    yield* descendants(child, name);
  }
}

/**
 * The elements an `xpointer(...)` expression selects in `document`. Steps that select text
 * (`node()`, `text()`) select nothing: only elements carry the names this generator reads.
 */
export function selectXPointer(document, expression) {
  const match = /^\s*xpointer\((.*)\)\s*$/s.exec(expression);
  if (match === null) throw new Error(`unsupported xpointer: ${expression}`);
  let nodes = [document];
  for (const step of splitSteps(match[1].replace(/^\//, ''))) {
    const parsed = /^([\w:.-]+|node\(\)|text\(\))((?:\[.*\])*)$/s.exec(step);
    if (parsed === null) throw new Error(`unsupported xpointer step "${step}" in ${expression}`);
    if (parsed[1] === 'node()' || parsed[1] === 'text()') return [];
    const predicates = splitPredicates(parsed[2]);
    nodes = nodes.flatMap((node) => {
      let selected = elementChildren(node, parsed[1]);
      for (const predicate of predicates) selected = applyPredicate(selected, predicate, expression);
      return selected;
    });
  }
  return nodes;
}

function applyPredicate(nodes, predicate, expression) {
  const position = /^\d+$/.exec(predicate);
  if (position !== null) {
    const node = nodes[Number(predicate) - 1];
    return node === undefined ? [] : [node];
  }
  const equals = /^@([\w:-]+)\s*=\s*(['"])(.*)\2$/s.exec(predicate);
  if (equals !== null) return nodes.filter((node) => node.getAttribute(equals[1]) === equals[3]);
  const contains = /^contains\(\s*@([\w:-]+)\s*,\s*(['"])(.*)\2\s*\)$/s.exec(predicate);
  if (contains !== null) {
    return nodes.filter((node) => (node.getAttribute(contains[1]) ?? '').includes(contains[3]));
  }
  throw new Error(`unsupported xpointer predicate [${predicate}] in ${expression}`);
}

/**
 * Each character of `text` with the bracket depth it stands at and whether it is inside quotes. A bracket
 * stands at the depth outside it; brackets and slashes inside quotes are plain characters.
 */
function* charactersWithDepth(text) {
  let depth = 0;
  let quote = null;
  for (const char of text) {
    const quoted = quote !== null;
    if (quoted) {
      if (char === quote) quote = null;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === ']') {
      depth -= 1;
    }
    yield { char, depth, quoted };
    if (!quoted && char === '[') depth += 1;
  }
}

// Splits at "/" outside brackets and quotes: attribute values may hold "/" (Technology/Resource).
function splitSteps(path) {
  const steps = [''];
  for (const { char, depth, quoted } of charactersWithDepth(path)) {
    if (char === '/' && depth === 0 && !quoted) steps.push('');
    else steps[steps.length - 1] += char;
  }
  return steps.filter((step) => step !== '');
}

/** The contents of the outermost `[...]` groups of `text`, in order. */
function splitPredicates(text) {
  const predicates = [];
  let current = '';
  for (const { char, depth, quoted } of charactersWithDepth(text)) {
    if (depth > 0) {
      current += char;
    } else if (char === ']' && !quoted) {
      predicates.push(current.trim());
      current = '';
    }
  }
  return predicates;
}
