import { Module } from '@nestjs/common';
import { WallboardController } from './wallboard.controller.js';
import { WallboardService } from './wallboard.service.js';
import { WallboardCallLog } from './wallboard-call-log.js';

/** GET / (the page) and GET /wallboard/events (its server-sent events), fed by the connection's live state. */
@Module({
  controllers: [WallboardController],
  providers: [WallboardService, WallboardCallLog],
})
export class WallboardModule {}
