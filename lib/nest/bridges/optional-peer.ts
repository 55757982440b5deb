/**
 * Loads an optional peer (@nestjs/event-emitter, @nestjs/terminus) only when a feature that needs it is
 * used, so an application without it can still import nestjs-ami. A dynamic import works from ESM and
 * from CommonJS apps loading this package through require(esm), and needs no top-level await.
 */
export async function loadOptionalPeer<T>(name: string, feature: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new Error(`nestjs-ami: ${feature} needs the package ${name}: npm install ${name}`, {
        cause: error,
      });
    }
    throw error;
  }
}
