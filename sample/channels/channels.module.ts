import { Module } from '@nestjs/common';
import { ChannelRegistry } from './channel-registry.service.js';
import { ChannelsController } from './channels.controller.js';

@Module({
  controllers: [ChannelsController],
  providers: [ChannelRegistry],
  exports: [ChannelRegistry],
})
export class ChannelsModule {}
