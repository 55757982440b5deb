// Where a build keeps the framework-free client's entry: `dist/client.js` today, `dist/client/index.js`
// in builds before the entry files moved above lib/'s folders (so older builds can still be compared).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function clientEntry(dist) {
  for (const candidate of [join(dist, 'client.js'), join(dist, 'client', 'index.js')]) {
    if (existsSync(candidate)) return candidate;
  }
  return null;
}
