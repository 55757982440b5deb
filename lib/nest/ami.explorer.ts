import { Injectable } from '@nestjs/common';
import { type ContextId, ContextIdFactory, DiscoveryService, MetadataScanner, ModuleRef } from '@nestjs/core';
import { Injector } from '@nestjs/core/injector/injector.js';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { connectionName } from './ami.tokens.js';
import { AmiConnectionRegistry, type AmiRegisteredConnection } from './ami-connection.registry.js';
import { getAmiEventHandlerMetadata } from './decorators/on-ami-event.decorator.js';
import { getAmiLifecycleHandlerMetadata } from './decorators/on-ami-lifecycle.decorator.js';
import type { HandlerBase, HandlerInvoker } from './dispatch/handler-registration.js';

type Methods = Record<string, (...args: unknown[]) => unknown>;

/**
 * The application's one explorer: scans every provider and controller once for @OnAmiEvent and lifecycle
 * handlers and hands each to the dispatcher of the connection it names (from AmiConnectionRegistry).
 * Aliases (`useExisting`) are skipped: they are the same instance under another token.
 */
@Injectable()
export class AmiExplorer {
  private readonly injector = new Injector();
  private readonly contexts = new WeakMap<object, ContextId>();
  /** Handler metadata naming a connection nobody registers, already warned about. */
  private readonly warned = new WeakSet<object>();
  private explored = false;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly moduleRef: ModuleRef,
    private readonly registry: AmiConnectionRegistry,
  ) {}

  /**
   * Wires every connection's handlers, the first time it is called; does nothing after. Each connection's
   * bootstrap calls it before marking its dispatcher ready, so the handlers are wired whichever connection
   * Nest bootstraps first. Every connection is registered by then: they register when their providers
   * are created, and Nest creates every provider before it runs any bootstrap hook.
   */
  exploreOnce(): void {
    if (this.explored) return;
    this.explored = true;
    const seen = new Set<object>();
    const wrappers: Array<[InstanceWrapper, boolean]> = [
      ...this.discovery.getProviders().map((wrapper): [InstanceWrapper, boolean] => [wrapper, false]),
      ...this.discovery.getControllers().map((wrapper): [InstanceWrapper, boolean] => [wrapper, true]),
    ];
    for (const [wrapper, isController] of wrappers) {
      const instance: unknown = wrapper.instance;
      if (wrapper.isAlias || instance === null || typeof instance !== 'object' || seen.has(instance))
        continue;
      seen.add(instance);
      const prototype = Object.getPrototypeOf(instance);
      if (prototype === null) continue;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        this.wire(wrapper, isController, instance as Methods, methodName);
      }
    }
  }

  private wire(wrapper: InstanceWrapper, isController: boolean, instance: Methods, methodName: string): void {
    const method = instance[methodName];
    const events = getAmiEventHandlerMetadata(method);
    const lifecycles = getAmiLifecycleHandlerMetadata(method);
    if (events.length === 0 && lifecycles.length === 0) return;
    const className = instance.constructor?.name ?? String(wrapper.name);
    const where = `${className}.${methodName}`;
    // Built for the first connection that gets the method: a method no connection gets costs nothing.
    let handler: HandlerBase | undefined;
    const base = (): HandlerBase => {
      handler ??= {
        className,
        methodName,
        invoke: this.invoker(wrapper, isController, instance, methodName, className),
        readsRequest: !wrapper.isDependencyTreeStatic(),
      };
      return handler;
    };
    for (const entry of events) {
      for (const { dispatcher } of this.connectionsOf(entry, where)) {
        dispatcher.addEventHandler({ ...base(), events: entry.events, options: entry.options });
      }
    }
    for (const entry of lifecycles) {
      for (const { dispatcher } of this.connectionsOf(entry, where)) {
        dispatcher.addLifecycleHandler({ ...base(), kinds: entry.kinds, options: entry.options });
      }
    }
  }

  /** The connections a handler names; a handler for a connection nobody registers would never run. */
  private connectionsOf(
    entry: { options: { connection?: string } },
    where: string,
  ): readonly AmiRegisteredConnection[] {
    const name = connectionName(entry.options.connection);
    const connections = this.registry.named(name);
    if (connections.length === 0 && !this.warned.has(entry)) {
      this.warned.add(entry);
      this.registry.logger?.warn(
        `AMI: ${where} listens to the connection "${name}", which no AmiModule registers: it will never run`,
      );
    }
    return connections;
  }

  private invoker(
    wrapper: InstanceWrapper,
    isController: boolean,
    instance: Methods,
    methodName: string,
    className: string,
  ): HandlerInvoker {
    if (wrapper.isDependencyTreeStatic()) {
      return (args) => instance[methodName].apply(instance, args as unknown[]);
    }
    const host = wrapper.host;
    if (host === undefined) {
      throw new Error(`nestjs-ami: cannot resolve the request-scoped ${className}: it has no host module`);
    }
    // Request-scoped or durable: an instance per event, built in the event's own DI context.
    return async (args, request) => {
      const collection = isController ? host.controllers : host.providers;
      const contextual = (await this.injector.loadPerContext(
        instance,
        host,
        collection,
        this.contextFor(request),
        wrapper,
      )) as Methods;
      return contextual[methodName].apply(contextual, args as unknown[]);
    };
  }

  /** One DI context per dispatched event, shared by all its request-scoped handlers. */
  private contextFor(request: object): ContextId {
    let contextId = this.contexts.get(request);
    if (contextId === undefined) {
      contextId = ContextIdFactory.getByRequest(request);
      this.moduleRef.registerRequestByContextId(request, contextId);
      this.contexts.set(request, contextId);
    }
    return contextId;
  }
}
