import { Inject, Injectable } from '@nestjs/common';
import { type ContextId, ContextIdFactory, DiscoveryService, MetadataScanner, ModuleRef } from '@nestjs/core';
import { Injector } from '@nestjs/core/injector/injector.js';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import type { AmiLogger } from '../client/ami-logger.js';
import { AMI_CONNECTION_NAME, AMI_DISPATCHER, AMI_LOGGER } from './ami.constants.js';
import { connectionName, getAmiServiceToken } from './ami.tokens.js';
import { getAmiEventHandlerMetadata } from './decorators/on-ami-event.decorator.js';
import { getAmiLifecycleHandlerMetadata } from './decorators/on-ami-lifecycle.decorator.js';
import type { AmiDispatcher } from './dispatch/ami-dispatcher.js';
import type { HandlerInvoker } from './dispatch/handler-registration.js';

type Methods = Record<string, (...args: unknown[]) => unknown>;

// Handler metadata naming a connection no AmiModule registers, already warned about, per application
// (one DiscoveryService per application), so each explorer of the app does not repeat the warning.
const warnedOrphans = new WeakMap<DiscoveryService, WeakSet<object>>();

/**
 * Finds the @OnAmiEvent and lifecycle handlers of one connection on every provider and controller and
 * registers them with that connection's dispatcher. Aliases (`useExisting`) are skipped: they are the
 * same instance under another token.
 */
@Injectable()
export class AmiExplorer {
  private readonly injector = new Injector();
  private readonly contexts = new WeakMap<object, ContextId>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly moduleRef: ModuleRef,
    @Inject(AMI_CONNECTION_NAME) private readonly connection: string,
    @Inject(AMI_DISPATCHER) private readonly dispatcher: AmiDispatcher,
    @Inject(AMI_LOGGER) private readonly logger: AmiLogger,
  ) {}

  /** Registers the handlers; returns how many methods were wired. */
  explore(): number {
    const seen = new Set<object>();
    let wired = 0;
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
        if (this.wire(wrapper, isController, instance as Methods, methodName)) wired += 1;
      }
    }
    return wired;
  }

  private wire(
    wrapper: InstanceWrapper,
    isController: boolean,
    instance: Methods,
    methodName: string,
  ): boolean {
    const method = instance[methodName];
    const allEvents = getAmiEventHandlerMetadata(method);
    const allLifecycles = getAmiLifecycleHandlerMetadata(method);
    if (allEvents.length === 0 && allLifecycles.length === 0) return false;
    const className = instance.constructor?.name ?? String(wrapper.name);
    const mine = (entry: { options: { connection?: string } }) => {
      const name = connectionName(entry.options.connection);
      if (name !== this.connection) this.warnIfUnknown(name, entry, `${className}.${methodName}`);
      return name === this.connection;
    };
    const events = allEvents.filter(mine);
    const lifecycles = allLifecycles.filter(mine);
    if (events.length === 0 && lifecycles.length === 0) return false;
    const invoke = this.invoker(wrapper, isController, instance, methodName, className);
    const readsRequest = !wrapper.isDependencyTreeStatic();
    for (const { events: names, options } of events) {
      this.dispatcher.addEventHandler({
        className,
        methodName,
        events: new Set(names.map((name) => name.toLowerCase())),
        filter: options.filter,
        onError: options.onError,
        invoke,
        readsRequest,
      });
    }
    for (const { kinds, options } of lifecycles) {
      this.dispatcher.addLifecycleHandler({
        className,
        methodName,
        kinds: new Set(kinds),
        onError: options.onError,
        invoke,
        readsRequest,
      });
    }
    return true;
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

  /** A handler for a connection nobody registers would never run: a misspelt name, most likely. */
  private warnIfUnknown(name: string, entry: object, handler: string): void {
    let warned = warnedOrphans.get(this.discovery);
    if (warned === undefined) {
      warned = new WeakSet();
      warnedOrphans.set(this.discovery, warned);
    }
    if (warned.has(entry)) return;
    try {
      this.moduleRef.get(getAmiServiceToken(name), { strict: false });
    } catch {
      warned.add(entry);
      this.logger.warn(
        `AMI: ${handler} listens to the connection "${name}", which no AmiModule registers: it will never run`,
      );
    }
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
