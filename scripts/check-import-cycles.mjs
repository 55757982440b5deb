#!/usr/bin/env node
// Fails when the sources import in a circle, between files or between the top-level folders of lib/
// (actions, client, errors, protocol, ...): a layer may use the layers below it, never the other way
// back. Every relative import counts, `import type`, `export ... from` and `import()` included, since a
// type-only cycle still ties two layers together. A file directly in lib/ (index.ts) is an entry point
// and is its own node in the folder graph.
//
//   node scripts/check-import-cycles.mjs              check lib/
//   node scripts/check-import-cycles.mjs --root DIR   check DIR instead (the unit test's fixtures)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import ts from 'typescript';

/** Every .ts file under root, as paths relative to root with '/' separators, sorted. */
function sourceFiles(root, directory = root) {
  const files = [];
  for (const name of readdirSync(directory).sort()) {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(root, path));
    else if (name.endsWith('.ts')) files.push(relative(root, path).split(sep).join('/'));
  }
  return files;
}

/** The file a relative specifier names (`./x.js` is `./x.ts`, a folder is its index.ts), or undefined. */
function resolveSpecifier(root, from, specifier) {
  const base = resolve(root, dirname(from), specifier);
  const stem = base.replace(/\.(m|c)?js$/, '');
  const candidates = [`${stem}.ts`, `${stem}.d.ts`, base, join(base, 'index.ts')];
  const found = candidates.find(
    (path) => existsSync(path) && statSync(path).isFile() && path.endsWith('.ts'),
  );
  return found === undefined ? undefined : relative(root, found).split(sep).join('/');
}

/** file -> the files it imports, relative to root. */
export function importGraph(root) {
  const graph = new Map();
  for (const file of sourceFiles(root)) {
    const text = readFileSync(join(root, file), 'utf8');
    const { importedFiles } = ts.preProcessFile(text, true, true);
    const targets = new Set();
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolveSpecifier(root, file, fileName);
      if (target !== undefined && target !== file) targets.add(target);
    }
    graph.set(file, targets);
  }
  return graph;
}

/** The top-level folder a file belongs to (`client`), or the file itself when it sits directly in root. */
export function layerOf(file) {
  const slash = file.indexOf('/');
  return slash === -1 ? file : file.slice(0, slash);
}

/** folder -> folder -> the file imports that make that edge, e.g. `client/index.ts -> actions/index.ts`. */
export function layerGraph(files) {
  const graph = new Map();
  for (const [from, targets] of files) {
    const layer = layerOf(from);
    if (!graph.has(layer)) graph.set(layer, new Map());
    for (const to of targets) {
      const target = layerOf(to);
      if (target === layer) continue;
      const edges = graph.get(layer);
      if (!edges.has(target)) edges.set(target, []);
      edges.get(target).push(`${from} -> ${to}`);
    }
  }
  return graph;
}

/** Strongly connected components with more than one node (Tarjan), each sorted, in a stable order. */
function cycles(nodes, successors) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (node) => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of successors(node)) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) found.push(component.sort());
  };
  for (const node of [...nodes].sort()) if (!index.has(node)) visit(node);
  return found.sort((a, b) => a[0].localeCompare(b[0]));
}

/** One shortest circle through start inside component, as `a -> b -> a`. */
function circleThrough(start, component, successors) {
  const members = new Set(component);
  const previous = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift();
    for (const next of successors(node)) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [node];
        for (let at = previous.get(node); at !== undefined; at = previous.get(at)) path.unshift(at);
        return [...path, start].join(' -> ');
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return component.join(', ');
}

/** The cycles of root's sources: { files: [...], layers: [...] }, each entry a list of report lines. */
export function findCycles(root) {
  const files = importGraph(root);
  const layers = layerGraph(files);
  const fileSuccessors = (file) => [...(files.get(file) ?? [])].sort();
  const layerSuccessors = (layer) => [...(layers.get(layer)?.keys() ?? [])].sort();
  return {
    files: cycles(files.keys(), fileSuccessors).map((component) => [
      circleThrough(component[0], component, fileSuccessors),
    ]),
    layers: cycles(layers.keys(), layerSuccessors).map((component) => [
      circleThrough(component[0], component, layerSuccessors),
      ...component.flatMap((layer) =>
        layerSuccessors(layer)
          .filter((target) => component.includes(target))
          .flatMap((target) =>
            layers
              .get(layer)
              .get(target)
              .map((edge) => `  ${edge}`),
          ),
      ),
    ]),
  };
}

function main() {
  const { values } = parseArgs({ options: { root: { type: 'string' } } });
  const here = dirname(fileURLToPath(import.meta.url));
  const root = resolve(values.root ?? join(here, '../lib'));
  const { files, layers } = findCycles(root);
  const shown = relative(process.cwd(), root) || '.';
  if (files.length === 0 && layers.length === 0) {
    console.log(`No import cycles in ${shown} (${importGraph(root).size} files).`);
    return;
  }
  for (const [circle] of files) console.error(`file cycle: ${circle}`);
  for (const [circle, ...edges] of layers) {
    console.error(`folder cycle: ${circle}`);
    for (const edge of edges) console.error(edge);
  }
  console.error(`${files.length} file cycle(s), ${layers.length} folder cycle(s) in ${shown}.`);
  process.exitCode = 1;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
