#!/usr/bin/env node
// Generates lib/generated/*.generated.ts (typed AMI actions and events) from Asterisk's own XML
// documentation, by default the one in the test rig's Asterisk 22 chroot (scripts/asterisk.sh root).
//
//   node scripts/generate-ami-types.mjs [--xml core-en_US.xml] [--stylesheet appdocsxml.xslt]
//                                       [--out lib/generated] [--json] [--corrections file.mjs]
//
// --json prints the model (names, required/present flags) instead of writing files.
// --corrections names a module exporting WIRE_CORRECTIONS (default: scripts/ami-types/overrides.mjs),
// the places where Asterisk's documentation and its wire disagree.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { applyWireCorrections } from './ami-types/apply-wire-corrections.mjs';
import { emitTypeScript } from './ami-types/emit-typescript.mjs';
import { readManagerDocs } from './ami-types/read-manager-docs.mjs';
import { readSnapshotTemplates } from './ami-types/snapshot-templates.mjs';
import { parseXml } from './ami-types/xml-tree.mjs';

const repository = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DOCUMENTATION = 'usr/share/asterisk/documentation';

const { values } = parseArgs({
  options: {
    xml: { type: 'string' },
    stylesheet: { type: 'string' },
    out: { type: 'string', default: join(repository, 'lib/generated') },
    json: { type: 'boolean', default: false },
    corrections: { type: 'string', default: join(repository, 'scripts/ami-types/overrides.mjs') },
  },
});

try {
  await generate();
} catch (error) {
  console.error(`generate-ami-types: ${error.message}`);
  process.exitCode = 1;
}

async function generate() {
  const xmlPath = values.xml ?? join(rigRoot(), DOCUMENTATION, 'core-en_US.xml');
  const stylesheetPath = values.stylesheet ?? join(dirname(xmlPath), 'appdocsxml.xslt');
  const documentation = parseXml(read(xmlPath), xmlPath);
  const templates = readSnapshotTemplates(parseXml(read(stylesheetPath), stylesheetPath));
  const { WIRE_CORRECTIONS } = await import(pathToFileURL(resolve(values.corrections)).href);
  if (WIRE_CORRECTIONS === undefined) throw new Error(`${values.corrections} exports no WIRE_CORRECTIONS`);
  const model = applyWireCorrections(readManagerDocs(documentation, templates), WIRE_CORRECTIONS);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(model, null, 2)}\n`);
    return;
  }
  mkdirSync(values.out, { recursive: true });
  for (const [name, contents] of Object.entries(emitTypeScript(model))) {
    writeFileSync(join(values.out, name), contents);
  }
  console.log(
    `${model.actions.length} actions, ${model.events.length} events, ${model.lists.length} documented lists -> ${values.out}`,
  );
}

function rigRoot() {
  const script = join(repository, 'scripts/asterisk.sh');
  return execFileSync('bash', [script, 'root'], { encoding: 'utf8' }).trim();
}

function read(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(
      `cannot read ${path} (provision the rig with \`npm run asterisk -- start\`, or pass --xml): ${error.message}`,
    );
  }
}
