import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { FakeAmiServer } from 'nestjs-ami/testing';
import type { AmiTarget } from './ami-target.js';

// Only the simulator on the loopback interface knows these; nothing else accepts them.
const SIMULATOR_USERNAME = 'sample';
const SIMULATOR_SECRET = 'sample-simulator';

/**
 * The AMI simulator that nestjs-ami ships (`nestjs-ami/testing`), run in this process so the sample works
 * without a PBX: it answers Login, Ping, Command, CoreShowChannels and Originate, and plays each
 * originated call's events (Newchannel, DialBegin, Newstate, DialEnd, then Hangup).
 */
@Injectable()
export class EmbeddedAmiSimulator implements OnApplicationShutdown {
  private server: FakeAmiServer | null = null;

  async start(callSeconds: number): Promise<AmiTarget> {
    this.server ??= await FakeAmiServer.start({
      host: '127.0.0.1',
      users: { [SIMULATOR_USERNAME]: SIMULATOR_SECRET },
      callDuration: callSeconds * 1000,
    });
    return {
      simulated: true,
      host: '127.0.0.1',
      port: this.server.port,
      username: SIMULATOR_USERNAME,
      secret: SIMULATOR_SECRET,
    };
  }

  // After every onModuleDestroy: the AMI connection has logged off by now.
  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
    this.server = null;
  }
}
