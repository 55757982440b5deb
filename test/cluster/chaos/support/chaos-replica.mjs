// One replica of the chaos suite's Nest app, as its own process (forked by chaos-cluster.ts): AmiModule
// in cluster mode from the BUILT package (dist/, imported by name as users do), on the real Asterisk and
// the real Redis. Plain JavaScript, so the decorators are applied by hand.
//
// Its handlers:  a `once` Hangup handler (reported per Uniqueid); a `once` UserEvent ChaosSlow handler that
// takes SLOW_MS on a first delivery (a replica can be killed while it runs) and returns at once when the
// event comes back; the leadership and eventGap lifecycle.
//
// env: AMI_HOST, AMI_PORT, AMI_USERNAME, AMI_SECRET, REDIS_URL, GROUP, LEASE_TTL, CLAIM_IDLE, BUFFER_LIMIT,
// SLOW_MS.  IPC out: ready, handled, slowStarted, slowHandled, gained, lost, gap, originated, status.
// IPC in: originate { tag, index, params }, status, stop.
import 'reflect-metadata';
import { Inject, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  AmiModule,
  AmiService,
  OnAmiEvent,
  OnAmiEventGap,
  OnAmiLeadershipGained,
  OnAmiLeadershipLost,
} from 'nestjs-ami';

const env = process.env;
const send = (message) => {
  if (process.connected) process.send(message);
};
const SLOW_MS = Number(env.SLOW_MS ?? 60_000);

class ChaosProbe {
  constructor(ami) {
    this.ami = ami;
  }

  onHangup(event, meta) {
    send({
      type: 'handled',
      uniqueid: String(event.Uniqueid),
      eventId: meta.eventId,
      deliveryCount: meta.deliveryCount,
      at: Date.now(),
    });
  }

  async onSlow(event, meta) {
    const report = { marker: String(event.Marker), eventId: meta.eventId, deliveryCount: meta.deliveryCount };
    send({ type: 'slowStarted', ...report, at: Date.now() });
    if (meta.deliveryCount === 1) await new Promise((resolve) => setTimeout(resolve, SLOW_MS));
    send({ type: 'slowHandled', ...report, at: Date.now() });
  }

  onGained(event) {
    send({ type: 'gained', epoch: event.epoch, at: Date.now() });
  }

  onLost(event) {
    send({ type: 'lost', reason: event.reason, at: Date.now() });
  }

  onGap(event) {
    send({ type: 'gap', from: event.from, to: event.to, epoch: event.epoch, at: Date.now() });
  }
}

const method = (name, decorator) =>
  decorator(ChaosProbe.prototype, name, Object.getOwnPropertyDescriptor(ChaosProbe.prototype, name));
method('onHangup', OnAmiEvent('Hangup'));
method('onSlow', OnAmiEvent('UserEvent', { filter: (event) => event.UserEvent === 'ChaosSlow' }));
method('onGained', OnAmiLeadershipGained());
method('onLost', OnAmiLeadershipLost());
method('onGap', OnAmiEventGap());
Inject(AmiService)(ChaosProbe, undefined, 0);
Injectable()(ChaosProbe);

class ChaosAppModule {}
Module({
  imports: [
    AmiModule.forRoot({
      host: env.AMI_HOST,
      port: Number(env.AMI_PORT),
      username: env.AMI_USERNAME,
      secret: env.AMI_SECRET,
      actionIdPrefix: 'chaos-',
      reconnect: { initialDelay: 100, maxDelay: 1_000, factor: 2, jitter: 0.2 },
      cluster: {
        redis: env.REDIS_URL,
        group: env.GROUP,
        leaseTtl: Number(env.LEASE_TTL),
        claimIdle: Number(env.CLAIM_IDLE),
        bufferLimit: Number(env.BUFFER_LIMIT ?? 10_000),
      },
    }),
  ],
  providers: [ChaosProbe],
})(ChaosAppModule);

const app = await NestFactory.createApplicationContext(ChaosAppModule, { logger: ['error', 'warn', 'log'] });
const ami = app.get(AmiService);

process.on('message', async (message) => {
  if (message.type === 'originate') {
    const { tag, index, params } = message;
    try {
      const answer = await ami.originate(params, { timeout: 10_000 });
      send({
        type: 'originated',
        tag,
        index,
        outcome: 'answered',
        uniqueid: answer.Uniqueid,
        at: Date.now(),
      });
    } catch (error) {
      send({
        type: 'originated',
        tag,
        index,
        outcome: error?.name?.startsWith('Ami') ? error.name : `untyped: ${String(error)}`,
        message: error?.message,
        at: Date.now(),
      });
    }
  } else if (message.type === 'status') {
    const cluster = ami.cluster;
    send({ type: 'status', role: cluster.role, epoch: cluster.epoch, stats: { ...cluster.stats } });
  } else if (message.type === 'stop') {
    await app.close();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', replicaId: ami.cluster.replicaId, pid: process.pid });
