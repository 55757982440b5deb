import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

// The fixtures in test/types prove at compile time that wrong parameter names, missing parameters and
// wrong event fields fail. `tsc` alone only says every `@ts-expect-error` found *an* error; this test
// proves the errors are the ones intended: without the directives, exactly the lines they mark fail.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const fixturesDir = join(root, 'test/types');
const DIRECTIVE = /^\s*\/\/ @ts-expect-error\b.*$/;

function compilerOptions(): ts.CompilerOptions {
  const configPath = join(root, 'tsconfig.json');
  const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  return ts.parseJsonConfigFileContent(config, ts.sys, root).options;
}

/** Compiles `files` (path -> source text; other files from disk) and returns each file's error lines. */
function errorsByFile(files: Map<string, string>): Map<string, ts.Diagnostic[]> {
  const options = compilerOptions();
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (path) => files.get(resolve(path)) ?? readFile(path);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (path, language, onError) => {
    const text = files.get(resolve(path));
    return text === undefined
      ? getSourceFile(path, language, onError)
      : ts.createSourceFile(path, text, language, true);
  };
  const program = ts.createProgram({ rootNames: [...files.keys()], options, host });
  const result = new Map<string, ts.Diagnostic[]>();
  for (const path of files.keys()) {
    const source = program.getSourceFile(path);
    if (source === undefined) throw new Error(`${path} was not compiled`);
    result.set(path, [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]);
  }
  return result;
}

const lineOf = (diagnostic: ts.Diagnostic) =>
  diagnostic.file && diagnostic.start !== undefined
    ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1
    : 0;

const describeErrors = (diagnostics: ts.Diagnostic[]) =>
  diagnostics.map((d) => `${lineOf(d)}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);

describe('type fixtures (test/types)', () => {
  const fixtures = new Map(
    readdirSync(fixturesDir)
      .filter((name) => name.endsWith('.ts'))
      .map((name) => {
        const path = join(fixturesDir, name);
        return [path, ts.sys.readFile(path) ?? ''] as const;
      }),
  );

  it('has fixtures with expected errors to check', () => {
    const directives = [...fixtures.values()].flatMap((text) =>
      text.split('\n').filter((l) => DIRECTIVE.test(l)),
    );
    expect(fixtures.size).toBeGreaterThanOrEqual(4);
    expect(directives.length).toBeGreaterThanOrEqual(20);
  });

  it('fails exactly on the lines marked @ts-expect-error once the directives are removed', () => {
    const stripped = new Map<string, string>();
    const expected = new Map<string, number[]>();
    for (const [path, text] of fixtures) {
      const lines = text.split('\n');
      const marked: number[] = [];
      lines.forEach((line, index) => {
        if (!DIRECTIVE.test(line)) return;
        marked.push(index + 2); // 1-based number of the line after the directive
        lines[index] = '';
      });
      stripped.set(path, lines.join('\n'));
      expected.set(path, marked);
    }
    const errors = errorsByFile(stripped);
    for (const [path, marked] of expected) {
      const diagnostics = errors.get(path) ?? [];
      const failing = [...new Set(diagnostics.map(lineOf))].sort((a, b) => a - b);
      expect({ file: path, failing }).toEqual({ file: path, failing: marked });
    }
  }, 120_000);

  it('reports a misspelled parameter, a missing one and a wrong event field by name', () => {
    const path = join(fixturesDir, '__probe__.ts');
    const probe = [
      "import type { AmiClient } from '../../lib/client.js';",
      'export async function probe(client: AmiClient): Promise<void> {',
      "  await client.send({ Action: 'Originate', Chanel: 'Local/100@test' });",
      "  await client.send({ Action: 'DBGet', Family: 'crm' });",
      "  client.onEvent('Hangup', (event) => event.Cuase);",
      "  await client.send({ Action: 'Originate', Channel: 'Local/100@test', extraHeaders: { Chanel: 'x' } });",
      "  await client.send({ Action: 'SomeModuleAction', Chanel: 'x' });",
      "  client.onEvent('SomeModuleEvent', (event) => event.Cuase);",
      '}',
    ].join('\n');
    const diagnostics = errorsByFile(new Map([[path, probe]])).get(path) ?? [];
    expect(describeErrors(diagnostics)).toEqual([
      expect.stringMatching(/^3: .*'Chanel' does not exist .*Did you mean to write 'Channel'\?/),
      expect.stringMatching(/^4: .*Property 'Key' is missing/),
      expect.stringMatching(
        /^5: Property 'Cuase' does not exist on type 'AmiHangupEvent'\. Did you mean 'Cause'\?/,
      ),
    ]);
  }, 120_000);
});
