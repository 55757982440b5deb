import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module.js';
import { CallLogService } from './call-log.service.js';
import { CallsController } from './calls.controller.js';

@Module({
  imports: [ChannelsModule],
  controllers: [CallsController],
  providers: [CallLogService],
})
export class CallsModule {}
