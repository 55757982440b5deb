import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

// Reads the event types as the compiler sees them (lib/types/ami-event-types.ts: the generated types,
// the hand-written ones and their completions), so the wire is compared with what users compile against.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface TypedField {
  /** `Field?:` in the type: Asterisk may leave it out. */
  optional: boolean;
  /** The type accepts `string[]` (a header Asterisk may repeat). */
  repeatable: boolean;
}

export interface TypedEvent {
  fields: Map<string, TypedField>;
  /** The type has a string index (UserEvent): any other header is allowed. */
  open: boolean;
}

/** Every typed event by name, with its fields. */
export function readEventTypes(): Map<string, TypedEvent> {
  const configPath = join(root, 'tsconfig.json');
  const { config } = ts.readConfigFile(configPath, ts.sys.readFile);
  const options = ts.parseJsonConfigFileContent(config, ts.sys, root).options;
  const probe = join(root, 'lib/types/__event-types-probe.ts');
  const text =
    "import type { AmiEventTypes } from './ami-event-types.js';\nexport type Probe = AmiEventTypes;\n";
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (path, language, onError) =>
    resolve(path) === probe
      ? ts.createSourceFile(path, text, language, true)
      : getSourceFile(path, language, onError);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (path) => resolve(path) === probe || fileExists(path);
  const program = ts.createProgram({ rootNames: [probe], options, host });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(probe);
  const alias = source?.statements.find(ts.isTypeAliasDeclaration);
  if (alias === undefined) throw new Error('the probe type was not compiled');
  const events = new Map<string, TypedEvent>();
  for (const eventSymbol of checker.getPropertiesOfType(checker.getTypeAtLocation(alias.name))) {
    const eventType = checker.getTypeOfSymbol(eventSymbol);
    const fields = new Map<string, TypedField>();
    for (const field of checker.getPropertiesOfType(eventType)) {
      const type = checker.getNonNullableType(checker.getTypeOfSymbol(field));
      const members = type.isUnion() ? type.types : [type];
      fields.set(field.name, {
        optional: (field.flags & ts.SymbolFlags.Optional) !== 0,
        repeatable: members.some((member) => checker.isArrayType(member)),
      });
    }
    events.set(eventSymbol.name, { fields, open: checker.getIndexInfosOfType(eventType).length > 0 });
  }
  return events;
}
