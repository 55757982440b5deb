import { Injectable } from '@nestjs/common';
import type { AmiLogger } from '../client/ami-client.types.js';
import type { AmiDispatcher } from './dispatch/ami-dispatcher.js';

/** What one AmiModule import (one connection) tells the application about itself. */
export interface AmiRegisteredConnection {
  readonly name: string;
  readonly dispatcher: AmiDispatcher;
  readonly logger: AmiLogger;
}

/**
 * The connections of one application: each AmiModule import registers its dispatcher here when the
 * dispatcher is created (before any bootstrap hook runs), and the application's one AmiExplorer hands
 * each handler to the dispatcher of the connection it names. One instance per application, so two
 * applications in one process know nothing of each other.
 */
@Injectable()
export class AmiConnectionRegistry {
  private readonly connections: AmiRegisteredConnection[] = [];

  register(connection: AmiRegisteredConnection): void {
    this.connections.push(connection);
  }

  /** The connections of that name: one, unless two AmiModule imports were given the same name. */
  named(name: string): readonly AmiRegisteredConnection[] {
    return this.connections.filter((connection) => connection.name === name);
  }

  /** The logger of the first connection registered, for what concerns the application as a whole. */
  get logger(): AmiLogger | undefined {
    return this.connections[0]?.logger;
  }
}
