import { Injectable, type OnModuleDestroy, ServiceUnavailableException } from '@nestjs/common';
import { AmiService } from 'nestjs-ami';
import { type Observable, Subject } from 'rxjs';
import { WallboardCallLog } from './wallboard-call-log.js';
import { wallboardFeed } from './wallboard-feed.js';
import type { WallboardMessage } from './wallboard-message.js';

/** Hands each page its stream, and ends every stream when the application closes. */
@Injectable()
export class WallboardService implements OnModuleDestroy {
  private readonly closing = new Subject<void>();
  private closed = false;

  constructor(
    private readonly ami: AmiService,
    private readonly log: WallboardCallLog,
  ) {}

  feed(): Observable<WallboardMessage> {
    const live = this.ami.live;
    if (live === null)
      throw new ServiceUnavailableException('The live state is off: set live: true in AmiModule.forRoot');
    if (this.closed) throw new ServiceUnavailableException('The application is closing');
    return wallboardFeed({ live, connection: this.ami, log: this.log }, this.closing);
  }

  /**
   * Before Nest closes the HTTP server: an open event stream is a request that never ends, and would keep
   * the server (and a SIGTERM'd process) waiting for the browser to go away.
   */
  onModuleDestroy(): void {
    this.closed = true;
    this.closing.next();
    this.closing.complete();
  }
}
