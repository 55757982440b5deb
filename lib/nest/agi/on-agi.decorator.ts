import { appendMethodMetadata } from '../decorators/method-metadata.js';

export const AMI_AGI_HANDLER_METADATA = 'nestjs-ami:agi-handler';

/**
 * Runs the method with an `AgiCall` for each AGI session of that script name (or any of those names):
 * `AGI(agi:async,main-menu)` over AMI or `AGI(agi://host:4573/main-menu)` through the FastAGI server.
 * Needs `AmiAgiModule.forRoot()`. Only singleton providers are wired (a session outlives a request scope).
 */
export function OnAgi(scripts: string | readonly string[]): MethodDecorator {
  const names = typeof scripts === 'string' ? [scripts] : [...scripts];
  if (names.length === 0 || names.some((name) => typeof name !== 'string' || name.trim() === ''))
    throw new TypeError(`@OnAgi needs one or more script names, got ${JSON.stringify(scripts)}`);
  return appendMethodMetadata(AMI_AGI_HANDLER_METADATA, names, '@OnAgi');
}

export function getAgiHandlerScripts(method: unknown): string[] {
  if (typeof method !== 'function') return [];
  const entries: string[][] = Reflect.getOwnMetadata(AMI_AGI_HANDLER_METADATA, method) ?? [];
  return entries.flat();
}
