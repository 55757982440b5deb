import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AmiExplorer } from './ami.explorer.js';
import { AmiConnectionRegistry } from './ami-connection.registry.js';

/**
 * What the application has once, however many connections it opens: the registry the connections join
 * and the explorer that scans the providers and controllers for handlers. Every AmiModule import imports
 * this one static module, and Nest builds a static module once per application.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [AmiConnectionRegistry, AmiExplorer],
  exports: [AmiConnectionRegistry, AmiExplorer],
})
export class AmiCoreModule {}
