import type { AgiCall } from './agi-call.js';

/** A function that drives one AGI session. */
export type AgiHandler = (call: AgiCall) => unknown;

/**
 * Routes sessions to handlers by script name (case-sensitive, as URLs are). Shared by the FastAGI server
 * and AsyncAGI so one handler serves both `AGI(agi:async,name)` and `AGI(agi://host/name)`.
 */
export class AmiAgiRouter {
  private readonly handlers = new Map<string, AgiHandler>();
  private fallback: AgiHandler | undefined;

  /** Adds the handler of a script; a second one for the same name is refused (which would run?). */
  route(script: string, handler: AgiHandler): () => void {
    if (this.handlers.has(script)) throw new Error(`an AGI handler for ${script} is already registered`);
    this.handlers.set(script, handler);
    return () => {
      if (this.handlers.get(script) === handler) this.handlers.delete(script);
    };
  }

  /** The handler of scripts no route names. */
  otherwise(handler: AgiHandler | undefined): void {
    this.fallback = handler;
  }

  find(script: string): AgiHandler | undefined {
    return this.handlers.get(script) ?? this.fallback;
  }

  get scripts(): string[] {
    return [...this.handlers.keys()];
  }
}
