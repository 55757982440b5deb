import { Controller, type INestApplicationContext, Inject, Injectable, Module, Scope } from '@nestjs/common';
import {
  type ContextId,
  ContextIdFactory,
  type ContextIdStrategy,
  type HostComponentInfo,
  REQUEST,
} from '@nestjs/core';
import { Test } from '@nestjs/testing';
import {
  type AmiEventMeta,
  type AmiEventRequest,
  AmiTesting,
  AmiTestingModule,
  OnAmiEvent,
} from '../../../lib/nest/index.js';
import type { AmiEvent } from '../../../lib/protocol/ami-message.js';
import { RecordingLogger } from './support/recording-logger.js';

@Injectable()
class CallLog {
  readonly calls: string[] = [];
}

@Injectable()
class HangupListener {
  constructor(private readonly log: CallLog) {}

  @OnAmiEvent('Hangup')
  onHangup(event: AmiEvent, meta: AmiEventMeta) {
    this.log.calls.push(`hangup:${event.Channel}:${meta.connection}`);
  }
}

@Injectable()
class StackedListener {
  constructor(private readonly log: CallLog) {}

  @OnAmiEvent('DialBegin')
  @OnAmiEvent(['DialEnd', 'BridgeEnter'])
  onDial(event: AmiEvent) {
    this.log.calls.push(`dial:${event.Event}`);
  }

  @OnAmiEvent('*')
  onAny(event: AmiEvent) {
    this.log.calls.push(`any:${event.Event}`);
  }

  @OnAmiEvent('Newchannel', { filter: (event) => event.ChannelState === '6' })
  onUpChannel(event: AmiEvent) {
    this.log.calls.push(`up:${event.Channel}`);
  }
}

// Registered under a second token with useExisting: the same instance must not be wired twice.
const ALIAS = 'HANGUP_LISTENER_ALIAS';

@Controller()
class CallsController {
  constructor(private readonly log: CallLog) {}

  @OnAmiEvent('hangup')
  onHangup(event: AmiEvent) {
    this.log.calls.push(`controller:${event.Channel}`);
  }
}

class BaseListener {
  readonly seen: string[] = [];

  @OnAmiEvent('PeerStatus')
  onPeerStatus(event: AmiEvent) {
    this.seen.push(`base:${event.Peer}`);
  }
}

@Injectable()
class DerivedListener extends BaseListener {}

let requestInstances = 0;

@Injectable({ scope: Scope.REQUEST })
class RequestScopedListener {
  readonly instance = ++requestInstances;

  constructor(
    @Inject(REQUEST) private readonly request: AmiEventRequest,
    private readonly log: CallLog,
  ) {}

  @OnAmiEvent('Hangup')
  onHangup(event: AmiEvent) {
    const same = this.request.event === event ? 'same' : 'other';
    this.log.calls.push(`request:${this.instance}:${same}:${this.request.connection}`);
  }

  @OnAmiEvent('Hangup')
  again() {
    this.log.calls.push(`request-again:${this.instance}`);
  }
}

@Controller({ scope: Scope.REQUEST })
class RequestScopedController {
  constructor(
    @Inject(REQUEST) private readonly request: AmiEventRequest,
    private readonly log: CallLog,
  ) {}

  @OnAmiEvent('Hangup')
  onHangup() {
    this.log.calls.push(`request-controller:${String(this.request.event.Channel)}`);
  }
}

describe('@OnAmiEvent discovery', () => {
  let app: INestApplicationContext;
  let log: CallLog;
  let ami: AmiTesting;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [AmiTestingModule.forRoot({ logger: new RecordingLogger() })],
      controllers: [CallsController, RequestScopedController],
      providers: [
        CallLog,
        HangupListener,
        { provide: ALIAS, useExisting: HangupListener },
        StackedListener,
        DerivedListener,
        RequestScopedListener,
      ],
    }).compile();
    app = await moduleRef.init();
    log = app.get(CallLog);
    ami = AmiTesting.get(app);
  });

  afterAll(() => app.close());
  beforeEach(() => {
    log.calls.length = 0;
  });

  it('calls a provider handler once, though the provider also has an alias', async () => {
    await ami.emit({ Event: 'Hangup', Channel: 'PJSIP/alice-1' });
    expect(log.calls.filter((call) => call.startsWith('hangup:'))).toEqual(['hangup:PJSIP/alice-1:default']);
  });

  it('calls handlers on controllers, matching names case-insensitively', async () => {
    await ami.emit({ Event: 'HANGUP', Channel: 'PJSIP/bob-2' });
    expect(log.calls).toContain('controller:PJSIP/bob-2');
    expect(log.calls).toContain('hangup:PJSIP/bob-2:default');
  });

  it('honours stacked decorators, lists of names and the wildcard', async () => {
    await ami.emit({ Event: 'DialBegin' });
    await ami.emit({ Event: 'dialend' });
    await ami.emit({ Event: 'BridgeEnter' });
    await ami.emit({ Event: 'VarSet' });
    expect(log.calls).toEqual([
      'dial:DialBegin',
      'any:DialBegin',
      'dial:dialend',
      'any:dialend',
      'dial:BridgeEnter',
      'any:BridgeEnter',
      'any:VarSet',
    ]);
  });

  it('applies the filter', async () => {
    await ami.emit({ Event: 'Newchannel', Channel: 'Local/100@test-1', ChannelState: '4' });
    await ami.emit({ Event: 'Newchannel', Channel: 'Local/100@test-2', ChannelState: '6' });
    expect(log.calls.filter((call) => call.startsWith('up:'))).toEqual(['up:Local/100@test-2']);
  });

  it('finds decorated methods a provider inherits', async () => {
    await ami.emit({ Event: 'PeerStatus', Peer: 'PJSIP/alice' });
    expect(app.get(DerivedListener).seen).toEqual(['base:PJSIP/alice']);
  });

  it('gives request-scoped providers one fresh instance per event, with the event injectable as REQUEST', async () => {
    const before = requestInstances;
    await ami.emit({ Event: 'Hangup', Channel: 'PJSIP/alice-3' });
    await ami.emit({ Event: 'Hangup', Channel: 'PJSIP/alice-4' });
    const scoped = log.calls.filter((call) => call.startsWith('request'));
    expect(requestInstances - before).toBe(2);
    const first = before + 1;
    const second = before + 2;
    expect(scoped).toEqual(
      expect.arrayContaining([
        `request:${first}:same:default`,
        `request-again:${first}`,
        `request:${second}:same:default`,
        `request-again:${second}`,
        'request-controller:PJSIP/alice-3',
        'request-controller:PJSIP/alice-4',
      ]),
    );
    expect(scoped).toHaveLength(6);
  });
});

describe('@OnAmiEvent with durable providers', () => {
  const tenants: string[] = [];

  class ByConnectionStrategy implements ContextIdStrategy {
    private readonly trees = new Map<string, ContextId>();

    attach(contextId: ContextId, request: AmiEventRequest) {
      let tree = this.trees.get(request.connection);
      if (tree === undefined) {
        tree = ContextIdFactory.create();
        this.trees.set(request.connection, tree);
      }
      const durableTree = tree;
      return (info: HostComponentInfo) => (info.isTreeDurable ? durableTree : contextId);
    }
  }

  let durableInstances = 0;

  @Injectable({ scope: Scope.REQUEST, durable: true })
  class DurableListener {
    readonly instance = ++durableInstances;

    @OnAmiEvent('Hangup')
    onHangup() {
      tenants.push(`durable:${this.instance}`);
    }
  }

  @Module({ providers: [DurableListener] })
  class DurableModule {}

  afterEach(() => {
    (ContextIdFactory as unknown as { strategy?: ContextIdStrategy }).strategy = undefined;
  });

  it('reuses the durable tree the strategy picks instead of building one per event', async () => {
    ContextIdFactory.apply(new ByConnectionStrategy());
    const moduleRef = await Test.createTestingModule({
      imports: [AmiTestingModule.forRoot({ logger: new RecordingLogger() }), DurableModule],
    }).compile();
    const app = await moduleRef.init();
    const ami = AmiTesting.get(app);
    await ami.emit({ Event: 'Hangup' });
    await ami.emit({ Event: 'Hangup' });
    await app.close();
    expect(durableInstances).toBe(1);
    expect(tenants).toEqual(['durable:1', 'durable:1']);
  });
});
