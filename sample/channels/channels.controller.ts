import { Controller, Get } from '@nestjs/common';
import { ChannelRegistry } from './channel-registry.service.js';
import type { LiveChannel } from './live-channel.js';

@Controller('channels')
export class ChannelsController {
  constructor(private readonly registry: ChannelRegistry) {}

  /** The live channels, oldest first. */
  @Get()
  list(): LiveChannel[] {
    return this.registry.list();
  }
}
