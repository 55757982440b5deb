import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DiscoveryService, MetadataScanner, ModuleRef } from '@nestjs/core';
import { AmiAgiRouter } from '../../agi/agi-router.js';
import { AmiAsyncAgi, type AsyncAgiConnection } from '../../agi/async-agi.js';
import { AmiFastAgiServer } from '../../agi/fast-agi-server.js';
import type { AmiService } from '../ami.service.js';
import { getAmiServiceToken } from '../ami.tokens.js';
import type { AmiAgiModuleOptions } from './ami-agi-options.interface.js';
import { clusterAsyncAgi } from './cluster-async-agi.js';
import { getAgiHandlerScripts } from './on-agi.decorator.js';

export const AMI_AGI_OPTIONS = 'nestjs-ami:agi-options';

/**
 * Wires every `@OnAgi` method into one router at bootstrap, then starts the FastAGI server and AsyncAGI on
 * the AMI connection; stops both at shutdown after running sessions end (bounded).
 */
@Injectable()
export class AmiAgiService implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly router = new AmiAgiRouter();
  private fastAgi: AmiFastAgiServer | undefined;
  private asyncAgi: AmiAsyncAgi | undefined;
  private readonly logger = new Logger('AmiAgi');

  constructor(
    @Inject(AMI_AGI_OPTIONS) private readonly options: AmiAgiModuleOptions,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** The FastAGI server, once started. */
  get fastAgiServer(): AmiFastAgiServer | undefined {
    return this.fastAgi;
  }

  /** AGI sessions whose handler is still running, FastAGI and AsyncAGI together. */
  get activeSessionCount(): number {
    return (this.fastAgi?.activeSessionCount ?? 0) + (this.asyncAgi?.activeSessionCount ?? 0);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.wireHandlers();
    const common = {
      router: this.router,
      logger: this.logger,
      hangupOnError: this.options.hangupOnError,
      onError: this.options.onError,
      commandTimeout: this.options.commandTimeout,
    };
    if (this.options.asyncAgi !== false) {
      const name = typeof this.options.asyncAgi === 'object' ? this.options.asyncAgi.connection : undefined;
      const service = this.moduleRef.get<AmiService>(getAmiServiceToken(name) as string, { strict: false });
      if (service.cluster !== null) {
        const { connection, claim } = clusterAsyncAgi(service, this.logger);
        this.asyncAgi = new AmiAsyncAgi(connection, { ...common, claim });
      } else this.asyncAgi = new AmiAsyncAgi(service.client as unknown as AsyncAgiConnection, common);
    }
    if (this.options.fastAgi !== false) {
      this.fastAgi = new AmiFastAgiServer({ ...common, ...this.options.fastAgi });
      const port = await this.fastAgi.listen();
      this.logger.log(`FastAGI listening on ${this.options.fastAgi?.host ?? '127.0.0.1'}:${port}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const grace = this.options.shutdownTimeout ?? 5_000;
    await Promise.all([this.asyncAgi?.close(grace), this.fastAgi?.close(grace)]);
  }

  private wireHandlers(): void {
    const seen = new Set<object>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (wrapper.isAlias || instance === null || typeof instance !== 'object' || seen.has(instance))
        continue;
      if (!wrapper.isDependencyTreeStatic()) continue;
      seen.add(instance);
      const methods = instance as Record<string, (...args: unknown[]) => unknown>;
      for (const name of this.scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
        for (const script of getAgiHandlerScripts(methods[name]))
          this.router.route(script, (call) => methods[name]?.call(instance, call));
      }
    }
  }
}
