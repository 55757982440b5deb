import { Controller, Get, Header, type MessageEvent, Sse } from '@nestjs/common';
import { map, type Observable } from 'rxjs';
import { WallboardService } from './wallboard.service.js';
import { WALLBOARD_PAGE } from './wallboard-page.js';

@Controller()
export class WallboardController {
  constructor(private readonly wallboard: WallboardService) {}

  /** The wallboard page. */
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  page(): string {
    return WALLBOARD_PAGE;
  }

  /** Server-sent events: `snapshot` first, then `change`, `finished` and `connection` as they happen. */
  @Sse('wallboard/events')
  events(): Observable<MessageEvent> {
    return this.wallboard.feed().pipe(map((message) => ({ type: message.type, data: message.data })));
  }
}
