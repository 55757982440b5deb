import 'reflect-metadata';

/**
 * A method decorator that appends `entry` to the array stored under `key` on the method itself, so the
 * decorator stacks and a subclass that overrides the method without it does not inherit it.
 */
export function appendMethodMetadata(key: string, entry: unknown, decorator: string): MethodDecorator {
  return (target, propertyKey, descriptor) => {
    const method = descriptor.value;
    if (typeof method !== 'function') {
      const where = `${target.constructor?.name ?? 'object'}.${String(propertyKey)}`;
      throw new TypeError(`${decorator} decorates methods; ${where} is not one`);
    }
    const existing: unknown[] = Reflect.getOwnMetadata(key, method) ?? [];
    Reflect.defineMetadata(key, [...existing, entry], method);
    return descriptor;
  };
}
