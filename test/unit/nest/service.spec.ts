import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import type { AmiConnectionState } from '../../../lib/client/ami-client.types.js';
import { SERVICE_DISPATCHER } from '../../../lib/nest/ami.service.js';
import { AmiService, AmiTesting, AmiTestingModule } from '../../../lib/nest/index.js';
import type { AmiEvent } from '../../../lib/protocol/ami-message.js';
import { RecordingLogger } from './support/recording-logger.js';

describe('AmiService observables', () => {
  let app: INestApplicationContext;
  let ami: AmiService;
  let testing: AmiTesting;

  beforeEach(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [AmiTestingModule.forRoot({ logger: new RecordingLogger() })],
    }).compile();
    app = await moduleRef.init();
    ami = app.get(AmiService);
    testing = AmiTesting.get(app);
  });
  afterEach(() => app.close());

  it('events$ carries every event, events(name) those of a name, case-insensitively', async () => {
    const all = lastValueFrom(ami.events$.pipe(take(3), toArray()));
    const hangups = lastValueFrom(ami.events('hangup').pipe(take(2), toArray()));
    const dials = lastValueFrom(ami.events(['DialBegin', 'DialEnd']).pipe(take(1), toArray()));
    await testing.emit({ Event: 'Hangup', Channel: 'a' });
    await testing.emit({ Event: 'DialEnd', Channel: 'b' });
    await testing.emit({ Event: 'HANGUP', Channel: 'c' });
    expect((await all).map((event: AmiEvent) => event.Channel)).toEqual(['a', 'b', 'c']);
    expect((await hangups).map((event) => event.Channel)).toEqual(['a', 'c']);
    expect((await dials).map((event) => event.Event)).toEqual(['DialEnd']);
  });

  it("events(name | names) subscribe in the dispatcher's index by name: case-insensitive, '*' for all, removed on unsubscribe", async () => {
    const dispatcher = ami[SERVICE_DISPATCHER];
    const hangups: string[] = [];
    const pair: string[] = [];
    const all: string[] = [];
    const subscriptions = [
      ami.events('hangup').subscribe((event) => hangups.push(event.Event)),
      ami.events(['Hangup', 'Newchannel']).subscribe((event) => pair.push(event.Event)),
      ami.events(['Newchannel', '*']).subscribe((event) => all.push(event.Event)),
    ];
    // One entry per name ('*' swallows the names listed with it): hangup, Hangup, Newchannel, '*'.
    expect(dispatcher.observerCount).toBe(4);
    for (const name of ['Hangup', 'NEWCHANNEL', 'DialBegin', 'HANGUP']) await testing.emit({ Event: name });
    expect(hangups).toEqual(['Hangup', 'HANGUP']);
    expect(pair).toEqual(['Hangup', 'NEWCHANNEL', 'HANGUP']);
    expect(all).toEqual(['Hangup', 'NEWCHANNEL', 'DialBegin', 'HANGUP']);
    for (const subscription of subscriptions) subscription.unsubscribe();
    expect(dispatcher.observerCount).toBe(0);
    await testing.emit({ Event: 'Hangup' });
    expect([hangups.length, pair.length, all.length]).toEqual([2, 3, 4]);
  });

  it('events(name) gives the typed event of a documented name', async () => {
    const hangup = firstValueFrom(ami.events('Hangup'));
    await testing.emit({
      Event: 'Hangup',
      Channel: 'PJSIP/alice-1',
      Cause: '16',
      'Cause-txt': 'Normal Clearing',
    });
    const event = await hangup;
    expect(event.Cause).toBe('16');
    expect(event['Cause-txt']).toBe('Normal Clearing');
  });

  it('state$ starts with the current state and follows the client', async () => {
    const states: AmiConnectionState[] = [];
    const subscription = ami.state$.subscribe((state) => states.push(state));
    ami.client.emit('stateChange', 'connecting');
    subscription.unsubscribe();
    ami.client.emit('stateChange', 'connected');
    expect(states).toEqual(['disconnected', 'connecting']);
    expect(ami.client.listenerCount('stateChange')).toBe(0);
  });

  it('completes its observables when the application closes, and later ones at once', async () => {
    let completed = 0;
    ami.events$.subscribe({ complete: () => completed++ });
    ami.state$.subscribe({ complete: () => completed++ });
    await app.close();
    expect(completed).toBe(2);
    const late = await lastValueFrom(ami.events$.pipe(toArray()));
    expect(late).toEqual([]);
  });

  it('refuses an empty list of names', () => {
    expect(() => ami.events([])).toThrow(/one or more event names/);
  });
});
