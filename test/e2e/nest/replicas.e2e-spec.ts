import { type INestApplicationContext, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type AmiEventMeta, AmiModule, AmiService, OnAmiEvent } from '../../../lib/nest/index.js';
import type { AmiEvent } from '../../../lib/protocol/ami-message.js';
import { credentials } from '../support/asterisk-target.js';
import {
  mixUps,
  originateParams,
  responsesTo,
  runRounds,
  type SeenResponse,
} from '../support/originate-rounds.js';
import { waitFor } from './support/nest-fixtures.js';

const ROUNDS = 10;
const CALLS_PER_ROUND = 4;

@Injectable()
class OriginateResponses {
  readonly seen: SeenResponse[] = [];

  @OnAmiEvent('OriginateResponse')
  record(event: AmiEvent, meta: AmiEventMeta) {
    this.seen.push({ event, fromAction: meta.fromAction });
  }
}

// One module definition, booted twice: two replicas of one app, with the same options, on one Asterisk.
@Module({
  imports: [AmiModule.forRoot({ ...credentials(), keepAlive: false })],
  providers: [OriginateResponses],
})
class ReplicaModule {}

describe('two replicas of one Nest app (AmiModule.forRoot with the same options) on one Asterisk', () => {
  let replicas: INestApplicationContext[] = [];

  beforeAll(async () => {
    replicas = await Promise.all(
      [0, 1].map(() => NestFactory.createApplicationContext(ReplicaModule, { logger: false })),
    );
  }, 30_000);
  afterAll(() => Promise.all(replicas.map((replica) => replica.close())));

  it(`settles every concurrent AmiService.originate with its own call, over ${ROUNDS} rounds`, async () => {
    const { settlements, planned } = await runRounds(
      replicas.map((replica) => {
        const ami = replica.get(AmiService);
        return (call) => ami.originate(originateParams(call), { timeout: 20_000 });
      }),
      ROUNDS,
      CALLS_PER_ROUND,
    );

    // Each replica's @OnAmiEvent('OriginateResponse') hears both: meta.fromAction only for its own.
    const all = planned.flat();
    const seen = replicas.map((replica) => replica.get(OriginateResponses).seen);
    await waitFor(
      () => seen.every((responses) => responsesTo(responses, all).length === all.length),
      'every OriginateResponse at both replicas',
    );
    expect(mixUps(settlements.flat(), planned, seen)).toEqual({ settledWrong: [], markedWrong: [[], []] });
  }, 120_000);
});
