import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { AmiModule, type AmiModuleOptions } from 'nestjs-ami';
import { AMI_TARGET, type AmiTarget } from './ami/ami-target.js';
import { AmiTargetModule } from './ami/ami-target.module.js';
import { CallsModule } from './calls/calls.module.js';
import { ChannelsModule } from './channels/channels.module.js';
import { clusterFromEnvironment } from './config/sample-config.js';
import { HealthModule } from './health/health.module.js';
import { AmiHttpErrorFilter } from './http/ami-http-error.filter.js';
import { IvrModule } from './ivr/ivr.module.js';
import { WallboardModule } from './wallboard/wallboard.module.js';

/** REDIS_URL set: cluster mode, each replica's handlers say how they share the events (`delivery`). */
function clusterOption(config: ConfigService): Partial<Pick<AmiModuleOptions, 'cluster'>> {
  const cluster = clusterFromEnvironment(config);
  return cluster === null ? {} : { cluster };
}

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true }),
    AmiModule.forRootAsync({
      isGlobal: true,
      imports: [AmiTargetModule],
      inject: [AMI_TARGET, ConfigService],
      useFactory: (target: AmiTarget, config: ConfigService): AmiModuleOptions => ({
        host: target.host,
        port: target.port,
        username: target.username,
        secret: target.secret,
        actionIdPrefix: 'sample-',
        // Start even when the PBX is down: GET /health says so and the client keeps trying.
        connectionInit: { timeout: 10_000, failOnError: false },
        // The library's live state: GET /channels and the wallboard (GET /) read it.
        live: true,
        ...clusterOption(config),
      }),
    }),
    ChannelsModule,
    CallsModule,
    HealthModule,
    WallboardModule,
    IvrModule,
  ],
  providers: [{ provide: APP_FILTER, useClass: AmiHttpErrorFilter }],
})
export class AppModule {}
