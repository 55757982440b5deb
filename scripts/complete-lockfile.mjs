// Adds to package-lock.json the platform binaries npm could not record: the registry this project is
// developed against serves only some platforms' optional packages, so npm leaves the others out of the
// lock and `npm ci` then refuses the lock. Each entry gets the os/cpu/libc its name states, so npm skips
// it on other platforms and installs it by version on its own. Run after `npm install` changes the lock.
import { readFileSync, writeFileSync } from 'node:fs';

const FAMILIES = [
  /^@biomejs\/cli-(\w+)-(\w+?)(-musl)?$/,
  /^@unrs\/resolver-binding-(\w+)-(\w+?)(?:-(gnu|musl|gnueabihf|musleabihf|eabi|msvc))?$/,
];
const CPU = {
  arm: 'arm',
  arm64: 'arm64',
  x64: 'x64',
  ia32: 'ia32',
  loong64: 'loong64',
  ppc64: 'ppc64',
  riscv64: 'riscv64',
  s390x: 's390x',
};

function platformOf(name) {
  for (const family of FAMILIES) {
    const match = family.exec(name);
    if (!match || !CPU[match[2]]) continue;
    const [, os, cpu, abi = ''] = match;
    const entry = { os: [os], cpu: [CPU[cpu]] };
    if (os === 'linux') entry.libc = [abi.includes('musl') ? 'musl' : 'glibc'];
    return entry;
  }
  return null;
}

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const packages = lock.packages;
let added = 0;
for (const [path, meta] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (packages[key] || packages[`${path}/node_modules/${name}`]) continue;
    const platform = platformOf(name);
    if (!platform) throw new Error(`${name} is missing from the lock and its platform is unknown`);
    packages[key] = { version, ...(meta.dev ? { dev: true } : {}), optional: true, ...platform };
    added += 1;
  }
}
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} platform entries added`);
