import { Module } from '@nestjs/common';
import { CallLogService } from './call-log.service.js';
import { CallsController } from './calls.controller.js';

@Module({
  controllers: [CallsController],
  providers: [CallLogService],
})
export class CallsModule {}
