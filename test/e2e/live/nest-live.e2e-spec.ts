import { jest } from '@jest/globals';
import { type INestApplication, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { AmiLiveState } from '../../../lib/client.js';
import { AmiService, getAmiLiveToken, InjectAmiLive } from '../../../lib/nest/index.js';
import { amiFromConfig } from '../nest/support/nest-fixtures.js';
import { asteriskView, eventually, liveView, sizesBesidesParking } from './support/asterisk-view.js';

jest.setTimeout(60_000);

@Injectable()
class Board {
  constructor(@InjectAmiLive() readonly live: AmiLiveState | null) {}
}

describe('live state in a Nest app on the real Asterisk', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('with `live: true`: injected and on AmiService, synced at the first login, equal to Asterisk', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: amiFromConfig({ live: true }),
      providers: [Board],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const ami = app.get(AmiService);
    const live = app.get(Board).live;
    expect(live).not.toBeNull();
    expect(ami.live).toBe(live);
    expect(app.get(getAmiLiveToken())).toBe(live);
    await eventually(() => expect(live?.synced).toBe(true));

    await ami.originate({ Channel: 'Local/bridged@test', Application: 'Wait', Data: '20' });
    await eventually(async () => {
      expect(sizesBesidesParking(live as AmiLiveState)).toMatchObject({ channels: 4, bridges: 1, calls: 1 });
      expect(liveView(live as AmiLiveState)).toEqual(await asteriskView(ami.client));
    });
    await ami.send({ Action: 'Hangup', Channel: '/.*/' });
    await eventually(() =>
      expect(sizesBesidesParking(live as AmiLiveState)).toMatchObject({ channels: 0, bridges: 0, calls: 0 }),
    );

    // Closing the app stops it: its change stream completes.
    let completed = false;
    live?.changes$.subscribe({ complete: () => (completed = true) });
    await app.close();
    app = undefined;
    expect(completed).toBe(true);
  });

  it('without the option: null (injected and on AmiService)', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: amiFromConfig(),
      providers: [Board],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    expect(app.get(Board).live).toBeNull();
    expect(app.get(AmiService).live).toBeNull();
  });
});
